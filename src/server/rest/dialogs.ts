// /chat/Dialog: create (types 1, 2, 3), list with the documented search operators, get one
// (spec §4, list-dialogs and create-dialog references). Update, delete and the push settings have
// their own modules.
import { mucDomainOf } from '../../shared/jid';
import { DialogTypes, type DialogType } from '../../shared/models';
import type { DialogField, DialogQuery } from '../store/chatStore';
import type { Reply, RequestContext, Route } from './context';
import { dialogJson } from './dialogJson';
import { visibleDialog } from './dialogAccess';
import { deleteDialogs } from './dialogDelete';
import { getNotifications, putNotifications } from './dialogNotifications';
import { updateDialog } from './dialogUpdate';
import { invalidField } from './errors';
import { pathObjectId } from './ids';
import { RawJson } from './rawJson';
import { countOnly, countReply, pagingOf, rejectUnknown, sortOf } from './listQuery';
import { optionalFlag, optionalIntList, optionalObject, optionalString, requiredInt } from './params';
import { customData, dialogName } from './dialogInput';
import { customFilters, fieldFilters, type FieldType } from './searchOperators';
import { requireUserRecord } from './users';

const ID = '([^/]+)';

export const dialogRoutes: Route[] = [
  { method: 'POST', pattern: /^\/chat\/Dialog\.json$/, handle: createDialog },
  { method: 'GET', pattern: /^\/chat\/Dialog\.json$/, handle: listDialogs, cacheable: true },
  { method: 'GET', pattern: new RegExp(`^/chat/Dialog/${ID}/notifications\\.json$`), handle: getNotifications },
  { method: 'PUT', pattern: new RegExp(`^/chat/Dialog/${ID}/notifications\\.json$`), handle: putNotifications },
  { method: 'GET', pattern: new RegExp(`^/chat/Dialog/${ID}\\.json$`), handle: getDialog, cacheable: true },
  { method: 'PUT', pattern: new RegExp(`^/chat/Dialog/${ID}\\.json$`), handle: updateDialog },
  { method: 'DELETE', pattern: new RegExp(`^/chat/Dialog/${ID}\\.json$`), handle: deleteDialogs },
];

function createDialog(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const type = requiredInt(params, 'type', { min: 1, max: 3 }) as DialogType;
  const occupants = [...new Set(optionalIntList(params, 'occupants_ids') ?? [])].filter((id) => id !== userId);
  for (const id of occupants) requireUserRecord(ctx, id, 'occupants_ids');
  if (optionalFlag(params, 'is_join_required', false) && type === DialogTypes.private) {
    throw invalidField('is_join_required', 'a private dialog cannot require joining');
  }
  if (type === DialogTypes.private) {
    if (occupants.length !== 1) {
      throw invalidField('occupants_ids', 'a private dialog (type 3) needs exactly one other user id, e.g. occupants_ids=1002');
    }
    // One private dialog per pair: asking again returns the existing one.
    const { dialog } = deps.store.ensurePrivateDialog(userId, occupants[0]);
    return { status: 201, body: dialogJson(dialog, userId, deps) };
  }
  const dialog = deps.store.createDialog({
    type,
    ownerId: userId,
    occupantIds: occupants,
    name: dialogName(params, true),
    photo: optionalString(params, 'photo') ?? null,
    data: customData(params) ?? null,
  });
  return { status: 201, body: dialogJson(dialog, userId, deps) };
}

/** The searchable fields of GET /chat/Dialog.json and how their values are written. */
const FIELDS: Record<DialogField, FieldType> = {
  _id: 'objectId',
  type: 'int',
  name: 'text',
  photo: 'text',
  user_id: 'int',
  last_message: 'text',
  last_message_date_sent: 'int',
  last_message_user_id: 'int',
  created_at: 'date',
  updated_at: 'date',
  occupants_ids: 'intSet',
};

const SORT_FIELDS = (Object.keys(FIELDS) as DialogField[]).filter(
  (f): f is NonNullable<DialogQuery['sortField']> => f !== 'occupants_ids',
);

function listDialogs(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  rejectUnknown(params, [...Object.keys(FIELDS), 'data']);
  const { limit, skip } = pagingOf(params);
  const sort = sortOf(params, SORT_FIELDS);
  const data = optionalObject(params, 'data') ?? {};
  const query: DialogQuery = {
    // count=1 needs only the total; one row keeps the query cheap.
    limit: countOnly(params) ? 1 : limit,
    skip,
    filters: fieldFilters(params, FIELDS),
    dataFilters: Object.entries(data).flatMap(([key, value]) => customFilters(key, value, `data[${key}]`)),
    sortField: sort?.field,
    sortAscending: sort?.ascending,
  };
  if (countOnly(params)) return countReply(deps.store.listDialogs(userId, query).total);
  // The store builds the page's JSON itself (one string out of SQLite instead of every value).
  const page = deps.store.listDialogsJson(userId, query, { appId: deps.appId, mucDomain: mucDomainOf(deps.domain) });
  if (page) return { status: 200, body: new RawJson(`{"total_entries":${page.total},"skip":${skip},"limit":${limit},"items":${page.items}}`) };
  const { total, items } = deps.store.listDialogs(userId, query);
  return { status: 200, body: { total_entries: total, skip, limit, items: items.map((d) => dialogJson(d, userId, deps)) } };
}

function getDialog(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const dialog = visibleDialog(ctx, pathObjectId(ctx.path[0], 'dialog'), userId, '_id');
  return { status: 200, body: dialogJson(dialog, userId, ctx.deps) };
}
