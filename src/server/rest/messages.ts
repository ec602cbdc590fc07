// /chat/Message: send (to a dialog, or to a user which opens the private dialog), list history oldest
// first marking what was listed as read for the caller, mark read/delivered or edit (PUT), and count
// unread messages (spec §5).
import { isCustomParam } from '../../shared/messageFields';
import type { QBAttachment, QBMessage } from '../../shared/models';
import { isObjectId } from '../../shared/objectId';
import type { DialogRecord, MessageQuery, MessageRecord, MessageTarget } from '../store/chatStore';
import type { Reply, RequestContext, Route } from './context';
import { forbidden, invalidField, notFound } from './errors';
import { occupiedDialog, visibleDialog } from './dialogs';
import { pagingOf, rejectUnsupported, sortOf, type ParamShape } from './listQuery';
import {
  isPlainObject,
  optionalFlag,
  optionalInt,
  optionalList,
  optionalObject,
  optionalString,
  requiredString,
  type Params,
} from './params';
import { isoSeconds } from './time';
import { requireUserRecord } from './users';

const IDS = '[0-9a-fA-F]{24}(?:,[0-9a-fA-F]{24})*';

export const messageRoutes: Route[] = [
  { method: 'POST', pattern: /^\/chat\/Message\.json$/, handle: createMessage },
  { method: 'GET', pattern: /^\/chat\/Message\.json$/, handle: listMessages },
  { method: 'GET', pattern: /^\/chat\/Message\/unread\.json$/, handle: unreadCounts },
  // Without ids the update applies to every message of the dialog (the SDK's own test marks all read so).
  { method: 'PUT', pattern: /^\/chat\/Message\.json$/, handle: updateMessages },
  { method: 'PUT', pattern: new RegExp(`^/chat/Message/(${IDS})\\.json$`), handle: updateMessages },
];

function messageJson(message: MessageRecord): QBMessage {
  return {
    ...message.customParams,
    _id: message.id,
    attachments: message.attachments,
    chat_dialog_id: message.dialogId,
    created_at: isoSeconds(message.createdAt),
    date_sent: message.dateSent,
    delivered_ids: message.deliveredIds,
    message: message.body,
    read_ids: message.readIds,
    recipient_id: message.recipientId,
    sender_id: message.senderId,
    updated_at: isoSeconds(message.updatedAt),
    // Deprecated flag for private dialogs: has the recipient read it.
    read: message.recipientId !== 0 && message.readIds.includes(message.recipientId) ? 1 : 0,
    ...(message.markable ? { markable: 1 as const } : {}),
  };
}

function createMessage(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  if (optionalFlag(params, 'system', false)) {
    throw invalidField('system', 'system notifications are not stored; send them over XMPP (a headline message) instead');
  }
  const dialogId = optionalString(params, 'chat_dialog_id');
  const recipientId = optionalInt(params, 'recipient_id', { min: 1 });
  if (dialogId === undefined && recipientId === undefined) {
    throw invalidField('chat_dialog_id', 'is required (or recipient_id to write to one user in private)');
  }
  // Validate everything before the write; the store opens a missing private dialog in the message's transaction.
  const target: MessageTarget =
    dialogId !== undefined
      ? { dialogId: visibleDialog(ctx, dialogId, userId, 'chat_dialog_id').id }
      : { privateWith: privateRecipient(ctx, recipientId ?? 0, userId) };
  const message = deps.store.createMessage({
    ...target,
    senderId: userId,
    body: optionalString(params, 'message') ?? null,
    dateSent: optionalInt(params, 'date_sent', { min: 0 }) ?? Math.floor(deps.now() / 1000),
    attachments: attachmentsOf(params),
    customParams: customParamsOf(params),
    markable: optionalFlag(params, 'markable', false),
  });
  return { status: 201, body: messageJson(message) };
}

function privateRecipient(ctx: RequestContext, recipientId: number, userId: number): number {
  if (recipientId === userId) throw invalidField('recipient_id', 'cannot be yourself');
  return requireUserRecord(ctx, recipientId, 'recipient_id').id;
}

/** An array, or the `{"0": {…}, "1": {…}}` map the REST docs show (form: `attachments[0][type]=image`). */
function attachmentsOf(params: Params): QBAttachment[] {
  const value = params.attachments;
  if (value === undefined || value === null) return [];
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
    return { ...attachment, type };
  });
}

/** Custom parameters sit at the top level of a message, so they may not reuse a protocol key. */
function customParamsOf(params: Params): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!isCustomParam(key)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalidField(key, 'custom parameters must be strings or numbers');
    }
    custom[key] = String(value);
  }
  return custom;
}

/** What GET /chat/Message.json implements of the documented filters (spec §5.2). */
const LIST_PARAMS: Record<string, ParamShape> = {
  chat_dialog_id: { plain: true },
  mark_as_read: { plain: true },
  _id: { plain: true },
  date_sent: { plain: false, operators: ['gt', 'gte', 'lt', 'lte'] },
};

function listMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  rejectUnsupported(params, LIST_PARAMS);
  const dialog = visibleDialog(ctx, requiredString(params, 'chat_dialog_id'), userId, 'chat_dialog_id');
  const { limit, skip } = pagingOf(params);
  const query: MessageQuery = {
    limit,
    skip,
    sortAscending: sortOf(params, ['date_sent'] as const)?.ascending ?? true,
    id: messageIdOf(params),
    ...dateRange(params),
  };
  const messages = deps.store.listMessages(dialog.id, query);
  // The listed messages become read for the caller; the reply shows them as they were when listed.
  if (optionalFlag(params, 'mark_as_read', true) && messages.length > 0) {
    deps.store.markRead(userId, dialog.id, messages.map((m) => m.id));
  }
  return { status: 200, body: { skip, limit, items: messages.map(messageJson) } };
}

function messageIdOf(params: Params): string | undefined {
  const id = optionalString(params, '_id');
  if (id !== undefined && !isObjectId(id)) throw invalidField('_id', `must be a 24-character hex message id, got "${id}"`);
  return id;
}

/** `date_sent[gt|gte|lt|lte]=<unix seconds>`; dates are whole seconds, so gte n is gt n-1. */
function dateRange(params: Params): Pick<MessageQuery, 'dateSentGt' | 'dateSentLt'> {
  const range = optionalObject(params, 'date_sent');
  if (!range) return {};
  const bound = (op: string) => optionalInt(range, op, { min: 0 }, `date_sent[${op}]`);
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  const lower = [gt, gte === undefined ? undefined : gte - 1].filter((v): v is number => v !== undefined);
  const upper = [lt, lte === undefined ? undefined : lte + 1].filter((v): v is number => v !== undefined);
  return {
    dateSentGt: lower.length ? Math.max(...lower) : undefined,
    dateSentLt: upper.length ? Math.min(...upper) : undefined,
  };
}

/**
 * PUT /chat/Message[/{id1},{id2}].json (spec §5.2 "Update"): `read=1` and/or `delivered=1` mark the
 * messages (all of the dialog's without ids) for the caller, `message=<text>` edits one message the
 * caller sent. The docs answer 200 with an empty body, and the SDK reads it as text.
 */
function updateMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const dialog = occupiedDialog(ctx, requiredString(params, 'chat_dialog_id'), userId, 'chat_dialog_id');
  const ids = ctx.path.length > 0 ? ctx.path[0].split(',') : undefined;
  const read = optionalFlag(params, 'read', false);
  const delivered = optionalFlag(params, 'delivered', false);
  const text = optionalString(params, 'message');
  if (!read && !delivered && text === undefined) {
    throw invalidField('read', 'send read=1, delivered=1 or message=<new text> (with chat_dialog_id)');
  }
  if (text !== undefined) deps.store.editMessage(ownMessage(ctx, dialog, ids, userId).id, text);
  // Read implies delivered, in the store as in the SDK.
  if (read) deps.store.markRead(userId, dialog.id, ids);
  else if (delivered) deps.store.markDelivered(userId, dialog.id, ids);
  return { status: 200 };
}

/** The one message named in the path, which must be in the dialog and sent by the caller. */
function ownMessage(ctx: RequestContext, dialog: DialogRecord, ids: string[] | undefined, userId: number): MessageRecord {
  if (ids?.length !== 1) throw invalidField('message', 'edits one message at a time: PUT /chat/Message/<id>.json');
  const message = ctx.deps.store.getMessage(ids[0]);
  if (!message || message.dialogId !== dialog.id) throw notFound(`There is no message ${ids[0]} in dialog ${dialog.id}.`);
  if (message.senderId !== userId) throw forbidden(`Only the sender (user ${message.senderId}) can edit message ${message.id}.`);
  return message;
}

/** `{"total":N,"<dialogId>":n,…}` for the listed dialogs, or `{"total":N}` over all of the caller's. */
function unreadCounts(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { store } = ctx.deps;
  const dialogIds = optionalList(ctx.params, 'chat_dialog_ids');
  if (!dialogIds) return { status: 200, body: { total: store.totalUnreadCount(userId) } };
  const counts: Record<string, number> = {};
  for (const id of dialogIds) counts[visibleDialog(ctx, id, userId, 'chat_dialog_ids').id] = store.unreadCount(userId, id);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return { status: 200, body: { total, ...counts } };
}
