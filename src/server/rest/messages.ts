// /chat/Message routes (spec §5): create, list, get one, update, mark all, delete, unread counts.
// Each operation lives in its own module; this one only maps paths to them and counts unread.
import type { Reply, RequestContext, Route } from './context';
import { visibleMembership } from './dialogAccess';
import { createMessage } from './messageCreate';
import { deleteMessages } from './messageDelete';
import { getMessage, listMessages } from './messageList';
import { markAll, updateMessages } from './messageUpdate';
import { optionalList } from './params';

const IDS = '([^/]+)';

export const messageRoutes: Route[] = [
  { method: 'POST', pattern: /^\/chat\/Message\.json$/, handle: createMessage },
  { method: 'GET', pattern: /^\/chat\/Message\.json$/, handle: listMessages, cacheable: true },
  // Without ids the update applies to every message of the dialog (the update-message reference).
  { method: 'PUT', pattern: /^\/chat\/Message\.json$/, handle: updateMessages },
  { method: 'GET', pattern: /^\/chat\/Message\/unread\.json$/, handle: unreadCounts, cacheable: true },
  { method: 'PATCH', pattern: /^\/chat\/Message\/read\.json$/, handle: markAll('read') },
  { method: 'PATCH', pattern: /^\/chat\/Message\/delivered\.json$/, handle: markAll('delivered') },
  { method: 'GET', pattern: new RegExp(`^/chat/Message/${IDS}\\.json$`), handle: getMessage, cacheable: true },
  { method: 'PUT', pattern: new RegExp(`^/chat/Message/${IDS}\\.json$`), handle: updateMessages },
  { method: 'DELETE', pattern: new RegExp(`^/chat/Message/${IDS}\\.json$`), handle: deleteMessages },
];

/**
 * `{"total":N,"<dialogId>":n,…}` for the listed dialogs, or `{"total":N}`. total always counts every
 * dialog of the caller, as in the reference's example (its total exceeds the listed dialogs' sum).
 */
function unreadCounts(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { store } = ctx.deps;
  const counts: Record<string, number> = {};
  for (const id of optionalList(ctx.params, 'chat_dialog_ids') ?? []) {
    counts[visibleMembership(ctx, id, userId, 'chat_dialog_ids').id] = store.unreadCount(userId, id.toLowerCase());
  }
  return { status: 200, body: { total: store.totalUnreadCount(userId), ...counts } };
}
