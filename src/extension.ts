// Entry point: wiring only. Nothing here touches the network or starts a process: the first look
// at the Dialogs view (or the Connect command) does, so activation stays in the milliseconds.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { ChatService } from './client/chatService';
import { ChatSessions } from './client/chatSessions';
import { AdditionalUsers } from './ui/additionalUsers';
import { AdditionalUserStore } from './ui/additionalUserStore';
import { CloudProfile, registerCloudProfileCommands } from './ui/cloudProfile';
import { registerCommands } from './ui/commands';
import { ConnectionController } from './ui/connection';
import { trackConnectionContext } from './ui/connectionContext';
import { ConnectionStatus } from './ui/connectionStatus';
import { ConversationPanels } from './ui/conversationPanel';
import { DialogLabels } from './ui/dialogLabels';
import { registerDialogActions } from './ui/dialogActions';
import { DialogsTree } from './ui/dialogsTree';
import { InspectDocuments, registerInspectCommands } from './ui/inspectDocuments';
import { errorMessage } from './shared/errors';
import { CONVERSATION_VIEW_TYPE, STANZA_CONSOLE_VIEW_TYPE } from './ui/ids';
import { CloudSecretStore } from './ui/secrets';
import { readSettings } from './ui/settings';
import { StanzaConsole } from './ui/stanzaConsole';
import { ConnectionStatusBar } from './ui/statusBar';
import { registerTestMessageCommands } from './ui/testMessageCommands';
import { SavedTestMessages } from './ui/testMessageStore';
import type { QuickBloxTestApi } from './ui/testApi';

/** What `deactivate` must finish before the host goes: disposables cannot be awaited. */
let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): QuickBloxTestApi {
  const started = performance.now();
  const logger = vscode.window.createOutputChannel('QuickBlox', { log: true });
  const stanzaLimit = readSettings().stanzaBufferSize;
  const sessions = new ChatSessions((options) => new ChatService({ logger, stanzaLimit, ...options }), { logger });
  const service = sessions.primary;
  const secrets = new CloudSecretStore(context.secrets);
  const cloudProfile = new CloudProfile(secrets, logger);
  const status = new ConnectionStatus(service);
  const connection = new ConnectionController(sessions, status, context, logger, cloudProfile);
  const labels = new DialogLabels(service);
  const dialogsTree = new DialogsTree(sessions, labels, logger, () => connection.ensureConnected());
  const conversations = new ConversationPanels({
    sessions,
    status,
    labels,
    ensureConnected: () => connection.ensureConnected(),
    extensionUri: context.extensionUri,
    logger,
  });
  const stanzaConsole = new StanzaConsole(sessions, context.extensionUri, logger);
  const inspectDocuments = new InspectDocuments(sessions);
  const rememberedUsers = new AdditionalUserStore(context.workspaceState);
  const additionalUsers = new AdditionalUsers({ sessions, connection, secrets, store: rememberedUsers, logger });
  const statusBar = new ConnectionStatusBar(sessions, status);
  const actionDeps = { sessions, connection, labels, logger };

  // Disposed in this order: what listens to the services first, then the services, the server they
  // talk to, and last the log everyone writes to.
  context.subscriptions.push(
    ...registerCommands({ ...actionDeps, connection, conversations, stanzaConsole }),
    ...registerCloudProfileCommands(cloudProfile, () => connection.connect()),
    ...registerDialogActions(actionDeps),
    ...registerInspectCommands(actionDeps, inspectDocuments),
    ...registerTestMessageCommands({
      ...actionDeps,
      saved: new SavedTestMessages(context.workspaceState),
      openConversation: (dialogId, userId) => conversations.open(dialogId, userId),
    }),
    ...additionalUsers.register(),
    vscode.window.registerWebviewPanelSerializer(CONVERSATION_VIEW_TYPE, conversations),
    vscode.window.registerWebviewPanelSerializer(STANZA_CONSOLE_VIEW_TYPE, stanzaConsole),
    trackConnectionContext(status, sessions),
    statusBar,
    additionalUsers,
    stanzaConsole,
    inspectDocuments,
    conversations,
    dialogsTree,
    labels,
    status,
    // Not awaited (dispose is synchronous); deactivate has already signed everyone out cleanly.
    { dispose: () => void sessions.dispose().catch((error: unknown) => logger.warn(`Closing the chat sessions failed: ${errorMessage(error)}`)) },
    connection,
    logger,
  );

  shutdown = async () => {
    // Sign everyone out cleanly (cancelling a connect under way) while the server is still there,
    // then stop the server we started.
    await connection.disconnect().catch((error: unknown) => logger.warn(`Disconnect on shutdown failed: ${errorMessage(error)}`));
    await connection.stopEmbedded();
  };

  const activationMs = performance.now() - started;
  logger.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return {
    service,
    sessions,
    dialogsTree,
    connectionState: () => status.state,
    statusBarItems: () => statusBar.views(),
    localServerInfo: () => connection.localServerInfo(),
    conversationPanels: () => conversations.list(),
    rememberedUsers: () => rememberedUsers.logins(readSettings().profile),
    activationMs,
  };
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
