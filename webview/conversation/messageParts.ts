// Turns a message's attachments and custom parameters into short labels. QuickBlox puts custom
// parameters as extra top-level keys of the message, so "custom" means "not one of the protocol's
// own keys" (the list the server and the client share).
import { isCustomParam } from '../../src/shared/messageFields';
import type { QBAttachment, QBMessage } from '../../src/shared/models';

export interface Label {
  text: string;
  title: string;
}

/** A parameter's value as text: strings as they are, anything else (numbers, objects) as JSON. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `type id` (or `type url`), then the name when there is one; the whole attachment as the tooltip. */
export function attachmentLabel(attachment: QBAttachment): Label {
  const ref = attachment.id ?? attachment.url ?? '';
  const name = typeof attachment.name === 'string' && attachment.name !== '' ? ` "${attachment.name}"` : '';
  return { text: `${attachment.type} ${showValue(ref)}${name}`.trim(), title: JSON.stringify(attachment) };
}

/** The message's custom parameters, in the order they came. */
export function customParams(message: QBMessage): [string, unknown][] {
  return Object.entries(message).filter(([key]) => isCustomParam(key));
}

export function customParamLabels(message: QBMessage): Label[] {
  return customParams(message).map(([key, value]) => ({ text: `${key}=${showValue(value)}`, title: `custom parameter ${key}` }));
}

/** QuickBlox apps announce group events (created, occupants added, left…) as messages carrying this. */
export function isGroupEvent(message: QBMessage): boolean {
  return message.notification_type !== undefined && message.notification_type !== null;
}
