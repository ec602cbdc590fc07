// What the read side may cache must never answer differently from the database: the data version
// (which the REST answer cache trusts) moves with every write and rollback and only then, and the
// sessions kept in memory follow every way a session changes or ends.
import * as assert from 'node:assert/strict';
import { SESSION_TTL_MS, type ChatStore } from '../../src/server/store/chatStore';
import { threeUserStore } from './storeFixture';

describe('store: the data version and cached sessions', () => {
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

  describe('data version', () => {
    it('stands still while only reading, sessions within their slide step included', () => {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'G' });
      store.createMessage({ dialogId: dialog.id, senderId: bob, body: 'hi', dateSent: 1 });
      const session = store.createSession(1, alice, 1, 1, SESSION_TTL_MS);
      const version = store.dataVersion();
      store.touchSession(session.token, SESSION_TTL_MS);
      store.getDialog(dialog.id);
      store.listDialogsJson(alice, { limit: 10, skip: 0 }, { appId: 1, mucDomain: 'muc.localhost' });
      store.listMessagesJson(dialog.id, { limit: 10, skip: 0, viewerId: alice });
      store.totalUnreadCount(alice);
      assert.equal(store.dataVersion(), version);
    });

    it('moves with every kind of write, whichever part of the store makes it', () => {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'G' });
      const writes: Array<[string, () => unknown]> = [
        ['message', () => store.createMessage({ dialogId: dialog.id, senderId: bob, body: 'hi', dateSent: 1 })],
        ['read mark', () => store.markRead(alice, dialog.id)],
        ['push setting', () => store.setNotificationsEnabled(alice, dialog.id, false)],
        ['user', () => store.updateUser(carol, { fullName: 'Carol C' })],
        ['last seen', () => store.recordLastSeen(bob, now)],
        ['offline queue', () => store.queueOffline(bob, '<message/>', 10)],
        ['session slide', () => {
          const session = store.createSession(1, alice, 2, 2, SESSION_TTL_MS);
          now += 120_000;
          return store.touchSession(session.token, SESSION_TTL_MS);
        }],
      ];
      for (const [what, write] of writes) {
        const before = store.dataVersion();
        write();
        assert.notEqual(store.dataVersion(), before, what);
      }
    });

    it('moves when a transaction rolls back, even though the data is as before', () => {
      const before = store.dataVersion();
      assert.throws(() =>
        store.transaction(() => {
          store.createUser({ login: 'dave', password: 'dave-pass' });
          throw new Error('undo');
        }),
      );
      assert.equal(store.findUserByLogin('dave'), undefined);
      assert.notEqual(store.dataVersion(), before);
    });
  });

  describe('cached sessions', () => {
    it('refuses a deleted session, and the sessions of a deleted user, at once', () => {
      const gone = store.createSession(1, alice, 1, 1, SESSION_TTL_MS);
      const ofCarol = store.createSession(1, carol, 2, 2, SESSION_TTL_MS);
      assert.ok(store.touchSession(gone.token, SESSION_TTL_MS));
      assert.ok(store.touchSession(ofCarol.token, SESSION_TTL_MS));
      store.deleteSession(gone.token);
      store.deleteUser(carol);
      assert.equal(store.touchSession(gone.token, SESSION_TTL_MS), undefined);
      assert.equal(store.touchSession(ofCarol.token, SESSION_TTL_MS), undefined);
    });

    it('answers the user a login or logout put on the session', () => {
      const session = store.createSession(1, 0, 1, 1, SESSION_TTL_MS);
      assert.equal(store.touchSession(session.token, SESSION_TTL_MS)?.userId, 0);
      store.setSessionUser(session.token, bob);
      assert.equal(store.touchSession(session.token, SESSION_TTL_MS)?.userId, bob);
      store.setSessionUser(session.token, 0);
      assert.equal(store.touchSession(session.token, SESSION_TTL_MS)?.userId, 0);
    });

    it('expires a cached session on time, and slides it as the stored one', () => {
      const session = store.createSession(1, alice, 1, 1, SESSION_TTL_MS);
      now += SESSION_TTL_MS / 2;
      const slid = store.touchSession(session.token, SESSION_TTL_MS);
      assert.equal(slid?.expiresAt, now + SESSION_TTL_MS);
      now += 30_000;
      assert.equal(store.touchSession(session.token, SESSION_TTL_MS)?.expiresAt, slid?.expiresAt, 'within a step: the same expiry');
      now = slid?.expiresAt ?? 0;
      assert.equal(store.touchSession(session.token, SESSION_TTL_MS), undefined);
    });

    it('forgets a session whose creation was rolled back', () => {
      let token = '';
      assert.throws(() =>
        store.transaction(() => {
          token = store.createSession(1, alice, 1, 1, SESSION_TTL_MS).token;
          assert.ok(store.touchSession(token, SESSION_TTL_MS));
          throw new Error('undo');
        }),
      );
      assert.equal(store.touchSession(token, SESSION_TTL_MS), undefined);
    });
  });
});
