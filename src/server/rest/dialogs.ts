// /chat/Dialog: create (types 1, 2, 3) and list, with the caller's unread count on each (spec §4).
import { mucDomainOf, roomJid } from '../../shared/jid';
import { DialogTypes, type DialogType, type QBDialog } from '../../shared/models';
import { isObjectId } from '../../shared/objectId';
import type { DialogQuery, DialogRecord } from '../store/chatStore';
import type { Reply, RequestContext, RestDeps, Route } from './context';
import { forbidden, invalidField, notFound } from './errors';
import { pagingOf, rejectUnsupported, sortOf, type ParamShape } from './listQuery';
import {
  isPlainObject,
  optionalFlag,
  optionalIntList,
  optionalList,
  optionalObject,
  optionalString,
  requiredInt,
} from './params';
import { isoSeconds } from './time';
import { displayName, requireUserRecord } from './users';

export const dialogRoutes: Route[] = [
  { method: 'POST', pattern: /^\/chat\/Dialog\.json$/, handle: createDialog },
  { method: 'GET', pattern: /^\/chat\/Dialog\.json$/, handle: listDialogs },
  { method: 'GET', pattern: /^\/chat\/Dialog\/([0-9a-fA-F]{24})\.json$/, handle: getDialog },
];

/** Dialogs as `viewerId` sees them: a private dialog is named after the other occupant, like the cloud does. */
function dialogJson(dialog: DialogRecord, viewerId: number, deps: RestDeps): QBDialog {
  const isPrivate = dialog.type === DialogTypes.private;
  const json: QBDialog = {
    _id: dialog.id,
    created_at: isoSeconds(dialog.createdAt),
    last_message: dialog.lastMessage,
    last_message_date_sent: dialog.lastMessageDateSent,
    last_message_id: dialog.lastMessageId,
    last_message_user_id: dialog.lastMessageUserId,
    name: isPrivate ? opponentName(dialog, viewerId, deps) : dialog.name,
    occupants_ids: dialog.occupantIds,
    photo: dialog.photo,
    type: dialog.type,
    updated_at: isoSeconds(dialog.updatedAt),
    user_id: dialog.ownerId,
    xmpp_room_jid: isPrivate ? null : roomJid(deps.appId, dialog.id, mucDomainOf(deps.domain)),
    unread_messages_count: deps.store.unreadCount(viewerId, dialog.id),
  };
  if (!isPrivate) json.is_join_required = dialog.isJoinRequired;
  if (dialog.data) json.data = dialog.data;
  return json;
}

function opponentName(dialog: DialogRecord, viewerId: number, deps: RestDeps): string | null {
  const opponentId = dialog.occupantIds.find((id) => id !== viewerId) ?? viewerId;
  const opponent = deps.store.getUser(opponentId);
  return opponent ? displayName(opponent) : null;
}

/** The dialog, or 404; then 403 unless the user may see it (an occupant, or anyone for a public dialog). */
export function visibleDialog(ctx: RequestContext, dialogId: string, userId: number, field: string): DialogRecord {
  const dialog = existingDialog(ctx, dialogId, field);
  if (dialog.type !== DialogTypes.publicGroup && !dialog.occupantIds.includes(userId)) throw notOccupant(dialogId, userId);
  return dialog;
}

/** The dialog, or 404; then 403 unless the user is an occupant (what changing its messages needs). */
export function occupiedDialog(ctx: RequestContext, dialogId: string, userId: number, field: string): DialogRecord {
  const dialog = existingDialog(ctx, dialogId, field);
  if (!dialog.occupantIds.includes(userId)) throw notOccupant(dialogId, userId);
  return dialog;
}

function existingDialog(ctx: RequestContext, dialogId: string, field: string): DialogRecord {
  if (!isObjectId(dialogId)) throw invalidField(field, `must be a 24-character hex dialog id, got "${dialogId}"`);
  const dialog = ctx.deps.store.getDialog(dialogId);
  if (!dialog) throw notFound(`There is no dialog ${dialogId}. List your dialogs with GET /chat/Dialog.json.`);
  return dialog;
}

function notOccupant(dialogId: string, userId: number) {
  return forbidden(`User ${userId} is not an occupant of dialog ${dialogId}. Ask an occupant to add you, or use another dialog.`);
}

const NAME_MAX = 200;

function createDialog(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const type = requiredInt(params, 'type', { min: 1, max: 3 });
  const occupants = (optionalIntList(params, 'occupants_ids') ?? []).filter((id) => id !== userId);
  for (const id of occupants) requireUserRecord(ctx, id, 'occupants_ids');
  if (type === DialogTypes.private) {
    if (occupants.length !== 1) {
      throw invalidField('occupants_ids', 'a private dialog (type 3) needs exactly one other user id, e.g. occupants_ids=1002');
    }
    // One private dialog per pair: asking again returns the existing one.
    const { dialog, created } = deps.store.ensurePrivateDialog(userId, occupants[0]);
    return { status: created ? 201 : 200, body: dialogJson(dialog, userId, deps) };
  }
  const name = optionalString(params, 'name')?.trim();
  if (!name) throw invalidField('name', 'is required for a group (type 2) or public (type 1) dialog');
  if (name.length > NAME_MAX) throw invalidField('name', `must be at most ${NAME_MAX} characters`);
  const data = optionalObject(params, 'data');
  if (data && Object.values(data).some((v) => isPlainObject(v) || Array.isArray(v))) {
    throw invalidField('data', 'custom data takes flat values: data[class_name]=X&data[field]=value');
  }
  const dialog = deps.store.createDialog({
    type: type as DialogType,
    ownerId: userId,
    occupantIds: occupants,
    name,
    photo: optionalString(params, 'photo') ?? null,
    data: data ?? null,
  });
  return { status: 201, body: dialogJson(dialog, userId, deps) };
}

const SORT_FIELDS: ReadonlyArray<NonNullable<DialogQuery['sortField']>> = [
  'last_message_date_sent',
  'created_at',
  'updated_at',
  'name',
  '_id',
];

/** What GET /chat/Dialog.json implements of the documented filters (spec §4.2). */
const LIST_PARAMS: Record<string, ParamShape> = {
  type: { plain: true, operators: ['in'] },
  _id: { plain: true, operators: ['in'] },
  count: { plain: true },
};

function listDialogs(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  rejectUnsupported(params, LIST_PARAMS);
  const { limit, skip } = pagingOf(params);
  const sort = sortOf(params, SORT_FIELDS);
  const query: DialogQuery = {
    limit,
    skip,
    sortField: sort?.field,
    sortAscending: sort?.ascending,
    types: typesOf(ctx),
    ids: idsOf(ctx),
  };
  const { total, items } = deps.store.listDialogs(userId, query);
  // count=1 asks for the number only (list-dialogs reference).
  const countOnly = optionalFlag(params, 'count', false);
  return {
    status: 200,
    body: { total_entries: total, skip, limit, items: countOnly ? [] : items.map((d) => dialogJson(d, userId, deps)) },
  };
}

function getDialog(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  return { status: 200, body: dialogJson(visibleDialog(ctx, ctx.path[0], userId, '_id'), userId, ctx.deps) };
}

/** `type=2` or `type[in]=1,2`. */
function typesOf(ctx: RequestContext): DialogType[] | undefined {
  const type = ctx.params.type;
  const list = isPlainObject(type) ? optionalIntList(type, 'in', 'type[in]') : optionalIntList(ctx.params, 'type');
  if (list?.some((t) => t > 3)) throw invalidField('type', 'dialog types are 1 (public), 2 (group) and 3 (private)');
  return list as DialogType[] | undefined;
}

/** `_id=<id>` (how the SDK fetches one dialog) or `_id[in]=a,b`. */
function idsOf(ctx: RequestContext): string[] | undefined {
  const id = ctx.params._id;
  return isPlainObject(id) ? optionalList(id, 'in', '_id[in]') : optionalList(ctx.params, '_id');
}
