// createMessages (the XMPP group commit's path) must end exactly where createMessage for each message
// in order ends: rows and their REST JSON, last messages, unread counts, deleted-for-me dialogs.
import * as assert from 'node:assert/strict';
import type { ChatStore, NewMessage } from '../../src/server/store/chatStore';
import { threeUserStore } from './storeFixture';

interface Scene {
  store: ChatStore;
  users: number[];
  /** Dialog id → a name equal across scenes (ids are random per store). */
  names: Map<string, string>;
  group: string;
  privateAB: string;
}

const BASE = Date.UTC(2026, 0, 1);

/** A store with a group of three, alice–bob's private dialog with one message, and the group hidden by carol. */
function scene(): Scene {
  let tick = BASE;
  const { store, alice, bob, carol } = threeUserStore(() => tick++);
  const group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'g' }).id;
  const privateAB = store.createMessage({ privateWith: bob, senderId: alice, body: 'before', dateSent: 100, id: objectId(0) }).dialogId;
  store.hideDialog(carol, group);
  return { store, users: [alice, bob, carol], names: new Map([[group, 'G'], [privateAB, 'AB']]), group, privateAB };
}

/** Fixed ids, alike in both stores (an ObjectId's time, then a counter). */
const FIXED = Math.floor(BASE / 1000).toString(16) + '00000000';
function objectId(n: number): string {
  return FIXED + n.toString(16).padStart(8, '0');
}

/** The batch: several dialogs (one created by it), both directions, a late message, a tie on date_sent. */
function inputs({ users: [alice, bob, carol], group, privateAB }: Scene): NewMessage[] {
  return [
    { dialogId: privateAB, senderId: bob, body: 'b1', dateSent: 110, id: objectId(1) },
    { dialogId: group, senderId: alice, body: 'g1', dateSent: 120, preferredId: objectId(2), markable: true },
    { privateWith: carol, senderId: alice, body: 'new pair', dateSent: 130, id: objectId(3), customParams: { color: 'red' } },
    { dialogId: privateAB, senderId: alice, body: 'a-late', dateSent: 90, id: objectId(4) },
    { dialogId: group, senderId: carol, body: 'g2', dateSent: 125, stanzaId: 'not-an-object-id', attachments: [{ type: 'image', id: '7' }] },
    { dialogId: group, senderId: bob, body: 'g3-tie', dateSent: 125, id: objectId(5) },
    { privateWith: alice, senderId: carol, body: 'reply', dateSent: 131, id: objectId(6) },
    { dialogId: privateAB, senderId: bob, body: 'b2', dateSent: 110, id: objectId(7) },
  ];
}

/** Everything a user could read back, with dialog ids named alike in both stores. */
function snapshot({ store, users, names }: Pick<Scene, 'store' | 'users' | 'names'>): string {
  const carolPair = store.findPrivateDialog(users[0], users[2]);
  if (carolPair) names.set(carolPair.id, 'AC');
  const dialogs = users.map((user) => store.listDialogs(user, { limit: 100, skip: 0 }));
  const messages = [...names.keys()].map((id) => [
    store.listMessages(id, { limit: 100, skip: 0 }),
    users.map((viewerId) => store.listMessagesJson(id, { limit: 100, skip: 0, viewerId })),
  ]);
  const text = JSON.stringify({ dialogs, messages, total: users.map((user) => store.totalUnreadCount(user)) });
  // The ids a store generates (dialogs, the message whose stanza id is no ObjectId) differ per store.
  return text.replace(/[0-9a-f]{24}/g, (id) => names.get(id) ?? (id.startsWith(FIXED) ? id : 'generated'));
}

describe('store: createMessages', () => {
  const open: ChatStore[] = [];
  const fresh = (): Scene => {
    const made = scene();
    open.push(made.store);
    return made;
  };
  afterEach(() => open.splice(0).forEach((store) => store.close()));

  it('ends exactly as createMessage for each message in order', () => {
    const oneByOne = fresh();
    const batched = fresh();
    const single = inputs(oneByOne).map((input) => oneByOne.store.createMessage(input));
    const together = batched.store.createMessages(inputs(batched));
    assert.equal(snapshot(batched), snapshot(oneByOne));
    assert.deepEqual(
      together.map((m) => [m.body, m.senderId, m.dateSent, m.createdAt]),
      single.map((m) => [m.body, m.senderId, m.dateSent, m.createdAt]),
    );
    // The dialog the batch touched comes back for carol, who had deleted it; the late message is not last.
    const group = batched.store.getDialog(batched.group);
    assert.equal(group?.lastMessage, 'g3-tie');
    assert.equal(batched.store.getDialog(batched.privateAB)?.lastMessage, 'b2');
    assert.ok(batched.store.listDialogs(batched.users[2], { limit: 10, skip: 0 }).items.some((d) => d.id === batched.group));
    assert.equal(batched.store.unreadCount(batched.users[2], batched.group), 2);
    assert.equal(batched.store.unreadCount(batched.users[0], batched.privateAB), 2);
  });

  it('keeps none of the batch when one message fails, and says so in dataVersion', () => {
    const { store, users, privateAB } = fresh();
    const before = snapshot({ store, users, names: new Map([[privateAB, 'AB']]) });
    const version = store.dataVersion();
    assert.throws(
      () =>
        store.createMessages([
          { privateWith: users[2], senderId: users[0], body: 'new pair', dateSent: 130 },
          { dialogId: privateAB, senderId: users[1], body: 'dup', dateSent: 140, id: objectId(0) },
        ]),
      /already exists/,
    );
    assert.notEqual(store.dataVersion(), version);
    assert.equal(store.findPrivateDialog(users[0], users[2]), undefined);
    assert.equal(snapshot({ store, users, names: new Map([[privateAB, 'AB']]) }), before);
  });

  it('rolls a message batch back even when its function caught the failure', () => {
    const { store, users, privateAB } = fresh();
    const count = () => store.countMessages(privateAB, {});
    const stored = count();
    assert.throws(
      () =>
        store.messageBatch(() => {
          store.createMessage({ dialogId: privateAB, senderId: users[1], body: 'kept?', dateSent: 150 });
          assert.throws(() => store.createMessage({ dialogId: privateAB, senderId: users[1], body: 'dup', dateSent: 151, id: objectId(0) }));
        }),
      /none of the batch/,
    );
    assert.equal(count(), stored);
    assert.equal(store.unreadCount(users[0], privateAB), 0);
    // The store goes on: the next save moves the dialog as usual.
    store.createMessage({ dialogId: privateAB, senderId: users[1], body: 'after', dateSent: 160 });
    assert.equal(store.unreadCount(users[0], privateAB), 1);
    assert.equal(store.getDialog(privateAB)?.lastMessage, 'after');
  });
});
