// Turns a message's attachments and custom parameters into short labels. QuickBlox puts custom
// parameters as extra top-level keys of the message, so "custom" means "not a known field".
import type { QBAttachment, QBMessage } from '../../src/shared/models';

const KNOWN_FIELDS = new Set([
  '_id',
  'chat_dialog_id',
  'message',
  'date_sent',
  'sender_id',
  'recipient_id',
  'read_ids',
  'delivered_ids',
  'attachments',
  'created_at',
  'updated_at',
  'read',
  'markable',
]);

export interface Label {
  text: string;
  title: string;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `type id` (or `type url`), with the whole attachment as the tooltip. */
export function attachmentLabel(attachment: QBAttachment): Label {
  const ref = attachment.id ?? attachment.url ?? '';
  return { text: `${attachment.type} ${ref}`.trim(), title: JSON.stringify(attachment) };
}

export function customParamLabels(message: QBMessage): Label[] {
  return Object.entries(message)
    .filter(([key]) => !KNOWN_FIELDS.has(key))
    .map(([key, value]) => ({ text: `${key}=${show(value)}`, title: `custom parameter ${key}` }));
}
