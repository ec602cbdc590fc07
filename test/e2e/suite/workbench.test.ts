// The extension inside a real VS Code extension host, through the real `vscode` API, against the
// local server that test/e2e/run.mjs started (the workspace settings point the extension at it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DemoUser } from '../../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../../src/shared/models';
import type { DialogNode } from '../../../src/ui/dialogsTree';
import { Commands, CONVERSATION_VIEW_TYPE } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import { connectPeer, type Peer } from '../xmppPeer';
import { waitUntil, withTimeout } from '../wait';
import { activateExtension, dialogNodes, EXTENSION_ID, labelOf, report, serverInfo, stateAfterActivation } from './extensionUnderTest';

const CONNECT_TIMEOUT_MS = 15000;
const UI_TIMEOUT_MS = 10000;

describe('QuickBlox Chat Workbench in the extension host', () => {
  const info = serverInfo();
  let api: QuickBloxTestApi;
  let peer: Peer | undefined;

  /** The signed-in user's private demo dialog, and the demo user at its other end. */
  function privateDialog(): { dialog: QBDialog; other: DemoUser } {
    assert.equal(api?.service.state, 'online', 'signed in to the local server');
    const dialog = api.service.dialogs.find((d) => d.type === DialogTypes.private);
    assert.ok(dialog, 'the demo data has a private dialog');
    const otherId = dialog.occupants_ids.find((id) => id !== api.service.me?.id);
    const other = info.demoUsers?.find((u) => u.id === otherId);
    assert.ok(other, `the other occupant (${otherId}) of the private dialog is a demo user`);
    return { dialog, other };
  }

  async function otherUser(): Promise<Peer> {
    peer ??= await connectPeer(info, privateDialog().other);
    return peer;
  }

  after(async () => {
    await peer?.stop();
  });

  it('activates without signing in or starting a server', async () => {
    api = await activateExtension();
    assert.ok(api?.service, 'activate() returns the test API');
    assert.deepEqual(
      { state: stateAfterActivation()?.state, localServerStarted: stateAfterActivation()?.localServerStarted },
      { state: 'offline', localServerStarted: false },
      'activation only registers; the first look at the view (or Connect) does the network work',
    );
    report(`activation: ${api.activationMs.toFixed(1)} ms of the extension's own time`);
  });

  it('registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (extension?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual(contributed.sort(), Object.values(Commands).sort(), 'package.json and src/ui/ids.ts list the same commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'commands without a handler');
  });

  it('connects to the running local server', async () => {
    await vscode.commands.executeCommand(Commands.connect);
    await waitUntil(() => api.service.state === 'online', CONNECT_TIMEOUT_MS, `state online (is ${api.service.state})`);
    // The workspace settings name this server; the extension must not have started its own.
    assert.equal(api.localServerInfo()?.rest, info.rest);
    assert.equal(api.service.me?.id, info.demoUsers?.[0]?.id, 'signed in as the first demo user');
  });

  it('lists the demo dialogs with their last messages in the Dialogs view', async () => {
    const { dialog, other } = privateDialog();
    // The dialogs are the children of the per-type group nodes.
    const tree = api.dialogsTree;
    assert.deepEqual(tree.getChildren().map((n) => n.kind), ['type', 'type'], 'one user: the groups are the roots');
    const items = () => dialogNodes(tree).map((n) => ({ dialog: n.dialog, item: tree.getTreeItem(n) }));
    // The private dialog is named after the other user once the name lookup comes back.
    const rows = await waitUntil(
      () => {
        const now = items();
        return now.some((r) => labelOf(r.item) === other.fullName) && now.some((r) => labelOf(r.item) === 'Demo group') && now;
      },
      UI_TIMEOUT_MS,
      `a "${other.fullName}" and a "Demo group" item (have ${items().map((r) => labelOf(r.item)).join(', ')})`,
    );
    for (const { dialog: d, item } of rows) {
      assert.ok(d.last_message, `dialog "${labelOf(item)}" has a last message in the demo data`);
      assert.ok(String(item.description).includes(d.last_message.slice(0, 40)), `"${labelOf(item)}" shows its last message, not "${item.description}"`);
    }
    assert.ok(rows.some((r) => r.dialog._id === dialog._id));
  });

  it('opens a conversation panel titled with the dialog name', async () => {
    const { dialog, other } = privateDialog();
    await vscode.commands.executeCommand(Commands.openConversation, dialog._id);
    // The window reports its tabs to the extension host asynchronously.
    const tab = await waitUntil(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(CONVERSATION_VIEW_TYPE) && t.label === other.fullName),
      UI_TIMEOUT_MS,
      `a webview tab titled "${other.fullName}" (tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')})`,
    );
    assert.ok(tab.isActive);
    await waitUntil(() => api.conversationPanels().find((p) => p.dialogId === dialog._id && p.live), UI_TIMEOUT_MS, 'the panel to go live');
  });

  it('delivers a message sent from VS Code to the other user', async () => {
    const { dialog } = privateDialog();
    const remote = await otherUser();
    const text = `Hello from the extension host ${Date.now()}`;
    // The conversation panel's send request ends in this call; the UI test types into the panel itself.
    const sent = await api.service.sendMessage(dialog._id, text);
    assert.equal(sent.message, text);
    const received = await remote.waitForMessage(text, UI_TIMEOUT_MS);
    assert.equal(received.type, 'chat');
  });

  it('shows a message from the other user in the service and the Dialogs view', async () => {
    const { dialog } = privateDialog();
    const remote = await otherUser();
    const text = `Hello from the other user ${Date.now()}`;
    const arrived = new Promise<QBMessage>((resolve) => {
      const subscription = api.service.on('message', (m) => {
        if (m.message !== text) return;
        subscription.dispose();
        resolve(m);
      });
    });
    await remote.sendChat(api.service.me?.id ?? 0, dialog._id, text);
    const message = await withTimeout(arrived, UI_TIMEOUT_MS, `the service to emit "${text}"`);
    assert.equal(message.chat_dialog_id, dialog._id);
    assert.equal(message.sender_id, remote.user.id);
    const node = (): DialogNode | undefined => dialogNodes(api.dialogsTree).find((n) => n.dialogId === dialog._id);
    await waitUntil(
      () => {
        const shown = node();
        return shown !== undefined && String(api.dialogsTree.getTreeItem(shown).description).includes(text.slice(0, 40));
      },
      UI_TIMEOUT_MS,
      'the Dialogs view to preview the new message',
    );
  });
});
