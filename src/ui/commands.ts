// Every command the product contributes, registered in one place. Commands that a later slice
// builds say so plainly instead of failing or doing nothing.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import { isObjectId } from '../shared/objectId';
import type { ConnectionController } from './connection';
import type { ConversationPanels } from './conversationPanel';
import type { DialogLabels } from './dialogLabels';
import { errorMessage } from '../shared/errors';
import { Commands, DIALOGS_VIEW_ID } from './ids';
import type { StanzaConsole } from './stanzaConsole';

export interface CommandDeps {
  service: ChatServiceApi;
  connection: ConnectionController;
  conversations: ConversationPanels;
  stanzaConsole: StanzaConsole;
  labels: DialogLabels;
  logger: vscode.LogOutputChannel;
}

/**
 * A tree item's context menu passes the dialog, its click command the id, the palette nothing;
 * a keybinding or another extension may pass anything, so it is checked, never trusted.
 */
type DialogArg = unknown;

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { connection, conversations, stanzaConsole, logger } = deps;
  const register = vscode.commands.registerCommand;
  return [
    register(Commands.connect, () => connection.connect()),
    register(Commands.disconnect, () => connection.disconnect()),
    register(Commands.refreshDialogs, () => refreshDialogs(deps)),
    register(Commands.openConversation, async (arg: DialogArg) => {
      const dialogId = await dialogIdFrom(arg, deps, 'Open which conversation?');
      if (dialogId) conversations.open(dialogId);
    }),
    register(Commands.sendMessage, (arg: DialogArg) => sendMessage(arg, deps)),
    register(Commands.markDialogRead, (arg: DialogArg) => markDialogRead(arg, deps)),
    register(Commands.showStanzaConsole, () => stanzaConsole.show()),
    register(Commands.inspectMessageJson, () => notBuilt('Inspect Message JSON')),
    register(Commands.sendTestMessage, () => notBuilt('Send Test Message')),
    register(Commands.startLocalServer, () => connection.startLocalServer()),
    register(Commands.stopLocalServer, () => connection.stopLocalServer()),
    register(Commands.showLog, () => logger.show()),
  ];
}

function notBuilt(title: string): void {
  void vscode.window.showInformationMessage(`QuickBlox: "${title}" is not built yet.`);
}

async function refreshDialogs(deps: CommandDeps): Promise<void> {
  if (!requireOnline(deps)) return;
  try {
    await vscode.window.withProgress({ location: { viewId: DIALOGS_VIEW_ID } }, () => deps.service.refreshDialogs());
  } catch (error) {
    reportFailure(deps, 'Could not refresh the dialogs', error);
  }
}

async function sendMessage(arg: DialogArg, deps: CommandDeps): Promise<void> {
  const { service, labels } = deps;
  const dialogId = await dialogIdFrom(arg, deps, 'Send a message to which dialog?');
  if (!dialogId) return;
  const dialog = service.dialogs.find((d) => d._id === dialogId);
  const text = await vscode.window.showInputBox({
    title: `Message to ${dialog ? labels.label(dialog) : dialogId}`,
    prompt: 'Sent over XMPP and saved to the history',
    validateInput: (value) => (value.trim() ? undefined : 'Type a message'),
  });
  if (!text) return;
  try {
    await service.sendMessage(dialogId, text);
    vscode.window.setStatusBarMessage('$(check) QuickBlox: message sent', 3000);
  } catch (error) {
    reportFailure(deps, 'Could not send the message', error);
  }
}

async function markDialogRead(arg: DialogArg, deps: CommandDeps): Promise<void> {
  // Checked first: a tree item's context menu hands us a dialog even when the connection is gone.
  if (!requireOnline(deps)) return;
  const dialogId = await dialogIdFrom(arg, deps, 'Mark which dialog as read?');
  if (!dialogId) return;
  try {
    await deps.service.markRead(dialogId);
    vscode.window.setStatusBarMessage('$(check) QuickBlox: dialog marked as read', 3000);
  } catch (error) {
    reportFailure(deps, 'Could not mark the dialog as read', error);
  }
}

/** The dialog a command acts on: the one it was invoked on, else one the user picks. */
async function dialogIdFrom(arg: DialogArg, deps: CommandDeps, placeHolder: string): Promise<string | undefined> {
  const given = typeof arg === 'object' && arg !== null && '_id' in arg ? arg._id : arg;
  if (isObjectId(given)) return given;
  if (given !== undefined) {
    // Opened as is, a wrong id would become a panel that can never load.
    const shown = typeof given === 'string' ? `"${given}"` : `A ${typeof given}`;
    void vscode.window.showErrorMessage(`QuickBlox: ${shown} is not a dialog id. Run the command from the palette to pick the dialog.`);
    return undefined;
  }
  if (!requireOnline(deps)) return undefined;
  const { service, labels } = deps;
  if (service.dialogs.length === 0) {
    void vscode.window.showInformationMessage(`QuickBlox: ${service.me?.login ?? 'this user'} has no dialogs yet.`);
    return undefined;
  }
  // Best effort: when the name lookup fails the list is plainer, not unusable.
  await labels.resolve(service.dialogs).catch(() => false);
  const picked = await vscode.window.showQuickPick(
    service.dialogs.map((dialog) => ({
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
function requireOnline({ service, connection }: CommandDeps): boolean {
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

function reportFailure({ logger }: CommandDeps, what: string, error: unknown): void {
  logger.error(`${what}: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`, 'Show Log').then((choice) => {
    if (choice) logger.show();
  });
}
