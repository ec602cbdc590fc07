// What the read side may cache must never answer differently from the database: the data version
// (which the REST answer cache trusts) moves with every write and rollback and only then, and the
// sessions kept in memory follow every way a session changes or ends.
import * as assert from 'node:assert/strict';
import { SESSION_TTL_MS } from '../../src/server/store/chatStore';
import { threeUserStoreEachTest } from './storeFixture';

describe('store: the data version and cached sessions', () => {
  const t = threeUserStoreEachTest();

  describe('data version', () => {
    it('stands still while only reading, sessions within their slide step included', () => {
      const dialog = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob], name: 'G' });
      t.store.createMessage({ dialogId: dialog.id, senderId: t.bob, body: 'hi', dateSent: 1 });
      const session = t.store.createSession(1, t.alice, 1, 1, SESSION_TTL_MS);
      const version = t.store.dataVersion();
      t.store.touchSession(session.token, SESSION_TTL_MS);
      t.store.getDialog(dialog.id);
      t.store.listDialogsJson(t.alice, { limit: 10, skip: 0 }, { appId: 1, mucDomain: 'muc.localhost' });
      t.store.listMessagesJson(dialog.id, { limit: 10, skip: 0, viewerId: t.alice });
      t.store.totalUnreadCount(t.alice);
      assert.equal(t.store.dataVersion(), version);
    });

    it('moves with every kind of write, whichever part of the store makes it', () => {
      const dialog = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob], name: 'G' });
      const writes: Array<[string, () => unknown]> = [
        ['message', () => t.store.createMessage({ dialogId: dialog.id, senderId: t.bob, body: 'hi', dateSent: 1 })],
        ['read mark', () => t.store.markRead(t.alice, dialog.id)],
        ['push setting', () => t.store.setNotificationsEnabled(t.alice, dialog.id, false)],
        ['user', () => t.store.updateUser(t.carol, { fullName: 'Carol C' })],
        ['last seen', () => t.store.recordLastSeen(t.bob, t.now)],
        ['offline queue', () => t.store.queueOffline(t.bob, '<message/>', 10)],
        ['session slide', () => {
          const session = t.store.createSession(1, t.alice, 2, 2, SESSION_TTL_MS);
          t.now += 120_000;
          return t.store.touchSession(session.token, SESSION_TTL_MS);
        }],
      ];
      for (const [what, write] of writes) {
        const before = t.store.dataVersion();
        write();
        assert.notEqual(t.store.dataVersion(), before, what);
      }
    });

    it('moves when a transaction rolls back, even though the data is as before', () => {
      const before = t.store.dataVersion();
      assert.throws(() =>
        t.store.transaction(() => {
          t.store.createUser({ login: 'dave', password: 'dave-pass' });
          throw new Error('undo');
        }),
      );
      assert.equal(t.store.findUserByLogin('dave'), undefined);
      assert.notEqual(t.store.dataVersion(), before);
    });
  });

  describe('cached sessions', () => {
    it('refuses a deleted session, and the sessions of a deleted user, at once', () => {
      const gone = t.store.createSession(1, t.alice, 1, 1, SESSION_TTL_MS);
      const ofCarol = t.store.createSession(1, t.carol, 2, 2, SESSION_TTL_MS);
      assert.ok(t.store.touchSession(gone.token, SESSION_TTL_MS));
      assert.ok(t.store.touchSession(ofCarol.token, SESSION_TTL_MS));
      t.store.deleteSession(gone.token);
      t.store.deleteUser(t.carol);
      assert.equal(t.store.touchSession(gone.token, SESSION_TTL_MS), undefined);
      assert.equal(t.store.touchSession(ofCarol.token, SESSION_TTL_MS), undefined);
    });

    it('answers the user a login or logout put on the session', () => {
      const session = t.store.createSession(1, 0, 1, 1, SESSION_TTL_MS);
      assert.equal(t.store.touchSession(session.token, SESSION_TTL_MS)?.userId, 0);
      t.store.setSessionUser(session.token, t.bob);
      assert.equal(t.store.touchSession(session.token, SESSION_TTL_MS)?.userId, t.bob);
      t.store.setSessionUser(session.token, 0);
      assert.equal(t.store.touchSession(session.token, SESSION_TTL_MS)?.userId, 0);
    });

    it('expires a cached session on time, and slides it as the stored one', () => {
      const session = t.store.createSession(1, t.alice, 1, 1, SESSION_TTL_MS);
      t.now += SESSION_TTL_MS / 2;
      const slid = t.store.touchSession(session.token, SESSION_TTL_MS);
      assert.equal(slid?.expiresAt, t.now + SESSION_TTL_MS);
      t.now += 30_000;
      assert.equal(t.store.touchSession(session.token, SESSION_TTL_MS)?.expiresAt, slid?.expiresAt, 'within a step: the same expiry');
      t.now = slid?.expiresAt ?? 0;
      assert.equal(t.store.touchSession(session.token, SESSION_TTL_MS), undefined);
    });

    it('forgets a session whose creation was rolled back', () => {
      let token = '';
      assert.throws(() =>
        t.store.transaction(() => {
          token = t.store.createSession(1, t.alice, 1, 1, SESSION_TTL_MS).token;
          assert.ok(t.store.touchSession(token, SESSION_TTL_MS));
          throw new Error('undo');
        }),
      );
      assert.equal(t.store.touchSession(token, SESSION_TTL_MS), undefined);
    });
  });
});
