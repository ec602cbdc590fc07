// Which keys of a QuickBlox message are the protocol's own, so never custom parameters. REST puts
// custom parameters at the top level of a message and XMPP puts them beside the protocol's own
// `<extraParams>` children, so the server (REST and XMPP) and the client must agree on one list.
import type { QBMessage } from './models';

/** The message model's own keys (protocol spec §5.1). */
export const MESSAGE_MODEL_KEYS: readonly string[] = [
  '_id',
  'attachments',
  'chat_dialog_id',
  'created_at',
  'date_sent',
  'delivered_ids',
  'markable',
  'message',
  'read',
  'read_ids',
  'recipient_id',
  'sender_id',
  'updated_at',
];

const RESERVED_KEYS = new Set([
  ...MESSAGE_MODEL_KEYS,
  // request switches of POST /chat/Message.json (§5.2)
  'send_to_chat',
  'system',
  'token',
  // extraParams the server or the SDK interpret (§7.5, §7.8)
  'save_to_history',
  'dialog_id',
  'message_id',
  'moduleIdentifier',
]);

/** True for an app's own key; false for one the protocol defines. */
export function isCustomParam(key: string): boolean {
  return !RESERVED_KEYS.has(key);
}

/**
 * Why `key` cannot be a custom parameter, or undefined when it can. Custom keys travel as XML element
 * names in `<extraParams>` (a bad one would make the whole stanza malformed and end the stream), and
 * must not be one of the protocol's own keys.
 */
export function customParamProblem(key: string): string | undefined {
  if (!/^[A-Za-z_][\w.-]*$/.test(key) || /^xml/i.test(key)) {
    return `"${key}" cannot be a parameter name: use letters, digits, _ . - and start with a letter or _`;
  }
  if (!isCustomParam(key)) return `"${key}" is a QuickBlox protocol field; choose another name`;
  return undefined;
}

/** An id or a URL (anything with a scheme), as the SDK's apps fill an attachment's `id` or `url`. */
export function isAttachmentUrl(idOrUrl: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(idOrUrl.trim());
}

/** Why an attachment cannot be sent, or undefined: the receiving SDKs need a type and an id or url. */
export function attachmentProblem(attachment: { type?: unknown; id?: unknown; url?: unknown }): string | undefined {
  const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (!filled(attachment.type)) return 'an attachment needs a type (image, video, audio, file…)';
  if (!filled(attachment.id) && !filled(attachment.url)) return 'an attachment needs an id (a content id) or a url';
  if (filled(attachment.url) && !isAttachmentUrl(String(attachment.url))) return `"${String(attachment.url)}" is not a URL: write it with its scheme, e.g. https://`;
  return undefined;
}

/**
 * Whether a live message was never stored: QuickBlox stores a chat message only when its stanza
 * says `save_to_history=1`, so it has no JSON to inspect, and nothing on the server to edit or delete.
 * messageFromStanza marks those with `save_to_history: 0`; REST messages never carry the field.
 */
export function isUnsaved(message: Pick<QBMessage, 'save_to_history'>): boolean {
  return message.save_to_history === 0;
}

/**
 * Whether a stored message was edited since it was sent, as far as its JSON tells: a later
 * `updated_at` means an edit. Read and delivered marks do not move it: QuickBlox's documented list
 * example shows messages read by both occupants with `updated_at` equal to `created_at`, and the
 * local server keeps them apart the same way.
 */
export function wasEdited(message: { created_at?: unknown; updated_at?: unknown }): boolean {
  const created = typeof message.created_at === 'string' ? Date.parse(message.created_at) : NaN;
  const updated = typeof message.updated_at === 'string' ? Date.parse(message.updated_at) : NaN;
  return Number.isFinite(created) && Number.isFinite(updated) && updated > created;
}
