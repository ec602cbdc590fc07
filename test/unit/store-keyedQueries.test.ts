// The store queries rewritten for speed (marks looked up by key, the dialog page with its occupants and
// unread counts in one query each, sessions that slide in steps) must answer exactly as before.
import * as assert from 'node:assert/strict';
import { SESSION_TTL_MS } from '../../src/server/store/chatStore';
import { threeUserStoreEachTest } from './storeFixture';

describe('store: keyed marks, the dialog page and session steps', () => {
  const t = threeUserStoreEachTest();

  describe('marks by listed ids', () => {
    it('marks only the listed messages of that dialog from others, each once, by _id or stanza id', () => {
      const group = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob, t.carol], name: 'G' });
      const other = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob], name: 'O' });
      const a = t.store.createMessage({ dialogId: group.id, senderId: t.alice, body: 'a', dateSent: 1, stanzaId: 'st-a' });
      const b = t.store.createMessage({ dialogId: group.id, senderId: t.carol, body: 'b', dateSent: 2 });
      const own = t.store.createMessage({ dialogId: group.id, senderId: t.bob, body: 'own', dateSent: 3 });
      const elsewhere = t.store.createMessage({ dialogId: other.id, senderId: t.alice, body: 'x', dateSent: 4 });
      t.store.createMessage({ dialogId: group.id, senderId: t.alice, body: 'unlisted', dateSent: 5 });
      assert.equal(t.store.unreadCount(t.bob, group.id), 3);

      // `a` is named twice (by _id and stanza id), `own` is bob's, `elsewhere` is in another dialog, one id is unknown.
      assert.equal(t.store.markRead(t.bob, group.id, [a.id, 'st-a', b.id, own.id, elsewhere.id, 'no-such-id']), 2);
      assert.equal(t.store.unreadCount(t.bob, group.id), 1, 'the unlisted message stays unread');
      assert.deepEqual(t.store.getMessage(a.id)?.readIds, [t.alice, t.bob]);
      assert.deepEqual(t.store.getMessage(b.id)?.deliveredIds, [t.bob, t.carol]);
      assert.deepEqual(t.store.getMessage(elsewhere.id)?.readIds, [t.alice], 'a message of another dialog is never marked');
      assert.equal(t.store.unreadCount(t.bob, other.id), 1);
      assert.equal(t.store.markRead(t.bob, group.id, [a.id, b.id]), 0, 'marking again changes nothing');
    });

    it('takes a read mark back by stanza id, and counts it unread again', () => {
      const dialog = t.store.ensurePrivateDialog(t.alice, t.bob).dialog;
      const message = t.store.createMessage({ dialogId: dialog.id, senderId: t.alice, body: 'a', dateSent: 1, stanzaId: 'web-1' });
      t.store.markRead(t.bob, dialog.id);
      assert.equal(t.store.unreadCount(t.bob, dialog.id), 0);
      assert.equal(t.store.markUnread(t.bob, dialog.id, ['web-1']), 1);
      assert.deepEqual(t.store.getMessage(message.id)?.readIds, [t.alice]);
      assert.deepEqual(t.store.getMessage(message.id)?.deliveredIds, [t.alice, t.bob], 'delivery stays');
      assert.equal(t.store.unreadCount(t.bob, dialog.id), 1);
    });

    it('leaves messages a user deleted for themself out of listed marks, and their unread count with them', () => {
      const dialog = t.store.ensurePrivateDialog(t.alice, t.bob).dialog;
      const [m1, m2] = [1, 2].map((i) => t.store.createMessage({ dialogId: dialog.id, senderId: t.alice, body: `m${i}`, dateSent: i }).id);
      t.store.hideMessages(t.bob, dialog.id, [m1]);
      assert.equal(t.store.unreadCount(t.bob, dialog.id), 1);
      assert.equal(t.store.markRead(t.bob, dialog.id, [m1, m2]), 1);
      assert.deepEqual(t.store.getMessage(m1)?.readIds, [t.alice]);
      assert.equal(t.store.unreadCount(t.bob, dialog.id), 0);
    });
  });

  describe('the dialog page', () => {
    it('carries each dialog’s own occupants and the viewer’s exact unread count', () => {
      const group = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob, t.carol], name: 'G' });
      t.now += 1000;
      const pair = t.store.ensurePrivateDialog(t.alice, t.bob).dialog;
      t.now += 1000;
      const open = t.store.createDialog({ type: 1, ownerId: t.carol, occupantIds: [], name: 'public' });
      t.now += 1000;
      for (let i = 0; i < 3; i++) t.store.createMessage({ dialogId: group.id, senderId: t.carol, body: `g${i}`, dateSent: 10 + i });
      t.now += 1000;
      t.store.createMessage({ dialogId: pair.id, senderId: t.alice, body: 'p', dateSent: 20 });
      t.store.markRead(t.bob, group.id, [t.store.listMessages(group.id, { limit: 1, skip: 0 })[0].id]);

      const page = (userId: number) =>
        t.store.listDialogs(userId, { limit: 10, skip: 0 }).items.map((d) => [d.id, d.occupantIds, d.unreadCount]);
      // Newest activity first: the private dialog had the last message, then the group; the public one is quiet.
      assert.deepEqual(page(t.bob), [
        [pair.id, [t.alice, t.bob], 1],
        [group.id, [t.alice, t.bob, t.carol], 2],
        [open.id, [t.carol], 0],
      ]);
      assert.deepEqual(page(t.alice), [
        [pair.id, [t.alice, t.bob], 0],
        [group.id, [t.alice, t.bob, t.carol], 3],
        [open.id, [t.carol], 0],
      ]);
      for (const [dialogId, , unread] of page(t.bob)) assert.equal(unread, t.store.unreadCount(t.bob, String(dialogId)));
    });

    it('counts and pages the same visible dialogs, hidden ones and filters included', () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        t.now += 1000;
        ids.push(t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob], name: `d${i}` }).id);
      }
      t.store.createDialog({ type: 2, ownerId: t.carol, occupantIds: [], name: 'not bob’s' });
      t.now += 1000;
      const open = t.store.createDialog({ type: 1, ownerId: t.carol, occupantIds: [], name: 'public' }).id;
      t.store.hideDialog(t.bob, ids[2]);

      const first = t.store.listDialogs(t.bob, { limit: 2, skip: 0 });
      const rest = t.store.listDialogs(t.bob, { limit: 10, skip: 2 });
      assert.equal(first.total, 5);
      assert.deepEqual([...first.items, ...rest.items].map((d) => d.id), [open, ids[4], ids[3], ids[1], ids[0]]);
      const oldestFirst = t.store.listDialogs(t.bob, { limit: 10, skip: 0, sortField: 'updated_at', sortAscending: true });
      assert.deepEqual(oldestFirst.items.map((d) => d.id), [ids[0], ids[1], ids[3], ids[4], open]);
      const groups = t.store.listDialogs(t.bob, { limit: 10, skip: 0, filters: [{ field: 'type', operator: 'eq', values: [2] }] });
      assert.equal(groups.total, 4);
      assert.equal(t.store.listDialogs(t.carol, { limit: 10, skip: 0 }).total, 2);
    });
  });

  describe('session expiry', () => {
    it('slides in steps of a minute of the 2-hour lifetime, never later than 2 hours after the last use', () => {
      const created = t.store.createSession(1, t.alice, 1, 1, SESSION_TTL_MS);
      t.now += 30_000;
      assert.equal(t.store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt, created.expiresAt, 'within a step: unchanged');
      t.now += 31_000;
      assert.equal(t.store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt, t.now + SESSION_TTL_MS, 'a step later: slid');
      assert.equal(t.store.getUser(t.alice)?.lastRequestAt, t.now);
      const slidAt = t.now;
      t.now += 59_000;
      const kept = t.store.touchSession(created.token, SESSION_TTL_MS)?.expiresAt ?? 0;
      assert.equal(kept, slidAt + SESSION_TTL_MS);
      assert.ok(kept > t.now + SESSION_TTL_MS - 60_000 && kept <= t.now + SESSION_TTL_MS);
      t.now = kept;
      assert.equal(t.store.touchSession(created.token, SESSION_TTL_MS), undefined, 'expired at its expiry');
    });
  });
});
