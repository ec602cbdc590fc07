// The connect flow against the runner's local server when commands overlap, and commands run from
// the palette (no arguments) or with arguments they cannot use. Leaves the extension disconnected.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import { waitUntil } from '../wait';
import { activateExtension } from './extensionUnderTest';

const CONNECT_TIMEOUT_MS = 15000;
/** Long enough for a connect that ignored the cancel to have signed in against a local server. */
const SETTLE_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Connecting and disconnecting in the extension host', () => {
  let api: QuickBloxTestApi;

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.disconnect);
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
  });

  it('Disconnect during a connect cancels it: it stays offline, quietly', async () => {
    const connected = vscode.commands.executeCommand<boolean>(Commands.connect);
    await vscode.commands.executeCommand(Commands.disconnect);
    assert.equal(await connected, false, 'the cancelled connect does not report success');
    await sleep(SETTLE_MS);
    assert.equal(api.service.state, 'offline', 'not signed in behind the user\'s back');
    assert.equal(api.connectionState(), 'offline', 'the status bar and views say offline');
  });

  it('Connect right after such a Disconnect connects', async () => {
    const first = vscode.commands.executeCommand<boolean>(Commands.connect);
    const disconnected = vscode.commands.executeCommand(Commands.disconnect);
    const second = vscode.commands.executeCommand<boolean>(Commands.connect);
    await disconnected;
    assert.deepEqual([await first, await second], [false, true], 'the first is cancelled, the second signs in');
    await waitUntil(() => api.service.state === 'online', CONNECT_TIMEOUT_MS, `state online (is ${api.service.state})`);
    assert.equal(api.connectionState(), 'online');
    await vscode.commands.executeCommand(Commands.disconnect);
    assert.equal(api.service.state, 'offline');
  });

  it('dialog commands run from the palette while offline return without throwing', async () => {
    assert.equal(api.service.state, 'offline');
    const panels = api.conversationPanels().length;
    // Each says "Not connected" in a notification that offers Connect, and does not wait for it.
    for (const command of [Commands.openConversation, Commands.sendMessage, Commands.markDialogRead, Commands.refreshDialogs]) {
      await vscode.commands.executeCommand(command);
    }
    assert.equal(api.service.state, 'offline', 'nothing connected by itself');
    assert.equal(api.conversationPanels().length, panels, 'no panel opened');
  });

  it('Open Conversation with something that is not a dialog id opens nothing', async () => {
    const panels = api.conversationPanels().length;
    for (const arg of ['not-a-dialog', 42, { _id: '../../etc' }, vscode.Uri.file('/tmp/x')]) {
      await vscode.commands.executeCommand(Commands.openConversation, arg);
    }
    assert.equal(api.conversationPanels().length, panels, 'a panel for a wrong id could never load');
  });
});
