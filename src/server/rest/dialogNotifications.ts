// GET/PUT /chat/Dialog/{id}/notifications.json (notification settings references): whether the
// caller gets push notifications for messages while offline; on by default, for the occupants of
// group and private dialogs. Answers `{"notifications":{"enabled":0|1}}`.
import { DialogTypes } from '../../shared/models';
import type { DialogRecord } from '../store/chatStore';
import type { Reply, RequestContext } from './context';
import { occupiedDialog } from './dialogAccess';
import { invalidField } from './errors';
import { pathObjectId } from './ids';
import { optionalFlag } from './params';

export function getNotifications(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const dialog = settingsDialog(ctx, userId);
  return settingsReply(ctx.deps.store.notificationsEnabled(userId, dialog.id) ?? true);
}

export function putNotifications(ctx: RequestContext): Reply {
  const userId = ctx.userId();
  const dialog = settingsDialog(ctx, userId);
  if (ctx.params.enabled === undefined) throw invalidField('enabled', 'is required: 1 turns notifications on, 0 off');
  const enabled = optionalFlag(ctx.params, 'enabled', true);
  ctx.deps.store.setNotificationsEnabled(userId, dialog.id, enabled);
  return settingsReply(enabled);
}

function settingsDialog(ctx: RequestContext, userId: number): DialogRecord {
  const dialog = occupiedDialog(ctx, pathObjectId(ctx.path[0], 'dialog'), userId, '_id');
  if (dialog.type === DialogTypes.publicGroup) {
    throw invalidField('type', 'notification settings exist for group (type 2) and private (type 3) dialogs only');
  }
  return dialog;
}

function settingsReply(enabled: boolean): Reply {
  return { status: 200, body: { notifications: { enabled: enabled ? 1 : 0 } } };
}

