// Issue 5 in the extension host: the grouped Dialogs tree and its actions, Inspect JSON, and test
// messages from the palette's commands (driven with their script arguments: quick picks and modal
// confirmations cannot be answered from here), against the runner's local server and a plain XMPP peer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DemoUser } from '../../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../../src/shared/models';
import type { DialogNode, DialogsTreeNode } from '../../../src/ui/dialogsTree';
import { Commands, INSPECT_JSON_SCHEME, INSPECT_STANZA_SCHEME } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import type { TestMessageResult } from '../../../src/ui/testMessageCommands';
import { connectPeer, type Peer } from '../xmppPeer';
import { waitUntil } from '../wait';
import { activateExtension, dialogNodes, labelOf, serverInfo } from './extensionUnderTest';

const UI_TIMEOUT_MS = 10000;

describe('Dialogs tree actions, Inspect JSON and test messages', function () {
  this.timeout(30000);
  const info = serverInfo();
  let api: QuickBloxTestApi;
  let peer: Peer;
  let privateDialog: QBDialog;
  let bob: DemoUser;
  let carol: DemoUser;

  before(async () => {
    api = await activateExtension();
    if (api.service.state !== 'online') await vscode.commands.executeCommand(Commands.connect);
    await waitUntil(() => api.service.state === 'online' && api.service.dialogs.length > 0, 15000, 'online with dialogs');
    const found = api.service.dialogs.find((d) => d.type === DialogTypes.private);
    assert.ok(found, 'the demo data has a private dialog');
    privateDialog = found;
    const users = info.demoUsers ?? [];
    bob = users.find((u) => privateDialog.occupants_ids.includes(u.id) && u.id !== api.service.me?.id) as DemoUser;
    carol = users.find((u) => !privateDialog.occupants_ids.includes(u.id)) as DemoUser;
    assert.ok(bob && carol, 'two other demo users');
    peer = await connectPeer(info, bob);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await peer?.stop();
  });

  /** REST history of the private dialog, without marking anything read. */
  async function history(): Promise<QBMessage[]> {
    return api.service.loadMessages(privateDialog._id, { limit: 100, markAsRead: false });
  }

  function sendTest(spec: Record<string, unknown>, saveAs?: string): Thenable<TestMessageResult | undefined> {
    return vscode.commands.executeCommand<TestMessageResult | undefined>(Commands.sendTestMessage, { target: { dialogId: privateDialog._id }, spec, saveAs });
  }

  it('groups dialogs by type, with the occupants (by name) as children', async () => {
    const tree = api.dialogsTree;
    const groups = tree.getChildren();
    assert.deepEqual(groups.map((g) => labelOf(tree.getTreeItem(g))), ['Private', 'Group']);
    const group = tree.getChildren(groups[1]).find((d) => labelOf(tree.getTreeItem(d)) === 'Demo group') as DialogNode | undefined;
    assert.ok(group, 'the Demo group is under "Group"');
    assert.equal(group.userId, api.service.me?.id, 'it belongs to the signed-in user');
    assert.equal(tree.getTreeItem(group).contextValue, 'dialog.group', 'alice does not own the demo group');
    const occupants: DialogsTreeNode[] = tree.getChildren(group);
    assert.equal(occupants.length, group.dialog.occupants_ids.length);
    await waitUntil(
      () => occupants.map((o) => labelOf(tree.getTreeItem(o))).includes(carol.fullName),
      UI_TIMEOUT_MS,
      `"${carol.fullName}" among the occupants`,
    );
  });

  it('inspects a message: its REST JSON, and its stanza beside it', async () => {
    const text = `inspect me ${Date.now()}`;
    const sent = await api.service.sendMessage(privateDialog._id, text);
    await peer.waitForMessage(text, UI_TIMEOUT_MS); // routed, so stored
    await vscode.commands.executeCommand(Commands.inspectMessageJson, { messageId: sent._id, dialogId: privateDialog._id });
    const json = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === INSPECT_JSON_SCHEME && d.uri.path.includes(sent._id)),
      UI_TIMEOUT_MS,
      'the message JSON document',
    );
    assert.equal(json.languageId, 'json');
    const message = JSON.parse(json.getText()) as QBMessage;
    assert.deepEqual({ _id: message._id, chat_dialog_id: message.chat_dialog_id, message: message.message }, { _id: sent._id, chat_dialog_id: privateDialog._id, message: text });
    const stanza = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === INSPECT_STANZA_SCHEME && d.uri.path.includes(sent._id)),
      UI_TIMEOUT_MS,
      'the stanza document',
    );
    assert.equal(stanza.languageId, 'xml');
    assert.match(stanza.getText(), new RegExp(`<message [^>]*id="${sent._id}"`));
    await vscode.commands.executeCommand(Commands.refreshInspectedDocument, json.uri);
    assert.equal((JSON.parse(json.getText()) as QBMessage)._id, sent._id, 'still the message after Refresh');
  });

  it('inspects a dialog', async () => {
    await vscode.commands.executeCommand(Commands.inspectDialogJson, privateDialog);
    const doc = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === INSPECT_JSON_SCHEME && d.uri.path === `/dialog/${privateDialog._id}.json`),
      UI_TIMEOUT_MS,
      'the dialog JSON document',
    );
    const dialog = JSON.parse(doc.getText()) as QBDialog;
    assert.equal(dialog._id, privateDialog._id);
    assert.deepEqual(dialog.occupants_ids, privateDialog.occupants_ids);
  });

  it('sends every template to the other user, and stores what it should', async () => {
    const stamp = Date.now();
    const specs = [
      { kind: 'text', text: `plain ${stamp}` },
      { kind: 'attachment', text: `file ${stamp}`, attachment: { type: 'image', url: 'https://example.com/cat.png' } },
      { kind: 'custom', text: `custom ${stamp}`, customParams: { order_id: '42' } },
      { kind: 'markable', text: `markable ${stamp}` },
      { kind: 'rest', text: `rest ${stamp}` },
      { kind: 'system', text: `system ${stamp}`, customParams: { reason: 'test' } },
    ];
    for (const spec of specs) {
      const result = await sendTest(spec);
      assert.equal(result?.sent, 1, `${spec.kind} sent`);
      const received = await peer.waitForMessage(spec.text, UI_TIMEOUT_MS);
      assert.equal(received.type, spec.kind === 'system' ? 'headline' : 'chat', `${spec.kind} arrives as ${received.type}`);
    }
    const stored = await history();
    const byText = (text: string) => stored.find((m) => m.message === text);
    assert.deepEqual(byText(`file ${stamp}`)?.attachments.map((a) => a.url), ['https://example.com/cat.png']);
    assert.equal(byText(`custom ${stamp}`)?.order_id, '42');
    assert.equal(byText(`markable ${stamp}`)?.markable, 1);
    assert.equal(byText(`plain ${stamp}`)?.markable, undefined, 'plain text asks for no markers');
    assert.ok(byText(`rest ${stamp}`), 'the REST message is in the history');
    assert.equal(byText(`system ${stamp}`), undefined, 'system notifications are not stored');
  });

  it('sends a burst of N complete and in order', async () => {
    const text = `burst ${Date.now()}`;
    const result = await sendTest({ kind: 'burst', text, count: 12 });
    assert.deepEqual(result && { sent: result.sent, planned: result.planned }, { sent: 12, planned: 12 });
    for (let i = 1; i <= 12; i++) await peer.waitForMessage(`${text} (${i}/12)`, UI_TIMEOUT_MS);
    const stored = (await history()).filter((m) => m.message?.startsWith(text)).map((m) => m.message);
    assert.deepEqual(stored, Array.from({ length: 12 }, (_, i) => `${text} (${i + 1}/12)`));
  });

  it('fires a saved test message again', async () => {
    const text = `saved ${Date.now()}`;
    const name = `e2e ${text}`;
    await sendTest({ kind: 'custom', text, customParams: { saved: 'yes' } }, name);
    const again = await vscode.commands.executeCommand<TestMessageResult | undefined>(Commands.sendSavedTestMessage, name);
    assert.equal(again?.sent, 1);
    const copies = await waitUntilAsync(async () => {
      const found = (await history()).filter((m) => m.message === text);
      return found.length === 2 && found;
    }, 'both copies in the history');
    assert.ok(copies.every((m) => m.saved === 'yes'));
    await vscode.commands.executeCommand(Commands.deleteSavedTestMessage, name);
    assert.equal(await vscode.commands.executeCommand(Commands.sendSavedTestMessage, name), undefined, 'deleted');
  });

  it('creates a group dialog, adds and removes an occupant, and deletes it for me', async () => {
    const name = `e2e group ${Date.now()}`;
    await vscode.commands.executeCommand(Commands.createDialog, { type: DialogTypes.group, name, occupantIds: [bob.id] });
    const created = await waitUntil(() => api.service.dialogs.find((d) => d.name === name), UI_TIMEOUT_MS, `"${name}" in the list`);
    const node = () => dialogNodes(api.dialogsTree).find((n) => n.dialogId === created._id);
    assert.equal(api.dialogsTree.getTreeItem(await waitUntil(node, UI_TIMEOUT_MS, 'its tree row')).contextValue, 'dialog.group.owner');
    await vscode.commands.executeCommand(Commands.addOccupants, created._id, { userIds: [carol.id] });
    await waitUntil(() => api.service.dialogs.find((d) => d._id === created._id)?.occupants_ids.includes(carol.id), UI_TIMEOUT_MS, 'carol added');
    const carolNode = api.dialogsTree.getChildren(node()).find((n) => n.kind === 'occupant' && n.occupantId === carol.id);
    assert.ok(carolNode);
    assert.equal(api.dialogsTree.getTreeItem(carolNode).contextValue, 'occupant.removable');
    await vscode.commands.executeCommand(Commands.removeOccupants, carolNode, { confirmed: true });
    await waitUntil(() => !api.service.dialogs.find((d) => d._id === created._id)?.occupants_ids.includes(carol.id), UI_TIMEOUT_MS, 'carol removed');
    await vscode.commands.executeCommand(Commands.deleteDialogForMe, created._id, { confirmed: true });
    await waitUntil(() => !api.service.dialogs.some((d) => d._id === created._id), UI_TIMEOUT_MS, 'the dialog gone from the list');
    await api.service.refreshDialogs();
    assert.ok(!api.service.dialogs.some((d) => d._id === created._id), 'and gone on the server');
  });
});

async function waitUntilAsync<T>(probe: () => Promise<T | false>, what: string): Promise<T> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
