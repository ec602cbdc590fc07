// The message save path without read-backs: createMessage answers the record it wrote, takes a
// preferred id only when free, and caches the private dialog per pair and the occupants per dialog,
// which every dialog write and every rollback must keep exact.
import * as assert from 'node:assert/strict';
import { threeUserStoreEachTest } from './storeFixture';
import { newObjectId } from '../../src/shared/objectId';

describe('store: saving messages without read-backs', () => {
  const t = threeUserStoreEachTest();

  it('answers exactly what getMessage reads back', () => {
    const saved = t.store.createMessage({
      privateWith: t.bob,
      senderId: t.alice,
      body: 'hi',
      dateSent: 1_700_000_000,
      attachments: [{ type: 'image', id: '42' }],
      customParams: { color: 'red', empty: '' },
      markable: true,
    });
    assert.deepEqual(saved, t.store.getMessage(saved.id));
    const plain = t.store.createMessage({ dialogId: saved.dialogId, senderId: t.bob, body: null, dateSent: 5 });
    assert.deepEqual(plain, t.store.getMessage(plain.id));
    const group = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob, t.carol], name: 'g' });
    const inGroup = t.store.createMessage({ dialogId: group.id, senderId: t.carol, body: 'yo', dateSent: 6 });
    assert.equal(inGroup.recipientId, 0);
    assert.deepEqual(inGroup, t.store.getMessage(inGroup.id));
  });

  it('takes a free preferred id, and keeps a taken one as the stanza id', () => {
    const wanted = newObjectId(t.now);
    const first = t.store.createMessage({ privateWith: t.bob, senderId: t.alice, body: 'a', dateSent: 1, preferredId: wanted });
    assert.equal(first.id, wanted);
    const second = t.store.createMessage({ privateWith: t.bob, senderId: t.alice, body: 'b', dateSent: 2, preferredId: wanted });
    assert.notEqual(second.id, wanted);
    assert.deepEqual(second, t.store.getMessage(second.id));
    assert.equal(t.store.findMessageByStanzaId(second.dialogId, wanted)?.id, second.id);
    // A required id that is taken still fails.
    assert.throws(() => t.store.createMessage({ privateWith: t.bob, senderId: t.alice, body: 'c', dateSent: 3, id: wanted }));
    assert.equal(t.store.countMessages(first.dialogId, {}), 2);
  });

  it('sees occupants added and removed after the dialog was cached', () => {
    const group = t.store.createDialog({ type: 2, ownerId: t.alice, occupantIds: [t.bob], name: 'g' });
    t.store.createMessage({ dialogId: group.id, senderId: t.alice, body: '1', dateSent: 1 });
    assert.equal(t.store.unreadCount(t.bob, group.id), 1);
    t.store.updateDialog(group.id, { addOccupants: [t.carol] });
    assert.deepEqual(t.store.dialogMembership(group.id), { id: group.id, type: 2, occupantIds: [t.alice, t.bob, t.carol].sort((x, y) => x - y) });
    t.store.createMessage({ dialogId: group.id, senderId: t.alice, body: '2', dateSent: 2 });
    assert.equal(t.store.unreadCount(t.carol, group.id), 1);
    t.store.updateDialog(group.id, { removeOccupants: [t.carol] });
    t.store.createMessage({ dialogId: group.id, senderId: t.bob, body: '3', dateSent: 3 });
    assert.equal(t.store.unreadCount(t.alice, group.id), 1);
  });

  it('opens a new private dialog after the cached one was deleted', () => {
    const first = t.store.createMessage({ privateWith: t.bob, senderId: t.alice, body: 'a', dateSent: 1 });
    t.store.deleteDialog(first.dialogId);
    const again = t.store.createMessage({ privateWith: t.bob, senderId: t.alice, body: 'b', dateSent: 2 });
    assert.notEqual(again.dialogId, first.dialogId);
    assert.equal(t.store.findPrivateDialog(t.alice, t.bob)?.id, again.dialogId);
    assert.equal(t.store.dialogMembership(first.dialogId), undefined);
    assert.throws(() => t.store.createMessage({ dialogId: first.dialogId, senderId: t.alice, body: 'c', dateSent: 3 }), /No dialog/);
  });

  it('forgets a private dialog whose creating transaction rolled back', () => {
    assert.throws(() =>
      t.store.transaction(() => {
        t.store.createMessage({ privateWith: t.carol, senderId: t.alice, body: 'lost', dateSent: 1 });
        throw new Error('batch failed');
      }),
    );
    assert.equal(t.store.findPrivateDialog(t.alice, t.carol), undefined);
    const saved = t.store.createMessage({ privateWith: t.carol, senderId: t.alice, body: 'kept', dateSent: 2 });
    assert.equal(t.store.findPrivateDialog(t.alice, t.carol)?.id, saved.dialogId);
    assert.equal(t.store.unreadCount(t.carol, saved.dialogId), 1);
  });
});
