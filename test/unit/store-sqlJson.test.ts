import * as assert from 'node:assert/strict';
import type { ChatStore, MessageQuery } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { messageJson } from '../../src/server/rest/messageJson';

/** Every object's keys in order, depth first: deepEqual does not compare key order, JSON text does. */
function keyOrder(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keyOrder);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keyOrder(inner).map((k) => `${key}.${k}`)]);
}

describe('store: message pages as JSON built in SQL', () => {
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

  it('leaves a page to messageJson when a custom key would land elsewhere in a JS object', () => {
    for (const key of ['message', '_id', '7', 'read']) {
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: key }).id;
      store.createMessage({ dialogId: dialog, senderId: alice, body: 'x', dateSent: 1, customParams: { a: '1', [key]: 'custom' } });
      assert.equal(store.listMessagesJson(dialog, { limit: 100, skip: 0 }), undefined, key);
    }
  });
});
