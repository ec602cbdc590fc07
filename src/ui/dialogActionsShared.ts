// What every dialog command needs: the signed-in user it acts as (the tree item's, the argument's,
// the only one, or a pick), the dialog it acts on (the tree item, an id, or a pick), a guard that
// says why nothing happens while offline, and one way to report a failure.
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import type { ChatServiceApi } from '../client/contracts';
import { errorMessage } from '../shared/errors';
import type { QBDialog } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import type { DialogLabels } from './dialogLabels';
import { Commands } from './ids';

export interface ActionDeps {
  sessions: ChatSessions;
  connection: { connect(): Promise<unknown> };
  labels: DialogLabels;
  logger: vscode.LogOutputChannel;
}

/**
 * A tree item's context menu passes its node (which carries `userId`, the user it belongs to, and
 * `dialogId`), its click command the node too, the palette nothing; a keybinding, the conversation
 * panel or another extension may pass anything, so it is checked, never trusted.
 */
export type DialogArg = unknown;

/** The signed-in user an argument says to act as (`userId` of a tree node or an argument object). */
export function actingUserOf(arg: DialogArg): number | undefined {
  if (typeof arg !== 'object' || arg === null || !('userId' in arg)) return undefined;
  return Number.isSafeInteger(arg.userId) ? (arg.userId as number) : undefined;
}

/** The dialog id an argument names, undefined when it names none; never a pick. */
export function dialogIdOf(arg: DialogArg): unknown {
  if (typeof arg !== 'object' || arg === null) return arg;
  if ('_id' in arg) return arg._id;
  if ('dialogId' in arg) return arg.dialogId;
  // A user node or `{ userId }` names who acts, not a dialog: the command then picks one.
  if ('userId' in arg) return undefined;
  return arg;
}

/**
 * The online user a command acts as: the one its argument names; else the only one online, or the
 * only one listing the dialog the argument names; else the user's pick. Undefined (having said
 * why) when there is none.
 */
export async function actingService(arg: DialogArg, deps: ActionDeps, placeHolder = 'Act as which signed-in user?'): Promise<ChatServiceApi | undefined> {
  const { sessions } = deps;
  const given = dialogIdOf(arg);
  // Said before anything is asked: no choice of user makes a wrong id right.
  if (given !== undefined && !isObjectId(given)) {
    notADialogId(given);
    return undefined;
  }
  const named = actingUserOf(arg);
  if (named !== undefined) {
    const service = sessions.serviceFor(named);
    if (!service) {
      void vscode.window
        .showErrorMessage(`QuickBlox: user ${named} is not signed in here any more. Sign in as them again, then retry.`, 'Sign In as Another User…')
        .then((choice) => choice && vscode.commands.executeCommand(Commands.signInAsAnotherUser));
      return undefined;
    }
    return requireOnline(service, deps) ? service : undefined;
  }
  const online = sessions.list().filter((entry) => entry.state === 'online');
  if (online.length === 0) {
    requireOnline(sessions.primary, deps);
    return undefined;
  }
  const listing = isObjectId(given) ? online.filter((entry) => entry.service.dialogs.some((d) => d._id === given)) : [];
  const candidates = listing.length > 0 ? listing : online;
  if (candidates.length === 1) return candidates[0].service;
  const picked = await vscode.window.showQuickPick(
    candidates.map((entry) => ({
      label: entry.login ?? `user ${entry.userId ?? '?'}`,
      description: entry.primary ? 'profile user' : undefined,
      detail: entry.userId === undefined ? undefined : `user id ${entry.userId}`,
      service: entry.service,
    })),
    { placeHolder },
  );
  return picked?.service;
}

/** The dialog a command acts on: the one it was invoked on, else one of `service`'s the user picks. */
export async function dialogIdFrom(
  arg: DialogArg,
  service: ChatServiceApi,
  deps: ActionDeps,
  placeHolder: string,
  filter?: (d: QBDialog) => boolean,
): Promise<string | undefined> {
  const given = dialogIdOf(arg);
  if (isObjectId(given)) return given;
  if (given !== undefined) {
    notADialogId(given);
    return undefined;
  }
  if (!requireOnline(service, deps)) return undefined;
  const { labels } = deps;
  const me = service.me?.id;
  const dialogs = service.dialogs.filter(filter ?? (() => true));
  if (dialogs.length === 0) {
    void vscode.window.showInformationMessage(`QuickBlox: ${service.me?.login ?? 'this user'} has no dialogs ${filter ? 'this command applies to' : 'yet'}.`);
    return undefined;
  }
  // Best effort: when the name lookup fails the list is plainer, not unusable.
  await labels.resolve(dialogs, me).catch(() => false);
  const picked = await vscode.window.showQuickPick(
    dialogs.map((dialog) => ({
      label: labels.label(dialog, me),
      description: dialog.unread_messages_count ? `${dialog.unread_messages_count} new` : undefined,
      detail: dialog.last_message ?? undefined,
      dialogId: dialog._id,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.dialogId;
}

/** The user a command acts as and the dialog it acts on; undefined (having said why) when either is missing. */
export async function dialogTarget(
  arg: DialogArg,
  deps: ActionDeps,
  placeHolder: string,
  filter?: (d: QBDialog) => boolean,
): Promise<{ service: ChatServiceApi; dialogId: string } | undefined> {
  const service = await actingService(arg, deps);
  const dialogId = service && (await dialogIdFrom(arg, service, deps, placeHolder, filter));
  return service && dialogId ? { service, dialogId } : undefined;
}

/** Opened as is, a wrong id would become a panel that can never load. */
function notADialogId(given: unknown): void {
  const shown = typeof given === 'string' ? `"${given}"` : `A ${typeof given}`;
  void vscode.window.showErrorMessage(`QuickBlox: ${shown} is not a dialog id. Run the command from the palette to pick the dialog.`);
}

/**
 * True when `service` is online; otherwise says why nothing happens and offers to connect. The
 * offer is not awaited: a command must not hang until someone dismisses a notification.
 */
export function requireOnline(service: ChatServiceApi, { connection }: Pick<ActionDeps, 'connection'>): boolean {
  if (service.state === 'online') return true;
  if (service.state === 'connecting' || service.state === 'reconnecting') {
    const who = service.me?.login ? `${service.me.login}'s connection` : 'QuickBlox';
    void vscode.window.showWarningMessage(`${who} is still ${service.state}; try again in a moment.`);
    return false;
  }
  void vscode.window.showWarningMessage('Not connected to QuickBlox.', 'Connect').then((choice) => {
    if (choice === 'Connect') void connection.connect();
  });
  return false;
}

export function reportFailure({ logger }: Pick<ActionDeps, 'logger'>, what: string, error: unknown): void {
  logger.error(`${what}: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`, 'Show Log').then((choice) => {
    if (choice) logger.show();
  });
}
