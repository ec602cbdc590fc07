// Every write the server acknowledged with a 2xx survives a kill -9 (the durability rule), on a
// real data file through the bundled CLI: writers keep several requests in flight, the test records each
// acknowledged write, SIGKILLs the server mid-stream, restarts it on the same file (its stale lock left
// behind) and checks every recorded write and every unread counter over REST; the same file goes
// through every trial, so recovery is exercised again and again. At the end the file passes
// integrity_check. Also: one server per data file.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalServerInfo } from '../../src/shared/localServer';
import { openSqliteWasm } from '../../src/server/store/sqliteWasm';
import { exited, killHard, startServerProcess, type ServerProcess } from '../support/serverProcess';

const PORTS = ['--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'];
/** Acknowledged writes in each trial before the kill: different moments in the stream. */
const KILL_AFTER = [37, 80, 123, 161, 59];
const WRITERS = 4; // requests in flight at once, so the kill lands while some are half done
const MAX_WRITES_PER_WRITER = 400; // bounds each trial even if the kill never came
const REQUEST_TIMEOUT_MS = 5_000;
const PAGE = 100;
const MAX_PAGES = 50;

interface KnownDialog {
  id: string;
  occupants: number[];
}
interface AckedMessage {
  id: string;
  dialogId: string;
  senderId: number;
  body: string;
}
interface AckedRead {
  userId: number;
  dialogId: string;
  /** The messages from others acknowledged before the mark-read was sent: all must be read now. */
  messageIds: string[];
}
interface ListedMessage {
  _id: string;
  sender_id: number;
  message: string | null;
  read_ids: number[];
}

class Api {
  constructor(private readonly info: LocalServerInfo) {}

  async call(userId: number, method: string, path: string, body?: object): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${this.info.rest}${path}`, {
      method,
      headers: {
        Authorization: `ApiKey ${this.info.apiKey}`,
        'On-Behalf-Of': String(userId),
        ...(body && { 'Content-Type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async ok<T>(userId: number, method: string, path: string, body?: object): Promise<T> {
    const { status, json } = await this.call(userId, method, path, body);
    assert.ok(status >= 200 && status < 300, `${method} ${path} → ${status} ${JSON.stringify(json)}`);
    return json as T;
  }
}

describe('durability: acknowledged writes survive kill -9 of the server', function () {
  this.timeout(120_000);
  let folder: string;
  let dbPath: string;
  const processes: ServerProcess[] = [];
  const dialogs: KnownDialog[] = [];
  const messages: AckedMessage[] = [];
  const reads: AckedRead[] = [];
  let users: number[] = [];

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'qb-durability-'));
    dbPath = join(folder, 'chat.db');
  });
  after(async () => {
    for (const p of processes) await killHard(p.child);
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(): Promise<ServerProcess> {
    const running = await startServerProcess(['--data', dbPath, '--demo', ...PORTS]);
    processes.push(running);
    return running;
  }

  /** One write chosen by its number: mostly messages, some dialogs, some mark-reads. */
  async function write(api: Api, trial: number, writer: number, n: number): Promise<void> {
    const dialog = dialogs[(n * 7 + writer) % dialogs.length];
    const member = dialog.occupants[(n + writer) % dialog.occupants.length];
    if (n % 10 === 9) {
      const others = users.filter((u) => u !== member);
      const created = await api.ok<{ _id: string; occupants_ids: number[] }>(member, 'POST', 'chat/Dialog.json', {
        type: 2,
        name: `t${trial} w${writer} #${n}`,
        occupants_ids: others.join(','),
      });
      assert.deepEqual([...created.occupants_ids].sort(), [...users].sort());
      dialogs.push({ id: created._id, occupants: created.occupants_ids });
    } else if (n % 7 === 6) {
      const before = messages.filter((m) => m.dialogId === dialog.id && m.senderId !== member).map((m) => m.id);
      await api.ok(member, 'PUT', 'chat/Message.json', { read: 1, chat_dialog_id: dialog.id });
      reads.push({ userId: member, dialogId: dialog.id, messageIds: before });
    } else {
      const body = `trial ${trial} writer ${writer} message ${n}`;
      const created = await api.ok<{ _id: string }>(member, 'POST', 'chat/Message.json', { chat_dialog_id: dialog.id, message: body });
      messages.push({ id: created._id, dialogId: dialog.id, senderId: member, body });
    }
  }

  /** Writers run until the kill; a request cut off by it is simply not acknowledged. */
  async function writeUntilKilled(running: ServerProcess, trial: number): Promise<number> {
    const api = new Api(running.info);
    let acknowledged = 0;
    const writer = async (w: number) => {
      for (let n = 0; n < MAX_WRITES_PER_WRITER && running.child.exitCode === null && running.child.signalCode === null; n++) {
        try {
          await write(api, trial, w, n);
        } catch (error) {
          if (running.child.signalCode === 'SIGKILL' || running.child.killed) return;
          throw error;
        }
        if (++acknowledged === KILL_AFTER[trial]) running.child.kill('SIGKILL'); // others are mid-request now
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    assert.equal((await exited(running.child)).signal, 'SIGKILL', `trial ${trial} reached its kill`);
    return acknowledged;
  }

  async function listAll(api: Api, userId: number, dialogId: string): Promise<ListedMessage[]> {
    const all: ListedMessage[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items } = await api.ok<{ items: ListedMessage[] }>(
        userId,
        'GET',
        `chat/Message.json?chat_dialog_id=${dialogId}&limit=${PAGE}&skip=${page * PAGE}&mark_as_read=0`,
      );
      all.push(...items);
      if (items.length < PAGE) return all;
    }
    throw new Error(`dialog ${dialogId} has more than ${PAGE * MAX_PAGES} messages`);
  }

  /** Every acknowledged write is there, and every unread counter equals the unread messages it counts. */
  async function verify(info: LocalServerInfo): Promise<void> {
    const api = new Api(info);
    const listed = new Map<string, ListedMessage[]>();
    for (const dialog of dialogs) {
      const found = await api.ok<{ _id: string; occupants_ids: number[] }>(dialog.occupants[0], 'GET', `chat/Dialog/${dialog.id}.json`);
      assert.deepEqual(found.occupants_ids, dialog.occupants, `dialog ${dialog.id}`);
      listed.set(dialog.id, await listAll(api, dialog.occupants[0], dialog.id));
    }
    for (const message of messages) {
      const found = listed.get(message.dialogId)?.find((m) => m._id === message.id);
      assert.ok(found, `acknowledged message ${message.id} ("${message.body}") is lost`);
      assert.equal(found.message, message.body);
      assert.equal(found.sender_id, message.senderId);
    }
    for (const read of reads) {
      for (const id of read.messageIds) {
        const found = listed.get(read.dialogId)?.find((m) => m._id === id);
        assert.ok(found?.read_ids.includes(read.userId), `user ${read.userId}'s acknowledged read of ${id} is lost`);
      }
    }
    for (const userId of users) {
      const { items } = await api.ok<{ items: Array<{ _id: string; unread_messages_count: number }> }>(userId, 'GET', 'chat/Dialog.json?limit=100');
      for (const dialog of items) {
        const stored = listed.get(dialog._id);
        if (!stored) continue; // created by a request the kill cut off: stored, never acknowledged, so not ours to check
        const unread = stored.filter((m) => m.sender_id !== userId && !m.read_ids.includes(userId)).length;
        assert.equal(dialog.unread_messages_count, unread, `unread count of user ${userId} in dialog ${dialog._id}`);
      }
    }
  }

  it(`loses nothing over ${KILL_AFTER.length} kill -9 trials, each restart taking over the stale lock`, async () => {
    let running = await start();
    users = (running.info.demoUsers ?? []).map((u) => u.id);
    assert.equal(users.length, 3);
    const api = new Api(running.info);
    for (const u of users) {
      const { items } = await api.ok<{ items: Array<{ _id: string; occupants_ids: number[] }> }>(u, 'GET', 'chat/Dialog.json');
      for (const d of items) if (!dialogs.some((k) => k.id === d._id)) dialogs.push({ id: d._id, occupants: d.occupants_ids });
    }
    let total = 0;
    for (let trial = 0; trial < KILL_AFTER.length; trial++) {
      const acknowledged = await writeUntilKilled(running, trial);
      assert.ok(acknowledged >= KILL_AFTER[trial]);
      total += acknowledged;
      // What a crash leaves: our pidfile naming a dead process, and the SQLite VFS's lock directory.
      assert.equal(readFileSync(`${dbPath}.pid`, 'utf8').trim(), String(running.child.pid));
      assert.ok(existsSync(`${dbPath}.lock`), 'the stale lock directory is there for the restart to handle');
      running = await start();
      await verify(running.info);
    }
    await killHard(running.child);
    const db = openSqliteWasm(dbPath);
    try {
      assert.deepEqual(db.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
    console.log(`      ${KILL_AFTER.length} trials, ${total} writes acknowledged (${messages.length} messages, ` +
      `${dialogs.length} dialogs, ${reads.length} mark-reads recorded), 0 lost, integrity ok`);
  });

  it('refuses a second server on the same data file while the first runs, saying who has it', async () => {
    const first = await start();
    await assert.rejects(start(), (error: Error) => {
      assert.match(error.message, /exited \(1\) before ready/);
      assert.match(error.message, new RegExp(`already used by another local server \\(pid ${first.child.pid}`));
      return true;
    });
    // The refused one took nothing: the first still serves, and still owns the file.
    assert.equal((await fetch(`${first.info.rest}_local/info.json`)).status, 200);
    assert.equal(readFileSync(`${dbPath}.pid`, 'utf8').trim(), String(first.child.pid));
    first.child.kill('SIGTERM');
    assert.equal((await exited(first.child)).code, 0);
    assert.equal(existsSync(`${dbPath}.pid`), false, 'a clean stop releases the file');
  });
});
