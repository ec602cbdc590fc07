// /chat/Message: send (to a dialog, or to a user which opens the private dialog) and list history,
// oldest first, marking what was listed as read for the caller (spec §5).
import type { QBAttachment, QBMessage } from '../../shared/models';
import type { DialogRecord, MessageQuery, MessageRecord } from '../store/chatStore';
import type { Reply, RequestContext, Route } from './context';
import { invalidField } from './errors';
import { visibleDialog } from './dialogs';
import {
  isPlainObject,
  optionalFlag,
  optionalInt,
  optionalObject,
  optionalString,
  requiredString,
  type Params,
} from './params';
import { isoSeconds } from './time';
import { requireUserRecord } from './users';

export const messageRoutes: Route[] = [
  { method: 'POST', pattern: /^\/chat\/Message\.json$/, handle: createMessage },
  { method: 'GET', pattern: /^\/chat\/Message\.json$/, handle: listMessages },
];

/** Custom parameters sit at the top level of a message, so they may not reuse a standard key. */
const MESSAGE_KEYS = new Set([
  '_id',
  'attachments',
  'chat_dialog_id',
  'created_at',
  'date_sent',
  'delivered_ids',
  'message',
  'read_ids',
  'recipient_id',
  'sender_id',
  'updated_at',
  'read',
  'markable',
]);
/** Request-only switches, not stored as custom parameters. */
const REQUEST_KEYS = new Set(['send_to_chat', 'system', 'token', 'save_to_history']);

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
  // Validate everything before any write: a rejected request must not leave a new private dialog behind.
  const target: { dialog: DialogRecord } | { recipientId: number } =
    dialogId !== undefined
      ? { dialog: visibleDialog(ctx, dialogId, userId, 'chat_dialog_id') }
      : { recipientId: privateRecipient(ctx, recipientId ?? 0, userId) };
  const body = optionalString(params, 'message') ?? null;
  const attachments = attachmentsOf(params);
  const customParams = customParamsOf(params);
  const dateSent = optionalInt(params, 'date_sent', { min: 0 }) ?? Math.floor(deps.now() / 1000);
  const markable = optionalFlag(params, 'markable', false);
  const dialog = 'dialog' in target ? target.dialog : deps.store.ensurePrivateDialog(userId, target.recipientId);
  const message = deps.store.createMessage({
    dialogId: dialog.id,
    senderId: userId,
    body,
    dateSent,
    attachments,
    customParams,
    markable,
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

function customParamsOf(params: Params): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (REQUEST_KEYS.has(key) || MESSAGE_KEYS.has(key)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalidField(key, 'custom parameters must be strings or numbers');
    }
    custom[key] = String(value);
  }
  return custom;
}

const LIMIT_MAX = 100;

function listMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const dialog = visibleDialog(ctx, requiredString(params, 'chat_dialog_id'), userId, 'chat_dialog_id');
  const limit = Math.min(optionalInt(params, 'limit', { min: 1 }) ?? LIMIT_MAX, LIMIT_MAX);
  const skip = optionalInt(params, 'skip', { min: 0 }) ?? 0;
  const query: MessageQuery = { limit, skip, sortAscending: sortAscending(params), ...dateRange(params) };
  const messages = deps.store.listMessages(dialog.id, query);
  // The listed messages become read for the caller; the reply shows them as they were when listed.
  if (optionalFlag(params, 'mark_as_read', true) && messages.length > 0) {
    deps.store.markRead(userId, dialog.id, messages.map((m) => m.id));
  }
  return { status: 200, body: { skip, limit, items: messages.map(messageJson) } };
}

function sortAscending(params: Params): boolean {
  const desc = optionalString(params, 'sort_desc');
  const asc = optionalString(params, 'sort_asc');
  for (const [key, field] of [['sort_desc', desc], ['sort_asc', asc]] as const) {
    if (field !== undefined && field !== 'date_sent') throw invalidField(key, 'messages can be sorted by date_sent only');
  }
  return desc === undefined;
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
  const unknown = Object.keys(range).filter((k) => !['gt', 'gte', 'lt', 'lte'].includes(k));
  if (unknown.length) throw invalidField(`date_sent[${unknown[0]}]`, 'supported operators are gt, gte, lt, lte');
  const lower = [gt, gte === undefined ? undefined : gte - 1].filter((v): v is number => v !== undefined);
  const upper = [lt, lte === undefined ? undefined : lte + 1].filter((v): v is number => v !== undefined);
  return {
    dateSentGt: lower.length ? Math.max(...lower) : undefined,
    dateSentLt: upper.length ? Math.min(...upper) : undefined,
  };
}
