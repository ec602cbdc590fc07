// The reads the XMPP hot path repeats (does the recipient exist? which dialog is this room?) are kept
// in memory, but only while nothing is written: a user or dialog changed by REST, even in the same
// event-loop turn, is seen as changed by the very next message.
import * as assert from 'node:assert/strict';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import type { ChatStore } from '../../src/server/store/chatStore';
import { StoreMemo } from '../../src/server/xmpp/storeMemo';
import { userExists } from '../../src/server/xmpp/userLookup';

describe('xmpp store memo', () => {
  let store: ChatStore;
  beforeEach(() => (store = openSqliteChatStore({})));
  afterEach(() => store.close());

  it('knows existing users and not unknown ids, and sees a deletion or a creation at once', () => {
    const user = store.createUser({ login: 'lookup-a', password: 'secret-1' });
    assert.equal(userExists(store, user.id), true);
    assert.equal(userExists(store, user.id + 1), false);
    store.deleteUser(user.id);
    assert.equal(userExists(store, user.id), false);
    const next = store.createUser({ login: 'lookup-b', password: 'secret-1' });
    assert.equal(userExists(store, next.id), true);
  });

  it('reads once while nothing is written, and again after any write', () => {
    const owner = store.createUser({ login: 'lookup-c', password: 'secret-1' });
    const other = store.createUser({ login: 'lookup-d', password: 'secret-1' });
    const dialog = store.createDialog({ type: 2, ownerId: owner.id, occupantIds: [other.id], name: 'room' });
    let reads = 0;
    const dialogs = new StoreMemo(store, (id: string) => {
      reads++;
      return store.getDialog(id);
    });
    assert.deepEqual(dialogs.get(dialog.id)?.occupantIds, [owner.id, other.id].sort((a, b) => a - b));
    dialogs.get(dialog.id);
    assert.equal(reads, 1);
    store.updateDialog(dialog.id, { removeOccupants: [other.id] });
    assert.deepEqual(dialogs.get(dialog.id)?.occupantIds, [owner.id]);
    assert.equal(reads, 2);
  });

  it('keeps stores apart', () => {
    const other = openSqliteChatStore({});
    try {
      const user = store.createUser({ login: 'lookup-e', password: 'secret-1' });
      assert.equal(userExists(store, user.id), true);
      assert.equal(userExists(other, user.id), false);
    } finally {
      other.close();
    }
  });
});
