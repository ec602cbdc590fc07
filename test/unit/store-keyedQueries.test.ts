// The store queries rewritten for speed (marks looked up by key, the dialog page with its occupants and
// unread counts in one query each, sessions that slide in steps) must answer exactly as before.
import * as assert from 'node:assert/strict';
import { SESSION_TTL_MS, type ChatStore } from '../../src/server/store/chatStore';
import { threeUserStore } from './storeFixture';

describe('store: keyed marks, the dialog page and session steps', () => {
  let store: ChatStore;
  let now: number;
  let alice: number;
  let bob: number;
  let carol: number;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    ({ store, alice, bob, carol } = threeUserStore(() => now));
  });
  afterEach(() => store.close());

  describe('marks by listed ids', () => {
    it('marks only the listed messages of that dialog from others, each once, by _id or stanza id', () => {
      const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'G' });
      const other = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'O' });
      const a = store.createMessage({ dialogId: group.id, senderId: alice, body: 'a', dateSent: 1, stanzaId: 'st-a' });
      const b = store.createMessage({ dialogId: group.id, senderId: carol, body: 'b', dateSent: 2 });
      const own = store.createMessage({ dialogId: group.id, senderId: bob, body: 'own', dateSent: 3 });
      const elsewhere = store.createMessage({ dialogId: other.id, senderId: alice, body: 'x', dateSent: 4 });
      store.createMessage({ dialogId: group.id, senderId: alice, body: 'unlisted', dateSent: 5 });
      assert.equal(store.unreadCount(bob, group.id), 3);

      // `a` is named twice (by _id and stanza id), `own` is bob's, `elsewhere` is in another dialog, one id is unknown.
      assert.equal(store.markRead(bob, group.id, [a.id, 'st-a', b.id, own.id, elsewhere.id, 'no-such-id']), 2);
      assert.equal(store.unreadCount(bob, group.id), 1, 'the unlisted message stays unread');
      assert.deepEqual(store.getMessage(a.id)?.readIds, [alice, bob]);
      assert.deepEqual(store.getMessage(b.id)?.deliveredIds, [bob, carol]);
      assert.deepEqual(store.getMessage(elsewhere.id)?.readIds, [alice], 'a message of another dialog is never marked');
      assert.equal(store.unreadCount(bob, other.id), 1);
      assert.equal(store.markRead(bob, group.id, [a.id, b.id]), 0, 'marking again changes nothing');
    });

    it('takes a read mark back by stanza id, and counts it unread again', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const message = store.createMessage({ dialogId: dialog.id, senderId: alice, body: 'a', dateSent: 1, stanzaId: 'web-1' });
      store.markRead(bob, dialog.id);
      assert.equal(store.unreadCount(bob, dialog.id), 0);
      assert.equal(store.markUnread(bob, dialog.id, ['web-1']), 1);
      assert.deepEqual(store.getMessage(message.id)?.readIds, [alice]);
      assert.deepEqual(store.getMessage(message.id)?.deliveredIds, [alice, bob], 'delivery stays');
      assert.equal(store.unreadCount(bob, dialog.id), 1);
    });

    it('leaves messages a user deleted for themself out of listed marks, and their unread count with them', () => {
      const dialog = store.ensurePrivateDialog(alice, bob).dialog;
      const [m1, m2] = [1, 2].map((i) => store.createMessage({ dialogId: dialog.id, senderId: alice, body: `m${i}`, dateSent: i }).id);
      store.hideMessages(bob, dialog.id, [m1]);
      assert.equal(store.unreadCount(bob, dialog.id), 1);
      assert.equal(store.markRead(bob, dialog.id, [m1, m2]), 1);
      assert.deepEqual(store.getMessage(m1)?.readIds, [alice]);
      assert.equal(store.unreadCount(bob, dialog.id), 0);
    });
  });

  describe('the dialog page', () => {
    it('carries each dialog’s own occupants and the viewer’s exact unread count', () => {
      const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'G' });
      now += 1000;
      const pair = store.ensurePrivateDialog(alice, bob).dialog;
      now += 1000;
      const open = store.createDialog({ type: 1, ownerId: carol, occupantIds: [], name: 'public' });
      now += 1000;
      for (let i = 0; i < 3; i++) store.createMessage({ dialogId: group.id, senderId: carol, body: `g${i}`, dateSent: 10 + i });
      now += 1000;
      store.createMessage({ dialogId: pair.id, senderId: alice, body: 'p', dateSent: 20 });
      store.markRead(bob, group.id, [store.listMessages(group.id, { limit: 1, skip: 0 })[0].id]);

      const page = (userId: number) =>
        store.listDialogs(userId, { limit: 10, skip: 0 }).items.map((d) => [d.id, d.occupantIds, d.unreadCount]);
      // Newest activity first: the private dialog had the last message, then the group; the public one is quiet.
      assert.deepEqual(page(bob), [
        [pair.id, [alice, bob], 1],
        [group.id, [alice, bob, carol], 2],
        [open.id, [carol], 0],
      ]);
      assert.deepEqual(page(alice), [
        [pair.id, [alice, bob], 0],
        [group.id, [alice, bob, carol], 3],
        [open.id, [carol], 0],
      ]);
      for (const [dialogId, , unread] of page(bob)) assert.equal(unread, store.unreadCount(bob, String(dialogId)));
    });

    it('counts and pages the same visible dialogs, hidden ones and filters included', () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        now += 1000;
        ids.push(store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: `d${i}` }).id);
      }
      store.createDialog({ type: 2, ownerId: carol, occupantIds: [], name: 'not bob’s' });
      now += 1000;
      const open = store.createDialog({ type: 1, ownerId: carol, occupantIds: [], name: 'public' }).id;
      store.hideDialog(bob, ids[2]);

      const first = store.listDialogs(bob, { limit: 2, skip: 0 });
      const rest = store.listDialogs(bob, { limit: 10, skip: 2 });
      assert.equal(first.total, 5);
      assert.deepEqual([...first.items, ...rest.items].map((d) => d.id), [open, ids[4], ids[3], ids[1], ids[0]]);
      const oldestFirst = store.listDialogs(bob, { limit: 10, skip: 0, sortField: 'updated_at', sortAscending: true });
      assert.deepEqual(oldestFirst.items.map((d) => d.id), [ids[0], ids[1], ids[3], ids[4], open]);
      const groups = store.listDialogs(bob, { limit: 10, skip: 0, filters: [{ field: 'type', operator: 'eq', values: [2] }] });
      assert.equal(groups.total, 4);
      assert.equal(store.listDialogs(carol, { limit: 10, skip: 0 }).total, 2);
    });
  });

  describe('session expiry', () => {
    it('slides in steps of a minute of the 2-hour lifetime, never later than 2 hours after the last use', () => {
      const created = store.createSession(1, alice, 1, 1, SESSION_TTL_MS);
      now += 30_000;
      assert.equal(store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt, created.expiresAt, 'within a step: unchanged');
      now += 31_000;
      assert.equal(store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt, now + SESSION_TTL_MS, 'a step later: slid');
      assert.equal(store.getUser(alice)?.lastRequestAt, now);
      const slidAt = now;
      now += 59_000;
      const kept = store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt ?? 0;
      assert.equal(kept, slidAt + SESSION_TTL_MS);
      assert.ok(kept > now + SESSION_TTL_MS - 60_000 && kept <= now + SESSION_TTL_MS);
      now = kept;
      assert.equal(store.touchSession(created.token, SESSION_TTL_MS), undefined, 'expired at its expiry');
    });
  });
});
