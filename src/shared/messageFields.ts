// Which keys of a QuickBlox message are the protocol's own, so never custom parameters. REST puts
// custom parameters at the top level of a message and XMPP puts them beside the protocol's own
// `<extraParams>` children, so the server (REST and XMPP) and the client must agree on one list.

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
