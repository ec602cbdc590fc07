// GET /chat/Message.json (list-messages reference, spec §5.2): a dialog's history the caller may
// see, oldest first (date_sent, then _id), with the documented search operators on the message
// fields, any other key searching the custom parameters, and count=1. Listing marks what was
// listed read for the caller unless mark_as_read=0. GET /chat/Message/{id}.json returns one message.
import type { MessageField, MessageQuery } from '../store/chatStore';
import type { Reply, RequestContext } from './context';
import { canSee, visibleMembership } from './dialogAccess';
import { forbidden, notFound } from './errors';
import { pathObjectId } from './ids';
import { countOnly, countReply, LIST_KEYS, pagingOf, sortOf } from './listQuery';
import { messageJson } from './messageJson';
import { RawJson } from './rawJson';
import { optionalFlag, requiredString, type Params } from './params';
import { customFilters, fieldFilters, type FieldType } from './searchOperators';

/** The searchable message fields and how their values are written. */
const FIELDS: Record<MessageField, FieldType> = {
  _id: 'objectId',
  message: 'text',
  date_sent: 'int',
  sender_id: 'int',
  recipient_id: 'int',
  created_at: 'date',
  updated_at: 'date',
  'attachments.type': 'textSet',
  read_ids: 'intSet',
  delivered_ids: 'intSet',
};

const SORT_FIELDS: ReadonlyArray<NonNullable<MessageQuery['sortField']>> = [
  'date_sent',
  '_id',
  'message',
  'sender_id',
  'recipient_id',
  'created_at',
  'updated_at',
];

/** Keys that are neither message fields nor custom parameters. */
const CONTROL_KEYS: readonly string[] = ['chat_dialog_id', 'mark_as_read', ...LIST_KEYS];

export function listMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const dialog = visibleMembership(ctx, requiredString(params, 'chat_dialog_id'), userId, 'chat_dialog_id');
  const markAsRead = optionalFlag(params, 'mark_as_read', true);
  const { limit, skip } = pagingOf(params);
  const sort = sortOf(params, SORT_FIELDS);
  const query: Omit<MessageQuery, 'limit' | 'skip'> = {
    filters: fieldFilters(params, FIELDS),
    customFilters: customKeyFilters(params),
    sortField: sort?.field,
    sortAscending: sort?.ascending ?? true,
    viewerId: userId,
  };
  if (countOnly(params)) return countReply(deps.store.countMessages(dialog.id, query));
  // The listed messages become read for the caller; the reply shows them as they were when listed.
  // Only those still lacking a mark are passed: re-listing a read page then writes nothing at all.
  // The store builds the page's JSON itself (one string out of SQLite instead of every value).
  const page = deps.store.listMessagesJson(dialog.id, { ...query, limit, skip });
  if (page) {
    if (markAsRead && page.unmarkedIds.length > 0) deps.store.markRead(userId, dialog.id, page.unmarkedIds);
    return { status: 200, body: new RawJson(`{"skip":${JSON.stringify(skip)},"limit":${JSON.stringify(limit)},"items":${page.items}}`) };
  }
  const messages = deps.store.listMessages(dialog.id, { ...query, limit, skip });
  const unmarked = markAsRead ? messages.filter((m) => m.senderId !== userId && !(m.readIds.includes(userId) && m.deliveredIds.includes(userId))) : [];
  if (unmarked.length > 0) deps.store.markRead(userId, dialog.id, unmarked.map((m) => m.id));
  return { status: 200, body: { skip, limit, items: messages.map(messageJson) } };
}

/** Every key that is not a field or a control key searches the custom parameters ({message_field_N}). */
function customKeyFilters(params: Params) {
  return Object.entries(params)
    .filter(([key]) => !Object.hasOwn(FIELDS, key) && !CONTROL_KEYS.includes(key))
    .flatMap(([key, value]) => customFilters(key, value));
}

export function getMessage(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { store } = ctx.deps;
  const id = pathObjectId(ctx.path[0], 'message');
  const message = store.getMessage(id);
  if (!message || store.isMessageHidden(userId, id)) throw notFound(`There is no message ${id}.`);
  const dialog = store.getDialog(message.dialogId);
  if (!dialog || !canSee(dialog, userId)) throw forbidden(`User ${userId} may not read message ${id}: not an occupant of its dialog.`);
  return { status: 200, body: messageJson(message) };
}
