import * as assert from 'node:assert/strict';
import { mucDomainOf } from '../../src/shared/jid';
import type { ChatStore, DialogQuery, MessageQuery } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { dialogJson } from '../../src/server/rest/dialogJson';
import { messageJson } from '../../src/server/rest/messageJson';

/** Every object's keys in order, depth first: deepEqual does not compare key order, JSON text does. */
function keyOrder(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keyOrder);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keyOrder(inner).map((k) => `${key}.${k}`)]);
}

describe('store: message and dialog pages as JSON built in SQL', () => {
  let store: ChatStore;
  let now: number;
  let alice: number;
  let bob: number;
  let carol: number;
  let group: string;
  let privateId: string;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1, 12, 34, 56, 789);
    store = openSqliteChatStore({ now: () => now });
    alice = store.createUser({ login: 'alice', password: 'alice-pass' }).id;
    bob = store.createUser({ login: 'bob', password: 'bob-pass' }).id;
    carol = store.createUser({ login: 'carol', password: 'carol-pass' }).id;
    group = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob, carol], name: 'g' }).id;
    privateId = store.ensurePrivateDialog(alice, bob).dialog.id;
    const texts: Array<string | null> = [
      'plain',
      null,
      'quotes " and \\ backslash, \'single\'',
      'unicode: héllo ✓ 日本語 🎉 \u0000\u0001 tab\t newline\n \u2028 end',
      '',
      '{"looks":"like json"}',
    ];
    texts.forEach((body, i) => {
      now += 1001 * (i + 1);
      store.createMessage({
        dialogId: group,
        senderId: [alice, bob, carol][i % 3],
        body,
        dateSent: 1_700_000_000 + (i % 3), // equal dates: _id breaks the tie
        attachments:
          i % 2 === 0
            ? [
                { type: 'image', id: 'abc', url: 'https://x/y?a="b"', size: 12 },
                { type: 'file', name: 'ñ "q".txt', size: '34', extra: { nested: [1, 'two', null] } },
              ]
            : [],
        customParams: i % 3 === 0 ? { color: 'blue', 'quote"key': 'va"l\\ue', emoji: '🎉', num: '5', empty: '' } : {},
        markable: i % 2 === 1,
      });
    });
    store.createMessage({ dialogId: privateId, senderId: alice, body: 'to bob', dateSent: 1_700_000_100 });
    store.createMessage({ dialogId: privateId, senderId: bob, body: 'to alice', dateSent: 1_700_000_101, markable: true });
    store.markDelivered(carol, group);
    store.markRead(bob, group);
    store.markRead(bob, privateId);
  });
  afterEach(() => store.close());

  function compare(dialogId: string, query: MessageQuery): void {
    const page = store.listMessagesJson(dialogId, query);
    assert.ok(page, 'the page is built in SQL');
    const records = store.listMessages(dialogId, query);
    const expected = records.map(messageJson);
    const actual = JSON.parse(page.items) as unknown;
    assert.deepEqual(actual, JSON.parse(JSON.stringify(expected)));
    assert.deepEqual(keyOrder(actual), keyOrder(expected));
    // Same text once both are normalized by JSON.parse/stringify: equal content, equal key order.
    assert.equal(JSON.stringify(actual), JSON.stringify(expected));
    const viewer = query.viewerId;
    const unmarked = records.filter((m) => m.senderId !== viewer && !(m.readIds.includes(viewer!) && m.deliveredIds.includes(viewer!)));
    assert.deepEqual(page.unmarkedIds, viewer === undefined ? [] : unmarked.map((m) => m.id));
  }

  it('says what messageJson says for every message of a page (attachments, custom params, marks, nulls, unicode, quotes)', () => {
    for (const viewerId of [alice, bob, carol, undefined]) {
      compare(group, { limit: 100, skip: 0, viewerId });
      compare(privateId, { limit: 100, skip: 0, viewerId });
    }
    const page = JSON.parse(store.listMessagesJson(group, { limit: 100, skip: 0 })!.items) as Array<Record<string, unknown>>;
    assert.equal(page.length, 6);
    assert.ok(page.some((m) => m.message === null) && page.some((m) => Array.isArray(m.attachments) && m.attachments.length === 2));
    assert.deepEqual(page[0].read_ids, [alice, bob]);
    assert.deepEqual(page[0].delivered_ids, [alice, bob, carol]);
    assert.equal(page[0].created_at, '2026-01-01T12:34:57Z');
    const privatePage = JSON.parse(store.listMessagesJson(privateId, { limit: 100, skip: 0 })!.items) as Array<Record<string, unknown>>;
    assert.deepEqual(
      privatePage.map((m) => [m.read, m.markable]),
      [
        [1, undefined],
        [0, 1],
      ],
    );
  });

  it('keeps the order, paging and filters of listMessages', () => {
    compare(group, { limit: 2, skip: 1, viewerId: carol });
    compare(group, { limit: 3, skip: 0, sortField: 'date_sent', sortAscending: false, viewerId: carol });
    compare(group, { limit: 100, skip: 0, sortField: 'message', sortAscending: true, viewerId: bob });
    compare(group, { limit: 100, skip: 0, sortField: '_id', sortAscending: false });
    compare(group, { limit: 100, skip: 0, filters: [{ field: 'sender_id', operator: 'eq', values: [bob] }], viewerId: alice });
    compare(group, { limit: 100, skip: 0, customFilters: [{ key: 'color', operator: 'eq', values: ['blue'] }], viewerId: alice });
    compare(group, { limit: 10, skip: 50, viewerId: alice });
    assert.equal(store.listMessagesJson(group, { limit: 10, skip: 50 })!.items, '[]');
  });

  it('keeps each message’s stored JSON in step with later marks, unmarks, edits and deletions', () => {
    const [first, second] = store.listMessages(group, { limit: 2, skip: 0 });
    now += 60_000;
    store.editMessage(first.id, 'edited "text" ✓');
    store.markUnread(bob, group, [first.id]);
    store.markDelivered(alice, group);
    store.markRead(carol, group, [second.id]);
    store.hideMessages(carol, group, [first.id]);
    store.markUnread(alice, privateId);
    store.editMessage(store.listMessages(privateId, { limit: 1, skip: 0 })[0].id, 'private edit');
    store.deleteMessages(group, [second.id]);
    for (const viewerId of [alice, bob, carol, undefined]) {
      compare(group, { limit: 100, skip: 0, viewerId });
      compare(privateId, { limit: 100, skip: 0, viewerId });
    }
    const edited = (JSON.parse(store.listMessagesJson(group, { limit: 1, skip: 0 })!.items) as Array<Record<string, unknown>>)[0];
    assert.deepEqual([edited.message, edited.updated_at, edited.read_ids], ['edited "text" ✓', '2026-01-01T12:36:17Z', [alice]]);
  });

  it('leaves a page to messageJson when a custom key would land elsewhere in a JS object', () => {
    for (const key of ['message', '_id', '7', 'read']) {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: key }).id;
      store.createMessage({ dialogId: dialog, senderId: alice, body: 'x', dateSent: 1, customParams: { a: '1', [key]: 'custom' } });
      assert.equal(store.listMessagesJson(dialog, { limit: 100, skip: 0 }), undefined, key);
    }
  });
  describe('dialog pages', () => {
    const rooms = { appId: 7, mucDomain: mucDomainOf('chat.test') };

    function compareDialogs(viewerId: number, query: DialogQuery): void {
      const page = store.listDialogsJson(viewerId, query, rooms);
      assert.ok(page, 'the page is built in SQL');
      const { total, items } = store.listDialogs(viewerId, query);
      const expected = items.map((d) => dialogJson(d, viewerId, { store, appId: rooms.appId, domain: 'chat.test' }));
      const actual = JSON.parse(page.items) as unknown;
      assert.equal(page.total, total);
      assert.deepEqual(keyOrder(actual), keyOrder(expected));
      assert.equal(JSON.stringify(actual), JSON.stringify(expected));
    }

    beforeEach(() => {
      const dave = store.createUser({ email: 'dave@example.com', password: 'dave-pass' }).id;
      const erin = store.createUser({ login: 'erin', fullName: 'Erin "E" Ünder', password: 'erin-pass' }).id;
      const nobody = store.createUser({ login: 'gone', password: 'gone-pass' }).id;
      now += 1000;
      store.ensurePrivateDialog(alice, dave);
      store.ensurePrivateDialog(erin, alice);
      store.ensurePrivateDialog(alice, nobody);
      store.deleteUser(nobody);
      now += 1000;
      store.createDialog({ type: 1, ownerId: carol, occupantIds: [], name: 'open to all', photo: 'p.png' });
      store.createDialog({
        type: 2,
        ownerId: bob,
        occupantIds: [alice, carol],
        name: 'with data',
        data: { class_name: 'Team', nested: { list: [1, 'two', null, { deep: true }], text: 'quote " ✓ 🎉' }, empty: {} },
      });
      const hidden = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'hidden by bob' }).id;
      store.hideDialog(bob, hidden);
      store.createMessage({ dialogId: hidden, senderId: alice, body: 'brings it back? no: hidden after', dateSent: 1_700_000_200 });
      store.hideDialog(bob, hidden);
    });

    it('says what dialogJson says for every dialog (names, rooms, unread counts, data, hidden, public)', () => {
      for (const viewerId of [alice, bob, carol]) compareDialogs(viewerId, { limit: 100, skip: 0 });
      const page = JSON.parse(store.listDialogsJson(alice, { limit: 100, skip: 0 }, rooms)!.items) as Array<Record<string, unknown>>;
      assert.deepEqual(
        page.filter((d) => d.type === 3).map((d) => d.name),
        [null, 'Erin "E" Ünder', 'dave@example.com', 'bob'],
      );
      const group = page.find((d) => d.name === 'with data');
      assert.equal(group?.xmpp_room_jid, `7_${String(group?._id)}@muc.chat.test`);
    });

    it('keeps the order, paging, filters and count of listDialogs', () => {
      compareDialogs(alice, { limit: 2, skip: 1 });
      compareDialogs(alice, { limit: 100, skip: 0, sortField: 'name', sortAscending: true });
      compareDialogs(bob, { limit: 100, skip: 0, sortField: 'last_message_date_sent', sortAscending: false });
      compareDialogs(alice, { limit: 100, skip: 0, filters: [{ field: 'type', operator: 'in', values: [1, 2] }] });
      compareDialogs(alice, { limit: 100, skip: 0, dataFilters: [{ key: 'class_name', operator: 'eq', values: ['Team'] }] });
      compareDialogs(carol, { limit: 10, skip: 50 });
      assert.equal(store.listDialogsJson(carol, { limit: 10, skip: 50 }, rooms)!.items, '[]');
    });

    it('leaves a page to dialogJson when custom data has a key JavaScript would move', () => {
      for (const data of [{ '7': 'first in JS' }, { a: { b: [{ '10': 'deep' }] } }]) {
        store.createDialog({ type: 2, ownerId: alice, occupantIds: [], name: 'odd data', data });
        assert.equal(store.listDialogsJson(alice, { limit: 100, skip: 0 }, rooms), undefined, JSON.stringify(data));
      }
    });
  });
});
