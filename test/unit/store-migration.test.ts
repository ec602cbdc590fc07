// A data file written before read_ids/delivered_ids moved onto the message row (schema 6) opens with
// every mark where it was, each message answering the JSON it answered before, and keeps working.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageJson } from '../../src/server/rest/messageJson';
import type { ChatStore } from '../../src/server/store/chatStore';
import { migrate, SCHEMA_VERSION } from '../../src/server/store/schema';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { openSqliteWasm } from '../../src/server/store/sqliteWasm';

const DIALOG = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const PRIVATE = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const [ALICE, BOB, CAROL] = [1001, 1002, 1003];

/** Schema 6 with two dialogs, their occupants, and messages whose marks sit in the old mark tables. */
function writeSchema6File(path: string): void {
  const db = openSqliteWasm(path);
  try {
    migrate(db, 6);
    const t = Date.UTC(2025, 5, 1, 8, 0, 0, 500);
    db.exec(`
      INSERT INTO users (id, login, password_hash, created_at, updated_at) VALUES
        (${ALICE}, 'alice', 'x', ${t}, ${t}), (${BOB}, 'bob', 'x', ${t}, ${t}), (${CAROL}, 'carol', 'x', ${t}, ${t});
      INSERT INTO dialogs (id, type, owner_id, name, created_at, updated_at) VALUES
        ('${DIALOG}', 2, ${ALICE}, 'old group', ${t}, ${t}), ('${PRIVATE}', 3, ${ALICE}, NULL, ${t}, ${t});
      INSERT INTO dialog_occupants (dialog_id, user_id, unread_count) VALUES
        ('${DIALOG}', ${ALICE}, 0), ('${DIALOG}', ${BOB}, 1), ('${DIALOG}', ${CAROL}, 3), ('${PRIVATE}', ${ALICE}, 0), ('${PRIVATE}', ${BOB}, 1);
      INSERT INTO messages (id, dialog_id, sender_id, recipient_id, body, date_sent, attachments, custom_params, markable, created_at, updated_at, stanza_id) VALUES
        ('000000000000000000000001', '${DIALOG}', ${ALICE}, 0, 'first', 100, '[{"type":"image","id":"9"}]', '{"color":"blue"}', 1, ${t}, ${t}, NULL),
        ('000000000000000000000002', '${DIALOG}', ${BOB}, 0, NULL, 101, '[]', '{}', 0, ${t + 1000}, ${t + 2000}, 'web-2'),
        ('000000000000000000000003', '${DIALOG}', ${ALICE}, 0, 'odd key', 102, '[]', '{"5":"numeric key"}', 0, ${t}, ${t}, NULL),
        ('000000000000000000000004', '${PRIVATE}', ${ALICE}, ${BOB}, 'to bob', 103, '[]', '{}', 0, ${t}, ${t}, NULL);
      INSERT INTO message_reads (message_id, user_id) VALUES
        ('000000000000000000000001', ${ALICE}), ('000000000000000000000001', ${BOB}),
        ('000000000000000000000002', ${BOB}), ('000000000000000000000003', ${ALICE}), ('000000000000000000000004', ${ALICE});
      INSERT INTO message_deliveries (message_id, user_id) VALUES
        ('000000000000000000000001', ${CAROL}), ('000000000000000000000001', ${ALICE}), ('000000000000000000000001', ${BOB}),
        ('000000000000000000000002', ${BOB}), ('000000000000000000000003', ${ALICE}), ('000000000000000000000004', ${ALICE});
    `);
  } finally {
    db.close();
  }
}

describe('store: migrating a schema-6 data file (marks on the message row, stored JSON)', () => {
  let dir: string;
  let path: string;
  let store: ChatStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qb-store-migration-'));
    path = join(dir, 'chat.db');
    writeSchema6File(path);
    store = openSqliteChatStore({ path, now: () => Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every read and delivered mark, ascending', () => {
    assert.deepEqual(store.getMessage('000000000000000000000001')?.readIds, [ALICE, BOB]);
    assert.deepEqual(store.getMessage('000000000000000000000001')?.deliveredIds, [ALICE, BOB, CAROL]);
    assert.deepEqual(store.getMessage('000000000000000000000002')?.readIds, [BOB]);
    const readByBob = store.listMessages(DIALOG, { limit: 100, skip: 0, filters: [{ field: 'read_ids', operator: 'in', values: [BOB] }] });
    assert.deepEqual(readByBob.map((m) => m.id), ['000000000000000000000001', '000000000000000000000002']);
  });

  it('answers each old message’s JSON as messageJson builds it, the odd custom key by messageJson itself', () => {
    const messages = store.listMessages(PRIVATE, { limit: 100, skip: 0 });
    assert.equal(store.listMessagesJson(PRIVATE, { limit: 100, skip: 0 })?.items, JSON.stringify(messages.map(messageJson)));
    // The page of the group holds the message with a numeric custom key: the REST layer builds that page.
    assert.equal(store.listMessagesJson(DIALOG, { limit: 100, skip: 0 }), undefined);
    const usual = { limit: 2, skip: 0 };
    assert.equal(store.listMessagesJson(DIALOG, usual)?.items, JSON.stringify(store.listMessages(DIALOG, usual).map(messageJson)));
  });

  it('marks, counts and lists migrated messages like new ones', () => {
    assert.equal(store.markRead(CAROL, DIALOG), 3, 'carol had read none of the three from others');
    assert.equal(store.unreadCount(CAROL, DIALOG), 0);
    assert.equal(store.markRead(BOB, PRIVATE, ['000000000000000000000004']), 1);
    const [toBob] = JSON.parse(store.listMessagesJson(PRIVATE, { limit: 1, skip: 0 })!.items) as Array<Record<string, unknown>>;
    assert.deepEqual([toBob.read_ids, toBob.delivered_ids, toBob.read], [[ALICE, BOB], [ALICE, BOB], 1]);
    const usual = { limit: 2, skip: 0, viewerId: CAROL };
    assert.equal(store.listMessagesJson(DIALOG, usual)?.items, JSON.stringify(store.listMessages(DIALOG, usual).map(messageJson)));
  });

  it('records the new schema version and drops the old mark tables', () => {
    store.close();
    const db = openSqliteWasm(path);
    try {
      assert.equal(db.prepare('PRAGMA user_version').all<{ user_version: number }>()[0].user_version, SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE name IN ('message_reads', 'message_deliveries')").all<{ name: string }>();
      assert.deepEqual(tables, []);
    } finally {
      db.close();
    }
    store = openSqliteChatStore({ path });
  });
});
