// DELETE /chat/Dialog/{id1},{id2}.json (delete-dialog reference). Without force a dialog goes away
// for the caller only: a group is left (the caller stops being an occupant), a private or public
// dialog is hidden from the caller's list until a new message arrives. force=1 deletes it with its
// history for everyone, which only the owner may.
import { DialogTypes } from '../../shared/models';
import type { Reply, RequestContext } from './context';
import { canSee } from './dialogAccess';
import { DeletionReport } from './deletionReport';
import { pathObjectIds } from './ids';
import { optionalFlag } from './params';

export function deleteDialogs(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { store, delivery } = ctx.deps;
  const ids = pathObjectIds(ctx.path[0], 'dialog');
  const force = optionalFlag(ctx.params, 'force', false);
  const report = new DeletionReport('dialog');
  for (const id of ids) {
    const dialog = store.getDialog(id);
    if (!dialog || !canSee(dialog, userId)) {
      report.missing(id);
    } else if (force) {
      if (dialog.ownerId !== userId) {
        report.forbidden(id);
        continue;
      }
      store.deleteDialog(id);
      delivery.dialogChanged(dialog, { by: userId, deleted: true });
      report.succeeded(id);
    } else {
      if (dialog.type === DialogTypes.group) {
        // Leaving a group takes the user out of its live room too.
        delivery.dialogChanged(store.updateDialog(id, { removeOccupants: [userId] }), { by: userId, removed: [userId] });
      } else store.hideDialog(userId, id);
      report.succeeded(id);
    }
  }
  return report.reply(ids.length);
}
