// The connection, conversation and console commands; the dialog actions, inspecting and test
// messages register in their own modules (dialogActions, inspectDocuments, testMessageCommands).
import * as vscode from 'vscode';
import type { ConnectionController } from './connection';
import type { ConversationPanels } from './conversationPanel';
import { dialogIdFrom, reportFailure, requireOnline, type ActionDeps, type DialogArg } from './dialogActionsShared';
import { Commands, DIALOGS_VIEW_ID } from './ids';
import type { StanzaConsole } from './stanzaConsole';

export interface CommandDeps extends ActionDeps {
  connection: ConnectionController;
  conversations: ConversationPanels;
  stanzaConsole: StanzaConsole;
}

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
    register(Commands.startLocalServer, () => connection.startLocalServer()),
    register(Commands.stopLocalServer, () => connection.stopLocalServer()),
    register(Commands.showLog, () => logger.show()),
  ];
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
