// POST /chat/Message.json (create-message reference, spec §5.2): into a dialog, or to one user by
// recipient_id (opening the private dialog). send_to_chat=1 also delivers it over XMPP to the online
// occupants; system=1 stores nothing and sends the opponent of a private dialog a SystemNotifications
// headline whose id is the `_id` answered here.
import { isCustomParam } from '../../shared/messageFields';
import { DialogTypes, type QBAttachment } from '../../shared/models';
import { newObjectId } from '../../shared/objectId';
import type { DialogMembership, MessageRecord, MessageTarget } from '../store/chatStore';
import type { Reply, RequestContext } from './context';
import { visibleMembership } from './dialogAccess';
import { invalidField } from './errors';
import { messageJson } from './messageJson';
import { isPlainObject, optionalFlag, optionalInt, optionalString, type Params } from './params';
import { requireUserRecord } from './users';

export function createMessage(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const dialogId = optionalString(params, 'chat_dialog_id');
  const recipientId = optionalInt(params, 'recipient_id', { min: 1 });
  if (dialogId === undefined && recipientId === undefined) {
    throw invalidField('chat_dialog_id', 'is required (or recipient_id to write to one user in private)');
  }
  // Everything is validated before the write; the store opens a missing private dialog in the message's transaction.
  const dialog = dialogId !== undefined ? visibleMembership(ctx, dialogId, userId, 'chat_dialog_id') : undefined;
  const target: MessageTarget = dialog ? { dialogId: dialog.id } : { privateWith: privateRecipient(ctx, recipientId ?? 0, userId) };
  const content = {
    body: optionalString(params, 'message') ?? null,
    dateSent: optionalInt(params, 'date_sent', { min: 0 }) ?? Math.floor(deps.now() / 1000),
    attachments: attachmentsOf(params),
    customParams: customParamsOf(params),
    markable: optionalFlag(params, 'markable', false),
  };
  const sendToChat = optionalFlag(params, 'send_to_chat', false);
  if (optionalFlag(params, 'system', false)) return systemNotification(ctx, userId, dialog, target, content);

  const message = deps.store.createMessage({ ...target, senderId: userId, ...content });
  if (sendToChat) {
    const stored = deps.store.getDialog(message.dialogId);
    if (stored) deps.delivery.deliverStoredMessage(message, stored);
  }
  return { status: 201, body: messageJson(message) };
}

type Content = Pick<MessageRecord, 'body' | 'dateSent' | 'attachments' | 'customParams' | 'markable'>;

function systemNotification(ctx: RequestContext, userId: number, dialog: DialogMembership | undefined, target: MessageTarget, content: Content): Reply {
  if (dialog && dialog.type !== DialogTypes.private) {
    throw invalidField('system', 'system notifications go to private dialogs (type 3) only; send to a group with send_to_chat=1');
  }
  const recipientId = 'privateWith' in target ? target.privateWith : (dialog?.occupantIds.find((id) => id !== userId) ?? userId);
  const { store, now, delivery } = ctx.deps;
  const dialogId = dialog?.id ?? store.ensurePrivateDialog(userId, recipientId).dialog.id;
  const id = newObjectId(now());
  delivery.deliverSystemNotification({ id, senderId: userId, recipientId, body: content.body, customParams: content.customParams, attachments: content.attachments });
  // Not stored, so never listed (the SDK's own tests expect that); the answer still has the message shape.
  const sent: MessageRecord = { ...content, id, dialogId, senderId: userId, recipientId, readIds: [userId], deliveredIds: [userId], createdAt: now(), updatedAt: now() };
  return { status: 201, body: messageJson(sent) };
}

function privateRecipient(ctx: RequestContext, recipientId: number, userId: number): number {
  if (recipientId === userId) throw invalidField('recipient_id', 'cannot be yourself');
  return requireUserRecord(ctx, recipientId, 'recipient_id').id;
}

/** An array, or the `{"0": {…}, "1": {…}}` map the REST docs show (form: `attachments[0][type]=image`). */
function attachmentsOf(params: Params): QBAttachment[] {
  const value = params.attachments;
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value)
    ? value
    : isPlainObject(value)
      ? Object.entries(value)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, v]) => v)
      : undefined;
  if (!items) throw invalidField('attachments', 'must be a list of objects like [{"type":"image","id":"47863"}]');
  return items.map((item, i) => {
    const attachment = isPlainObject(item) ? item : undefined;
    const type = attachment && optionalString(attachment, 'type', `attachments[${i}][type]`);
    if (!attachment || !type) throw invalidField(`attachments[${i}]`, 'must be an object with at least a "type"');
    for (const [key, v] of Object.entries(attachment)) {
      if (isPlainObject(v) || Array.isArray(v)) throw invalidField(`attachments[${i}][${key}]`, 'attachment fields take single values');
    }
    return { ...attachment, type };
  });
}

/** A custom key travels as an XML element name in extraParams (send_to_chat), so it must be one. */
const CUSTOM_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Custom parameters sit at the top level of a message, so they may not reuse a protocol key. */
function customParamsOf(params: Params): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!isCustomParam(key) || value === null) continue;
    if (!CUSTOM_KEY.test(key)) throw invalidField(key, 'custom parameter names start with a letter or "_" and use letters, digits, "_", "-", "." (at most 64)');
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalidField(key, 'custom parameters must be single values (text, number or boolean)');
    }
    custom[key] = String(value);
  }
  return custom;
}
