import * as assert from 'node:assert/strict';
import { StoreConflictError, type ChatStore } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';

describe('store: SQLite chat store queries', () => {
  let store: ChatStore;
  let now: number;
  let alice: number;
  let bob: number;
  let carol: number;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    store = openSqliteChatStore({ now: () => now });
    alice = store.createUser({ login: 'alice', password: 'alice-pass', fullName: 'Alice' }).id;
    bob = store.createUser({ login: 'bob', email: 'bob@example.com', password: 'bob-pass' }).id;
    carol = store.createUser({ login: 'carol', password: 'carol-pass' }).id;
  });
  afterEach(() => store.close());

  describe('users', () => {
    it('gives positive ids and checks passwords against the salted hash', async () => {
      assert.ok(alice > 0 && bob > alice);
      assert.equal(await store.verifyPassword(alice, 'alice-pass'), true);
      assert.equal(await store.verifyPassword(alice, 'bob-pass'), false);
      assert.equal(store.countUsers(), 3);
    });

    it('refuses a taken login (any case) or email with a conflict naming the field', () => {
      assert.throws(() => store.createUser({ login: 'ALICE', password: 'x-pass-123' }), (e: unknown) => e instanceof StoreConflictError && e.field === 'login');
      assert.throws(
        () => store.createUser({ login: 'bob2', email: 'bob@example.com', password: 'x-pass-123' }),
        (e: unknown) => e instanceof StoreConflictError && e.field === 'email',
      );
      assert.equal(store.countUsers(), 3);
    });

    it('filters and pages the user list', () => {
      const page = store.listUsers({ limit: 1, skip: 1, filters: [{ field: 'id', operator: 'in', values: [alice, carol] }] });
      assert.equal(page.total, 2);
      assert.deepEqual(page.items.map((u) => u.id), [carol]);
      const desc = store.listUsers({ limit: 10, skip: 0, sortField: 'login', sortAscending: false });
      assert.deepEqual(desc.items.map((u) => u.login), ['carol', 'bob', 'alice']);
    });
  });

  describe('sessions', () => {
    it('slides the expiry on use and forgets an expired token', () => {
      const session = store.createSession(1, 0, 42, 1000, 60_000);
      now += 50_000;
      assert.equal(store.touchSession(session.token, 60_000)?.expiresAt, now + 60_000);
      now += 59_000;
      assert.ok(store.touchSession(session.token, 60_000), 'still alive: the last use moved the expiry');
      now += 60_001;
      assert.equal(store.touchSession(session.token, 60_000), undefined);
    });

    it('accepts a nonce once, even after the session it opened is deleted', () => {
      const ts = Math.floor(now / 1000);
      assert.equal(store.claimNonce(1, 7, ts), true);
      const session = store.createSession(1, alice, 7, ts, 60_000);
      store.deleteSession(session.token);
      assert.equal(store.claimNonce(1, 7, ts), false, 'a replay');
      assert.equal(store.claimNonce(1, 8, ts), true);
    });
  });

  describe('dialogs', () => {
    it('keeps exactly one private dialog per pair, whichever side asks', () => {
      const { dialog: first, created } = store.ensurePrivateDialog(alice, bob);
      assert.equal(created, true);
      assert.deepEqual(store.ensurePrivateDialog(bob, alice), { dialog: first, created: false });
      assert.equal(store.createDialog({ type: 3, ownerId: bob, occupantIds: [alice] }).id, first.id);
      assert.equal(store.findPrivateDialog(bob, alice)?.id, first.id);
      assert.deepEqual(first.occupantIds, [alice, bob]);
      assert.equal(store.listDialogs(alice, { limit: 10, skip: 0, filters: [{ field: 'type', operator: 'eq', values: [3] }] }).total, 1);
    });

    it('lists only visible dialogs, filtered by type and id', () => {
      const group = store.createDialog({ type: 2, ownerId: carol, occupantIds: [bob, alice], name: 'G' });
      const privateDialog = store.ensurePrivateDialog(alice, bob).dialog;
      assert.deepEqual(group.occupantIds, [alice, bob, carol]);
      assert.equal(store.listDialogs(carol, { limit: 10, skip: 0 }).total, 1);
      assert.equal(store.listDialogs(alice, { limit: 10, skip: 0 }).total, 2);
      assert.deepEqual(store.listDialogs(alice, { limit: 10, skip: 0, filters: [{ field: 'type', operator: 'in', values: [2] }] }).items.map((d) => d.id), [group.id]);
      assert.deepEqual(store.listDialogs(alice, { limit: 10, skip: 0, filters: [{ field: '_id', operator: 'eq', values: [privateDialog.id] }] }).items.map((d) => d.id), [privateDialog.id]);
    });
  });

  describe('deleting', () => {
    it('moves unread counters and last_message* with hidden and force-deleted messages', () => {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'D' });
      const send = (dateSent: number) => store.createMessage({ dialogId: dialog.id, senderId: alice, body: `m${dateSent}`, dateSent }).id;
      const [m1, m2, m3] = [send(1), send(2), send(3)];
      store.markRead(carol, dialog.id, [m3]);
      store.hideMessages(bob, dialog.id, [m1]);
      assert.equal(store.unreadCount(bob, dialog.id), 2);
      store.markRead(bob, dialog.id);
      assert.equal(store.unreadCount(bob, dialog.id), 0, 'a hidden message is never marked');
      store.deleteMessages(dialog.id, [m2, m3]);
      assert.equal(store.unreadCount(carol, dialog.id), 1);
      assert.deepEqual([store.getDialog(dialog.id)?.lastMessageId, store.getDialog(dialog.id)?.lastMessage], [m1, 'm1']);
      assert.deepEqual(store.listMessages(dialog.id, { limit: 10, skip: 0, viewerId: bob }), []);
      store.markUnread(carol, dialog.id);
      assert.equal(store.unreadCount(carol, dialog.id), 1, 'm1 was never read by carol');
    });
  });

  describe('messages', () => {
    it('moves last_message and the other occupants’ unread counters with each message', () => {
      const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'G' });
      const m1 = store.createMessage({ dialogId: group.id, senderId: alice, body: 'one', dateSent: 100 });
      store.createMessage({ dialogId: group.id, senderId: bob, body: 'two', dateSent: 101 });
      assert.deepEqual([store.unreadCount(alice, group.id), store.unreadCount(bob, group.id), store.unreadCount(carol, group.id)], [1, 1, 2]);
      assert.deepEqual(m1.readIds, [alice]);
      assert.deepEqual(m1.deliveredIds, [alice]);
      const dialog = store.getDialog(group.id);
      assert.equal(dialog?.lastMessage, 'two');
      assert.equal(dialog?.lastMessageUserId, bob);
      // A late message with an older date_sent counts as unread but does not become the last message.
      store.createMessage({ dialogId: group.id, senderId: carol, body: 'late', dateSent: 50 });
      assert.equal(store.getDialog(group.id)?.lastMessage, 'two');
      assert.equal(store.unreadCount(alice, group.id), 2);
    });

    it('markRead lowers the counter by what it newly marks, never below zero', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const ids = [1, 2, 3].map((i) => store.createMessage({ dialogId: dialog.id, senderId: alice, body: `m${i}`, dateSent: i }).id);
      assert.equal(store.unreadCount(bob, dialog.id), 3);
      assert.equal(store.markRead(bob, dialog.id, [ids[0]]), 1);
      assert.equal(store.unreadCount(bob, dialog.id), 2);
      assert.equal(store.markRead(bob, dialog.id, [ids[0]]), 0, 'marking again changes nothing');
      assert.equal(store.markRead(alice, dialog.id), 0, 'own messages are read already');
      assert.equal(store.markRead(bob, dialog.id), 2);
      assert.equal(store.unreadCount(bob, dialog.id), 0);
      const message = store.getMessage(ids[2]);
      assert.deepEqual(message?.readIds, [alice, bob]);
      assert.deepEqual(message?.deliveredIds, [alice, bob]);
      assert.equal(message?.recipientId, bob);
    });

    it('orders by date_sent then _id, both ways, with date filters and paging', () => {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'G' });
      const send = (id: string, dateSent: number) => store.createMessage({ dialogId: dialog.id, senderId: alice, body: id, dateSent, id });
      // Inserted out of order; three share date_sent 200.
      send('00000000000000000000000c', 200);
      send('00000000000000000000000a', 200);
      send('00000000000000000000000d', 300);
      send('00000000000000000000000b', 200);
      send('00000000000000000000000e', 100);
      const ids = (query: Parameters<ChatStore['listMessages']>[1]) => store.listMessages(dialog.id, query).map((m) => m.id.slice(-1));
      assert.deepEqual(ids({ limit: 10, skip: 0 }), ['e', 'a', 'b', 'c', 'd']);
      assert.deepEqual(ids({ limit: 10, skip: 0, sortAscending: false }), ['d', 'c', 'b', 'a', 'e']);
      assert.deepEqual(ids({ limit: 2, skip: 1 }), ['a', 'b']);
      assert.deepEqual(ids({ limit: 10, skip: 0, filters: [{ field: 'date_sent', operator: 'gt', values: [100] }, { field: 'date_sent', operator: 'lt', values: [300] }] }), ['a', 'b', 'c']);
    });

    it('keeps attachments and custom parameters as given', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const created = store.createMessage({
        dialogId: dialog.id,
        senderId: bob,
        body: null,
        dateSent: 5,
        attachments: [{ type: 'image', id: '47863' }],
        customParams: { age: '25' },
        markable: true,
      });
      const read = store.getMessage(created.id);
      assert.deepEqual(read?.attachments, [{ type: 'image', id: '47863' }]);
      assert.deepEqual(read?.customParams, { age: '25' });
      assert.equal(read?.markable, true);
      assert.equal(read?.recipientId, alice);
    });

    it('opens the private dialog with the first message, and leaves none behind when that message fails', () => {
      const first = store.createMessage({ privateWith: bob, senderId: alice, body: 'hi', dateSent: 1 });
      assert.equal(first.dialogId, store.findPrivateDialog(alice, bob)?.id);
      assert.equal(store.unreadCount(bob, first.dialogId), 1);
      // The same id again cannot be inserted: the dialog it would have opened must not exist either.
      assert.throws(() => store.createMessage({ privateWith: carol, senderId: alice, body: 'dup', dateSent: 2, id: first.id }));
      assert.equal(store.findPrivateDialog(alice, carol), undefined);
      assert.equal(store.listDialogs(carol, { limit: 10, skip: 0 }).total, 0);
    });

    it('marks read and delivered by the stored id or by the stanza id the message came with', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const byStanza = store.createMessage({ dialogId: dialog.id, senderId: alice, body: 'a', dateSent: 1, stanzaId: 'web-42' });
      const byId = store.createMessage({ dialogId: dialog.id, senderId: alice, body: 'b', dateSent: 2 });
      assert.equal(store.markDelivered(bob, dialog.id, ['web-42']), 1);
      assert.deepEqual(store.getMessage(byStanza.id)?.deliveredIds, [alice, bob]);
      assert.equal(store.markRead(bob, dialog.id, ['web-42', byId.id]), 2);
      assert.equal(store.unreadCount(bob, dialog.id), 0);
      assert.equal(store.totalUnreadCount(bob), 0);
    });

    it('edits a message and the dialog’s last message with it', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const message = store.createMessage({ dialogId: dialog.id, senderId: alice, body: 'typo', dateSent: 1 });
      now += 1000;
      const edited = store.editMessage(message.id, 'fixed');
      assert.equal(edited.body, 'fixed');
      assert.equal(edited.updatedAt, now);
      assert.equal(store.getDialog(dialog.id)?.lastMessage, 'fixed');
    });
  });
});
