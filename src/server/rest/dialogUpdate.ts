// PUT /chat/Dialog/{id}.json (update-dialog reference): name, photo, custom data, and occupants
// through push_all / pull_all. Group dialogs: any occupant may rename, add users and leave; only the
// owner removes others. Public dialogs: only the owner changes anything. Private dialogs have no
// name, photo or changeable occupants, only custom data.
import { DialogTypes } from '../../shared/models';
import type { DialogChanges, DialogRecord } from '../store/chatStore';
import type { Reply, RequestContext } from './context';
import { dialogJson } from './dialogJson';
import { visibleDialog } from './dialogAccess';
import { customData, dialogName } from './dialogInput';
import { forbidden, invalidField } from './errors';
import { pathObjectId } from './ids';
import { optionalIntList, optionalObject, optionalString, type Params } from './params';
import { requireUserRecord } from './users';

export function updateDialog(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const { params, deps } = ctx;
  const dialog = visibleDialog(ctx, pathObjectId(ctx.path[0], 'dialog'), userId, '_id');
  const changes: DialogChanges = {
    name: dialogName(params, false),
    photo: optionalString(params, 'photo'),
    data: customData(params),
    addOccupants: occupantsOf(params, 'push_all'),
    removeOccupants: occupantsOf(params, 'pull_all'),
  };
  if (Object.values(changes).every((v) => v === undefined)) {
    throw invalidField('base', 'nothing to update: send name, photo, data[...], push_all[occupants_ids][] or pull_all[occupants_ids][]');
  }
  checkPermission(dialog, userId, changes);
  for (const id of changes.addOccupants ?? []) requireUserRecord(ctx, id, 'push_all[occupants_ids]');
  const updated = deps.store.updateDialog(dialog.id, changes);
  // Removed occupants who are in the live room are kicked from it.
  if (changes.removeOccupants) deps.delivery.dialogChanged(updated, { by: userId, removed: changes.removeOccupants });
  return { status: 200, body: dialogJson(updated, userId, deps) };
}

/** `push_all[occupants_ids][]=1,2` or `{"push_all":{"occupants_ids":[1,2]}}`. */
function occupantsOf(params: Params, operator: 'push_all' | 'pull_all'): number[] | undefined {
  const group = optionalObject(params, operator);
  if (!group) return undefined;
  const ids = optionalIntList(group, 'occupants_ids', `${operator}[occupants_ids]`);
  if (!ids?.length) throw invalidField(`${operator}[occupants_ids]`, 'is required, e.g. {"occupants_ids":[1002]}');
  return [...new Set(ids)];
}

function checkPermission(dialog: DialogRecord, userId: number, changes: DialogChanges): void {
  const isOwner = dialog.ownerId === userId;
  if (dialog.type === DialogTypes.private) {
    if (changes.name !== undefined || changes.photo !== undefined || changes.addOccupants || changes.removeOccupants) {
      throw invalidField('base', 'a private dialog has no name or photo, and its two occupants cannot change; only data[...] can be updated');
    }
    return;
  }
  if (dialog.type === DialogTypes.publicGroup) {
    if (!isOwner) throw forbidden(`Only the owner (user ${dialog.ownerId}) can update public dialog ${dialog.id}.`);
    return;
  }
  if (!dialog.occupantIds.includes(userId)) throw forbidden(`User ${userId} is not an occupant of dialog ${dialog.id}.`);
  const removesOthers = changes.removeOccupants?.some((id) => id !== userId);
  if (removesOthers && !isOwner) {
    throw forbidden(`Only the owner (user ${dialog.ownerId}) can remove other occupants; an occupant can remove only themself.`);
  }
}
