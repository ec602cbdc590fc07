// PUT /chat/Message[/{id1},{id2}].json (update-message reference, spec §5.2): `read=1` / `read=0`,
// `delivered=1` for the named messages, or for all of the dialog's without ids; `message=<text>`
// edits one message the caller sent. The docs answer 200 with an empty body (the SDK reads it as text).
// PATCH /chat/Message/read.json and /delivered.json mark every message of some or all dialogs.
import type { DialogMembership } from '../store/chatStore';
import type { Reply, RequestContext } from './context';
import { visibleMembership } from './dialogAccess';
import { forbidden, invalidField, notFound } from './errors';
import { pathObjectIds } from './ids';
import { optionalFlag, optionalList, optionalString } from './params';

export function updateMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const ids = ctx.path[0] ? pathObjectIds(ctx.path[0], 'message') : undefined;
  const dialog = dialogOf(ctx, userId, ids);
  const read = params.read === undefined ? undefined : optionalFlag(params, 'read', false);
  const delivered = optionalFlag(params, 'delivered', false);
  if (params.delivered !== undefined && !delivered) throw invalidField('delivered', 'only delivered=1 exists: a delivery cannot be undone');
  const text = optionalString(params, 'message');
  if (read === undefined && !delivered && text === undefined) {
    throw invalidField('read', 'send read=1 (or 0), delivered=1 or message=<new text>, with chat_dialog_id');
  }
  for (const id of ids ?? []) {
    const message = deps.store.getMessage(id);
    if (!message || message.dialogId !== dialog.id || deps.store.isMessageHidden(userId, id)) {
      throw notFound(`There is no message ${id} in dialog ${dialog.id}.`);
    }
    if (text !== undefined && message.senderId !== userId) throw forbidden(`Only the sender (user ${message.senderId}) can edit message ${id}.`);
  }
  if (text !== undefined && ids?.length !== 1) throw invalidField('message', 'edits one message at a time: PUT /chat/Message/<id>.json');

  if (text !== undefined && ids) deps.store.editMessage(ids[0], text);
  // Read implies delivered, in the store as in the SDK.
  if (read === true) deps.store.markRead(userId, dialog.id, ids);
  if (read === false) deps.store.markUnread(userId, dialog.id, ids);
  if (delivered) deps.store.markDelivered(userId, dialog.id, ids);
  return { status: 200 };
}

/** chat_dialog_id, or with ids in the path the dialog of the first one. */
function dialogOf(ctx: RequestContext, userId: number, ids: string[] | undefined): DialogMembership {
  const named = optionalString(ctx.params, 'chat_dialog_id');
  if (named !== undefined) return visibleMembership(ctx, named, userId, 'chat_dialog_id');
  const first = ids && ctx.deps.store.getMessage(ids[0]);
  if (!ids) throw invalidField('chat_dialog_id', 'is required to update every message of a dialog');
  if (!first) throw notFound(`There is no message ${ids[0]}.`);
  return visibleMembership(ctx, first.dialogId, userId, 'chat_dialog_id');
}

/**
 * PATCH "Mark All Messages as Read / Delivered": the reference pages list these without their
 * parameters, so this takes what PUT takes: `chat_dialog_ids` (or `chat_dialog_id`), a comma list;
 * without either, every dialog the caller sees.
 */
export function markAll(kind: 'read' | 'delivered'): (ctx: RequestContext) => Reply {
  return (ctx) => {
    const userId = ctx.userId();
    const { store } = ctx.deps;
    const named = optionalList(ctx.params, 'chat_dialog_ids') ?? optionalList(ctx.params, 'chat_dialog_id');
    const dialogIds = named
      ? named.map((id) => visibleMembership(ctx, id, userId, 'chat_dialog_ids').id)
      : everyDialogOf(ctx, userId);
    for (const dialogId of dialogIds) {
      if (kind === 'read') store.markRead(userId, dialogId);
      else store.markDelivered(userId, dialogId);
    }
    return { status: 200 };
  };
}

function everyDialogOf(ctx: RequestContext, userId: number): string[] {
  const ids: string[] = [];
  const page = 100;
  for (let skip = 0; ; skip += page) {
    const { items } = ctx.deps.store.listDialogs(userId, { limit: page, skip });
    ids.push(...items.map((d) => d.id));
    if (items.length < page) return ids;
  }
}
