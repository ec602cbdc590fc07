// Who may do what with a dialog (create-dialog and update-dialog references): occupants see and
// write their dialogs, anyone sees a public one; the checks answer 404 before 403.
import { DialogTypes, type DialogType } from '../../shared/models';
import type { DialogMembership, DialogRecord } from '../store/chatStore';
import type { RequestContext } from './context';
import { forbidden, notFound } from './errors';
import { objectIdParam } from './ids';

/** The dialog, or 404; then 403 unless the user may see it (an occupant, or anyone for a public dialog). */
export function visibleDialog(ctx: RequestContext, dialogId: string, userId: number, field: string): DialogRecord {
  const dialog = existingDialog(ctx, dialogId, field);
  if (!canSee(dialog, userId)) throw notOccupant(dialog.id, userId);
  return dialog;
}

/**
 * As visibleDialog for a handler that needs only the dialog's id, type and occupants: the store keeps
 * those cached, where the whole dialog costs two reads.
 */
export function visibleMembership(ctx: RequestContext, dialogId: string, userId: number, field: string): DialogMembership {
  const dialog = ctx.deps.store.dialogMembership(objectIdParam(dialogId, field, 'dialog'));
  if (!dialog) throw noDialog(dialogId);
  if (!canSee(dialog, userId)) throw notOccupant(dialog.id, userId);
  return dialog;
}

/** The dialog, or 404; then 403 unless the user is an occupant. */
export function occupiedDialog(ctx: RequestContext, dialogId: string, userId: number, field: string): DialogRecord {
  const dialog = existingDialog(ctx, dialogId, field);
  if (!dialog.occupantIds.includes(userId)) throw notOccupant(dialog.id, userId);
  return dialog;
}

export function existingDialog(ctx: RequestContext, dialogId: string, field: string): DialogRecord {
  const dialog = ctx.deps.store.getDialog(objectIdParam(dialogId, field, 'dialog'));
  if (!dialog) throw noDialog(dialogId);
  return dialog;
}

/** Whether the user may see the dialog (occupant, or any user for a public dialog). */
export function canSee(dialog: { type: DialogType; occupantIds: readonly number[] }, userId: number): boolean {
  return dialog.type === DialogTypes.publicGroup || dialog.occupantIds.includes(userId);
}

function noDialog(dialogId: string) {
  return notFound(`There is no dialog ${dialogId}. List your dialogs with GET /chat/Dialog.json.`);
}

function notOccupant(dialogId: string, userId: number) {
  return forbidden(`User ${userId} is not an occupant of dialog ${dialogId}. Ask an occupant to add you, or use another dialog.`);
}
