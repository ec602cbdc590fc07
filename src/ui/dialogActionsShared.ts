// What every dialog command needs: the dialog it acts on (the tree item, an id, or a pick), a
// guard that says why nothing happens while offline, and one way to report a failure.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import { errorMessage } from '../shared/errors';
import type { QBDialog } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import type { DialogLabels } from './dialogLabels';

export interface ActionDeps {
  service: ChatServiceApi;
  connection: { connect(): Promise<unknown> };
  labels: DialogLabels;
  logger: vscode.LogOutputChannel;
}

/**
 * A tree item's context menu passes the dialog (or an occupant node carrying `dialogId`), its click
 * command the id, the palette nothing; a keybinding or another extension may pass anything, so it is
 * checked, never trusted.
 */
export type DialogArg = unknown;

/** The dialog id an argument names, undefined when it names none; never a pick. */
export function dialogIdOf(arg: DialogArg): unknown {
  if (typeof arg !== 'object' || arg === null) return arg;
  if ('_id' in arg) return arg._id;
  if ('dialogId' in arg) return arg.dialogId;
  return arg;
}

/** The dialog a command acts on: the one it was invoked on, else one the user picks. */
export async function dialogIdFrom(arg: DialogArg, deps: ActionDeps, placeHolder: string, filter?: (d: QBDialog) => boolean): Promise<string | undefined> {
  const given = dialogIdOf(arg);
  if (isObjectId(given)) return given;
  if (given !== undefined) {
    // Opened as is, a wrong id would become a panel that can never load.
    const shown = typeof given === 'string' ? `"${given}"` : `A ${typeof given}`;
    void vscode.window.showErrorMessage(`QuickBlox: ${shown} is not a dialog id. Run the command from the palette to pick the dialog.`);
    return undefined;
  }
  if (!requireOnline(deps)) return undefined;
  const { service, labels } = deps;
  const dialogs = service.dialogs.filter(filter ?? (() => true));
  if (dialogs.length === 0) {
    void vscode.window.showInformationMessage(`QuickBlox: ${service.me?.login ?? 'this user'} has no dialogs ${filter ? 'this command applies to' : 'yet'}.`);
    return undefined;
  }
  // Best effort: when the name lookup fails the list is plainer, not unusable.
  await labels.resolve(dialogs).catch(() => false);
  const picked = await vscode.window.showQuickPick(
    dialogs.map((dialog) => ({
      label: labels.label(dialog),
      description: dialog.unread_messages_count ? `${dialog.unread_messages_count} new` : undefined,
      detail: dialog.last_message ?? undefined,
      dialogId: dialog._id,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.dialogId;
}

/**
 * True when online; otherwise says why nothing happens and offers to connect. The offer is not
 * awaited: a command must not hang until someone dismisses a notification.
 */
export function requireOnline({ service, connection }: ActionDeps): boolean {
  if (service.state === 'online') return true;
  if (service.state === 'connecting' || service.state === 'reconnecting') {
    void vscode.window.showWarningMessage('QuickBlox is still connecting; try again in a moment.');
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
