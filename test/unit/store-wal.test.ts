// The write-ahead log of a data file starts over after each checkpoint, so a long-running server's
// WAL stays within about one checkpoint's worth (~40 MB). A read left open (a statement stopped on
// its first row) used to pin it: every commit then appended to a file that never shrank (1.6 GB
// after a 12-second create benchmark).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';

/** Enough commits for several checkpoints. */
const MESSAGES = 7000;

describe('store: a bounded write-ahead log', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qb-store-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the WAL over after checkpoints while single-row reads run between the writes', () => {
    const path = join(dir, 'chat.db');
    const store = openSqliteChatStore({ path });
    try {
      const alice = store.createUser({ login: 'alice', password: 'alice-pass' }).id;
      const bob = store.createUser({ login: 'bob', password: 'bob-pass' }).id;
      const dialog = store.createDialog({ type: 2, ownerId: alice, occupantIds: [bob], name: 'busy' }).id;
      for (let i = 0; i < MESSAGES; i++) {
        store.createMessage({ dialogId: dialog, senderId: i % 2 ? alice : bob, body: `message ${i} with some text in it`, dateSent: i });
        if (i % 100 === 0) assert.equal(store.getUser(alice)?.login, 'alice');
      }
      // Each commit appends ~7 pages of 4 KB (~200 MB in all); SQLite checkpoints every 10,000 pages
      // (~40 MB, sqliteWasm.ts) and then writes the file from its start again.
      const walBytes = statSync(`${path}-wal`).size;
      assert.ok(walBytes < 48 * 1024 * 1024, `WAL is ${(walBytes / 1024 / 1024).toFixed(1)} MB after ${MESSAGES} messages`);
      assert.equal(store.countMessages(dialog, {}), MESSAGES);
    } finally {
      store.close();
    }
  });
});
