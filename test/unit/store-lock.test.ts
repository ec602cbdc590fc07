import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseInUseError } from '../../src/server/store/instanceLock';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';

describe('store: one server per database file, recovery after kill -9', function () {
  this.timeout(20_000);
  let dir: string;
  let dbPath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qb-store-lock-'));
    dbPath = join(dir, 'chat.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists across reopen and releases its pidfile on close', () => {
    const store = openSqliteChatStore({ path: dbPath });
    store.createUser({ login: 'alice', password: 'alice-pass' });
    assert.ok(existsSync(`${dbPath}.pid`));
    store.close();
    assert.equal(existsSync(`${dbPath}.pid`), false);
    const again = openSqliteChatStore({ path: dbPath });
    assert.equal(again.findUserByLogin('alice')?.login, 'alice');
    again.close();
  });

  it('refuses a second store on the same file with a clear error', () => {
    const first = openSqliteChatStore({ path: dbPath });
    try {
      assert.throws(() => openSqliteChatStore({ path: dbPath }), (error: unknown) => {
        assert.ok(error instanceof DatabaseInUseError);
        assert.match(error.message, /already used by another local server \(pid \d+/);
        assert.match(error.message, /--memory/);
        return true;
      });
      first.createUser({ login: 'still-works', password: 'password1' }); // the first one is unharmed
    } finally {
      first.close();
    }
  });

  it('removes a stale lock directory left by a dead owner', () => {
    openSqliteChatStore({ path: dbPath }).close();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${dbPath}.pid`, String(deadPid));
    mkdirSync(`${dbPath}.lock`);
    const store = openSqliteChatStore({ path: dbPath });
    store.createUser({ login: 'after-crash', password: 'password1' });
    store.close();
  });

  it('reopens a database whose server was killed with SIGKILL, keeping acknowledged writes', async () => {
    const storeModule = resolve(__dirname, '../../src/server/store/sqliteChatStore.js');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const { openSqliteChatStore } = require(${JSON.stringify(storeModule)});
         const store = openSqliteChatStore({ path: ${JSON.stringify(dbPath)} });
         store.createUser({ login: 'before-kill', password: 'password1' });
         process.stdout.write('written\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && done());
      child.on('exit', (code) => fail(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    assert.ok(existsSync(`${dbPath}.lock`), 'the wasm VFS lock directory is left behind');
    const store = openSqliteChatStore({ path: dbPath });
    try {
      assert.equal(store.findUserByLogin('before-kill')?.login, 'before-kill');
    } finally {
      store.close();
    }
  });
});
