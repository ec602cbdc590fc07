// Several signed-in users in the extension host: the profile's user (alice) and a second demo user
// (bob) signed in with "Sign In as Another User…", both ends of their private dialog. The tree gets
// one root per user, a message sent as one user arrives in the other user's tree and the view's
// badge, each user has a status bar item, commands act as the user their argument names, bob signs
// in again after Disconnect + Connect, and not after he signed out. Leaves alice signed in alone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../../../src/client/contracts';
import { DialogTypes, type QBDialog } from '../../../src/shared/models';
import { Commands, INSPECT_JSON_SCHEME, INSPECT_STANZA_SCHEME } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import type { TestMessageResult } from '../../../src/ui/testMessageCommands';
import { waitUntil } from '../wait';
import { activateExtension, dialogNodes, labelOf, serverInfo } from './extensionUnderTest';

const CONNECT_TIMEOUT_MS = 15000;
const UI_TIMEOUT_MS = 10000;

describe('Several signed-in users in the extension host', function () {
  this.timeout(40000);
  const info = serverInfo();
  const [alice, bob] = info.demoUsers ?? [];
  let api: QuickBloxTestApi;
  let dialog: QBDialog;

  const bobService = (): ChatServiceApi | undefined => api.sessions.serviceFor(bob.id);
  const logins = () => api.sessions.list().map((e) => `${e.login ?? '?'}:${e.state}`);

  async function connectAlice(): Promise<void> {
    assert.equal(await vscode.commands.executeCommand(Commands.connect), true, 'connect reports success');
    await waitUntil(() => api.service.state === 'online', CONNECT_TIMEOUT_MS, `alice online (is ${api.service.state})`);
  }

  before(async () => {
    assert.ok(alice && bob, 'two demo users');
    api = await activateExtension();
    await connectAlice();
    assert.equal(api.service.me?.id, alice.id, 'the profile\'s user is the first demo user');
    const found = api.service.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.id));
    assert.ok(found, 'alice and bob share a private dialog');
    dialog = found;
  });

  after(async () => {
    // Signed in or only remembered (a test failed half-way): either way, the next files see alice alone.
    await vscode.commands.executeCommand(Commands.signOutUser, { login: bob.login });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('signs in as a second user, from the server\'s demo users', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.signInAsAnotherUser, { login: bob.login }), true);
    assert.deepEqual(logins(), [`${alice.login}:online`, `${bob.login}:online`]);
    assert.equal(bobService()?.me?.id, bob.id);
  });

  it('refuses to sign in a user twice, and a login the server does not know, saying why', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.signInAsAnotherUser, { login: bob.login }), false);
    assert.equal(await vscode.commands.executeCommand(Commands.signInAsAnotherUser, { login: 'nobody-here', password: 'x' }), false);
    assert.deepEqual(logins(), [`${alice.login}:online`, `${bob.login}:online`], 'nobody new listed');
  });

  it('shows one root per user, each holding that user\'s dialogs named as that user sees them', async () => {
    const tree = api.dialogsTree;
    const roots = tree.getChildren();
    assert.deepEqual(roots.map((r) => labelOf(tree.getTreeItem(r))), [`${alice.login} — online`, `${bob.login} — online`]);
    assert.deepEqual(roots.map((r) => tree.getTreeItem(r).contextValue), ['user.primary.online', 'user.additional.online']);
    const label = (userId: number) => {
      const node = dialogNodes(tree, userId).find((n) => n.dialogId === dialog._id);
      return node && labelOf(tree.getTreeItem(node));
    };
    await waitUntil(() => label(alice.id) === bob.fullName && label(bob.id) === alice.fullName, UI_TIMEOUT_MS, `the private dialog as "${bob.fullName}" for alice and "${alice.fullName}" for bob (have ${label(alice.id)}, ${label(bob.id)})`);
    const groups = tree.getChildren(roots[1]).map((g) => labelOf(tree.getTreeItem(g)));
    assert.ok(groups.includes('Private') && groups.includes('Group'), `bob's groups: ${groups.join(', ')}`);
  });

  it('shows a status bar item per user', () => {
    assert.deepEqual(api.statusBarItems().map((v) => v.text), [`$(pass) ${alice.login}`, `$(pass) ${bob.login}`]);
    assert.deepEqual(api.statusBarItems()[1].command.arguments, [{ userId: bob.id }], 'a click acts as bob');
  });

  it('delivers a message sent as alice into bob\'s tree and the view\'s unread badge', async () => {
    const bobsUnread = () => bobService()?.dialogs.find((d) => d._id === dialog._id)?.unread_messages_count ?? 0;
    // Bob reads first, as himself: the mark goes to his copy of the dialog only.
    await vscode.commands.executeCommand(Commands.markDialogRead, { dialogId: dialog._id, userId: bob.id });
    await waitUntil(() => bobsUnread() === 0, UI_TIMEOUT_MS, 'bob\'s dialog read');
    const text = `from alice to bob ${Date.now()}`;
    const result = await vscode.commands.executeCommand<TestMessageResult | undefined>(Commands.sendTestMessage, {
      target: { dialogId: dialog._id },
      spec: { kind: 'text', text },
      userId: alice.id,
    });
    assert.equal(result?.sent, 1, 'sent as alice');
    const bobsRow = () => dialogNodes(api.dialogsTree, bob.id).find((n) => n.dialogId === dialog._id);
    await waitUntil(
      () => {
        const row = bobsRow();
        return row !== undefined && String(api.dialogsTree.getTreeItem(row).description).startsWith('1 new') && String(api.dialogsTree.getTreeItem(row).description).includes(text);
      },
      UI_TIMEOUT_MS,
      'bob\'s row of the dialog to show "1 new" and the message',
    );
    const unread = (service: ChatServiceApi | undefined) => (service?.dialogs ?? []).reduce((sum, d) => sum + d.unread_messages_count, 0);
    assert.equal(api.dialogsTree.view.badge?.value, unread(api.service) + unread(bobService()), 'the view\'s badge counts every user\'s unread messages, bob\'s new one too');
    const bobsRoot = api.dialogsTree.getChildren()[1];
    assert.equal(api.dialogsTree.getTreeItem(bobsRoot).description, '1 new');
  });

  it('inspects the message as bob: his REST JSON, and both ends\' stanzas in one log', async () => {
    const message = (await bobService()?.loadMessages(dialog._id, { limit: 1, markAsRead: false }))?.[0];
    assert.ok(message, 'bob has the message in his history');
    await vscode.commands.executeCommand(Commands.inspectMessageJson, { dialogId: dialog._id, messageId: message._id, userId: bob.id });
    const json = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === INSPECT_JSON_SCHEME && d.uri.path.includes(message._id)),
      UI_TIMEOUT_MS,
      'the message JSON document',
    );
    assert.equal(json.uri.query, `as=${bob.id}`, 'fetched as bob, and refreshed as bob');
    assert.equal((JSON.parse(json.getText()) as { _id: string })._id, message._id);
    await vscode.commands.executeCommand(Commands.inspectMessageStanza, { dialogId: dialog._id, messageId: message._id });
    const stanzas = await waitUntil(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === INSPECT_STANZA_SCHEME && d.uri.path.includes(message._id)),
      UI_TIMEOUT_MS,
      'the stanza document',
    );
    const text = stanzas.getText();
    assert.match(text, new RegExp(`sent [^·]+· ${alice.id}-${info.appId}@`), 'alice\'s outgoing stanza');
    assert.match(text, new RegExp(`received [^·]+· ${bob.id}-${info.appId}@`), 'bob\'s incoming stanza');
  });

  it('signs bob in again after Disconnect and Connect', async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    assert.deepEqual(api.sessions.list().map((e) => [e.primary, e.state]), [[true, 'offline']], 'Disconnect signs everyone out');
    assert.equal(api.statusBarItems().length, 1);
    await connectAlice();
    await waitUntil(() => bobService()?.state === 'online', CONNECT_TIMEOUT_MS, `bob signed in again (have ${logins().join(', ')})`);
  });

  it('signs bob out: his root and status bar item go, and Connect no longer signs him in', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.signOutUser, { login: bob.login }), true);
    assert.deepEqual(logins(), [`${alice.login}:online`]);
    assert.deepEqual(api.statusBarItems().map((v) => v.text), [`$(pass) ${alice.login}`]);
    assert.ok(api.dialogsTree.getChildren().every((n) => n.kind === 'type'), 'one user again: the groups are the roots');
    assert.equal(await vscode.commands.executeCommand(Commands.signOutUser, { login: alice.login }), false, 'the profile\'s user signs out with Disconnect');
    assert.deepEqual(api.rememberedUsers(), [], 'bob is forgotten');
    await vscode.commands.executeCommand(Commands.disconnect);
    await connectAlice();
    assert.deepEqual(logins(), [`${alice.login}:online`]);
  });
});
