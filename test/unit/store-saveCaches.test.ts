// The message save path without read-backs: createMessage answers the record it wrote, takes a
// preferred id only when free, and caches the private dialog per pair and the occupants per dialog,
// which every dialog write and every rollback must keep exact.
import * as assert from 'node:assert/strict';
import type { ChatStore } from '../../src/server/store/chatStore';
import { threeUserStore } from './storeFixture';
import { newObjectId } from '../../src/shared/objectId';

describe('store: saving messages without read-backs', () => {
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

  it('answers exactly what getMessage reads back', () => {
    const saved = store.createMessage({
      privateWith: bob,
      senderId: alice,
      body: 'hi',
      dateSent: 1_700_000_000,
      attachments: [{ type: 'image', id: '42' }],
      customParams: { color: 'red', empty: '' },
      markable: true,
    });
    assert.deepEqual(saved, store.getMessage(saved.id));
    const plain = store.createMessage({ dialogId: saved.dialogId, senderId: bob, body: null, dateSent: 5 });
    assert.deepEqual(plain, store.getMessage(plain.id));
    const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'g' });
    const inGroup = store.createMessage({ dialogId: group.id, senderId: carol, body: 'yo', dateSent: 6 });
    assert.equal(inGroup.recipientId, 0);
    assert.deepEqual(inGroup, store.getMessage(inGroup.id));
  });

  it('takes a free preferred id, and keeps a taken one as the stanza id', () => {
    const wanted = newObjectId(now);
    const first = store.createMessage({ privateWith: bob, senderId: alice, body: 'a', dateSent: 1, preferredId: wanted });
    assert.equal(first.id, wanted);
    const second = store.createMessage({ privateWith: bob, senderId: alice, body: 'b', dateSent: 2, preferredId: wanted });
    assert.notEqual(second.id, wanted);
    assert.deepEqual(second, store.getMessage(second.id));
    assert.equal(store.findMessageByStanzaId(second.dialogId, wanted)?.id, second.id);
    // A required id that is taken still fails.
    assert.throws(() => store.createMessage({ privateWith: bob, senderId: alice, body: 'c', dateSent: 3, id: wanted }));
    assert.equal(store.countMessages(first.dialogId, {}), 2);
  });

  it('sees occupants added and removed after the dialog was cached', () => {
    const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'g' });
    store.createMessage({ dialogId: group.id, senderId: alice, body: '1', dateSent: 1 });
    assert.equal(store.unreadCount(bob, group.id), 1);
    store.updateDialog(group.id, { addOccupants: [carol] });
    assert.deepEqual(store.dialogMembership(group.id), { id: group.id, type: 2, occupantIds: [alice, bob, carol].sort((x, y) => x - y) });
    store.createMessage({ dialogId: group.id, senderId: alice, body: '2', dateSent: 2 });
    assert.equal(store.unreadCount(carol, group.id), 1);
    store.updateDialog(group.id, { removeOccupants: [carol] });
    store.createMessage({ dialogId: group.id, senderId: bob, body: '3', dateSent: 3 });
    assert.equal(store.unreadCount(alice, group.id), 1);
  });

  it('opens a new private dialog after the cached one was deleted', () => {
    const first = store.createMessage({ privateWith: bob, senderId: alice, body: 'a', dateSent: 1 });
    store.deleteDialog(first.dialogId);
    const again = store.createMessage({ privateWith: bob, senderId: alice, body: 'b', dateSent: 2 });
    assert.notEqual(again.dialogId, first.dialogId);
    assert.equal(store.findPrivateDialog(alice, bob)?.id, again.dialogId);
    assert.equal(store.dialogMembership(first.dialogId), undefined);
    assert.throws(() => store.createMessage({ dialogId: first.dialogId, senderId: alice, body: 'c', dateSent: 3 }), /No dialog/);
  });

  it('forgets a private dialog whose creating transaction rolled back', () => {
    assert.throws(() =>
      store.transaction(() => {
        store.createMessage({ privateWith: carol, senderId: alice, body: 'lost', dateSent: 1 });
        throw new Error('batch failed');
      }),
    );
    assert.equal(store.findPrivateDialog(alice, carol), undefined);
    const saved = store.createMessage({ privateWith: carol, senderId: alice, body: 'kept', dateSent: 2 });
    assert.equal(store.findPrivateDialog(alice, carol)?.id, saved.dialogId);
    assert.equal(store.unreadCount(carol, saved.dialogId), 1);
  });
});
