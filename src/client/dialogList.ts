// Keeping the dialog list current from live traffic, as the server does for its copy: the newest
// message becomes last_message*, messages from others count as unread (our own never do), a dialog
// marked read has none, recent dialogs come first.
import { DialogTypes, type QBDialog, type QBMessage } from '../shared/models';

/** The dialog after `message`; late deliveries (older than the current last message) only count as unread. */
export function withMessage(dialog: QBDialog, message: QBMessage, myUserId: number): QBDialog {
  const unread = dialog.unread_messages_count + (message.sender_id === myUserId ? 0 : 1);
  if ((dialog.last_message_date_sent ?? 0) > message.date_sent) return { ...dialog, unread_messages_count: unread };
  return {
    ...dialog,
    last_message: message.message,
    last_message_date_sent: message.date_sent,
    last_message_id: message._id,
    last_message_user_id: message.sender_id,
    unread_messages_count: unread,
    updated_at: new Date(message.date_sent * 1000).toISOString(),
  };
}

/** The list with `dialogId` read; undefined when that changes nothing (unknown, or nothing unread). */
export function withDialogRead(dialogs: readonly QBDialog[], dialogId: string): QBDialog[] | undefined {
  const index = dialogs.findIndex((d) => d._id === dialogId);
  if (index === -1 || dialogs[index].unread_messages_count === 0) return undefined;
  const next = [...dialogs];
  next[index] = { ...next[index], unread_messages_count: 0 };
  return next;
}

function lastActivity(dialog: QBDialog): number {
  if (dialog.last_message_date_sent !== null) return dialog.last_message_date_sent;
  const updated = Date.parse(dialog.updated_at);
  return Number.isFinite(updated) ? Math.floor(updated / 1000) : 0;
}

/** Most recent activity first. */
export function sortDialogs(dialogs: readonly QBDialog[]): QBDialog[] {
  return [...dialogs].sort((a, b) => lastActivity(b) - lastActivity(a));
}

export function privateDialogWith(dialogs: readonly QBDialog[], userId: number): QBDialog | undefined {
  return dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(userId));
}

export function opponentOf(dialog: QBDialog, myUserId: number): number | undefined {
  return dialog.occupants_ids.find((id) => id !== myUserId);
}

/** The other occupant of a private dialog, whose name is the dialog's; undefined for group and public ones. */
export function privateOpponentOf(dialog: QBDialog, myUserId: number | undefined): number | undefined {
  return dialog.type === DialogTypes.private && myUserId !== undefined ? opponentOf(dialog, myUserId) : undefined;
}
