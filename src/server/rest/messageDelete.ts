// DELETE /chat/Message/{id1},{id2}.json (delete-message reference): without force the messages
// disappear for the caller only; force=1 deletes them for everyone, which their sender (or the
// dialog's owner) may. last_message* and the unread counters move in the same transaction.
import type { Reply, RequestContext } from './context';
import { canSee } from './dialogAccess';
import { DeletionReport } from './deletionReport';
import { pathObjectIds } from './ids';
import { optionalFlag } from './params';

export function deleteMessages(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { store } = ctx.deps;
  const ids = pathObjectIds(ctx.path[0], 'message');
  const force = optionalFlag(ctx.params, 'force', false);
  const report = new DeletionReport('message');
  const byDialog = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const message = store.getMessage(id);
    const dialog = message && store.getDialog(message.dialogId);
    if (!message || !dialog || !canSee(dialog, userId) || store.isMessageHidden(userId, id)) {
      report.missing(id);
    } else if (force && message.senderId !== userId && dialog.ownerId !== userId) {
      report.forbidden(id);
    } else {
      byDialog.set(dialog.id, [...(byDialog.get(dialog.id) ?? []), id]);
      report.succeeded(id);
    }
  }
  for (const [dialogId, messageIds] of byDialog) {
    if (force) store.deleteMessages(dialogId, messageIds);
    else store.hideMessages(userId, dialogId, messageIds);
  }
  return report.reply(ids.length);
}
