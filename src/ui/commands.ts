// The connection, conversation and console commands; the dialog actions, inspecting, test messages
// and other signed-in users register in their own modules (dialogActions, inspectDocuments,
// testMessageCommands, additionalUsers). Each dialog command acts as the user its tree item belongs
// to, or (from the palette) the only one online, or the one picked.
import * as vscode from 'vscode';
import type { ConnectionController } from './connection';
import type { ConversationPanels } from './conversationPanel';
import { dialogTarget, reportFailure, requireOnline, type ActionDeps, type DialogArg } from './dialogActionsShared';
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
      const target = await dialogTarget(arg, deps, 'Open which conversation?');
      if (target) conversations.open(target.dialogId, target.service.me?.id);
    }),
    register(Commands.sendMessage, (arg: DialogArg) => sendMessage(arg, deps)),
    register(Commands.markDialogRead, (arg: DialogArg) => markDialogRead(arg, deps)),
    register(Commands.showStanzaConsole, () => stanzaConsole.show()),
    register(Commands.startLocalServer, () => connection.startLocalServer()),
    register(Commands.stopLocalServer, () => connection.stopLocalServer()),
    register(Commands.showLog, () => logger.show()),
  ];
}

/** Every online user's dialogs, each user's failure said on its own. */
async function refreshDialogs(deps: CommandDeps): Promise<void> {
  const online = deps.sessions.list().filter((entry) => entry.state === 'online');
  if (online.length === 0) {
    requireOnline(deps.sessions.primary, deps);
    return;
  }
  await vscode.window.withProgress({ location: { viewId: DIALOGS_VIEW_ID } }, () =>
    Promise.all(
      online.map(({ service, login }) =>
        service.refreshDialogs().catch((error: unknown) => reportFailure(deps, `Could not refresh the dialogs of ${login ?? 'a signed-in user'}`, error)),
      ),
    ),
  );
}

async function sendMessage(arg: DialogArg, deps: CommandDeps): Promise<void> {
  const target = await dialogTarget(arg, deps, 'Send a message to which dialog?');
  if (!target) return;
  const { service, dialogId } = target;
  const dialog = service.dialogs.find((d) => d._id === dialogId);
  const text = await vscode.window.showInputBox({
    title: `Message to ${dialog ? deps.labels.label(dialog, service.me?.id) : dialogId}${deps.sessions.list().length > 1 ? ` as ${service.me?.login ?? 'you'}` : ''}`,
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
  // The acting user is checked online first: a tree item's context menu hands us a dialog even when the connection is gone.
  const target = await dialogTarget(arg, deps, 'Mark which dialog as read?');
  if (!target) return;
  try {
    await target.service.markRead(target.dialogId);
    vscode.window.setStatusBarMessage('$(check) QuickBlox: dialog marked as read', 3000);
  } catch (error) {
    reportFailure(deps, 'Could not mark the dialog as read', error);
  }
}
