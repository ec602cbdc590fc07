// The REST API of the local server, driven with plain fetch the way the SDK and the docs call it.
// In-process server on 127.0.0.1, port 0, in memory, with the demo data.
import * as assert from 'node:assert/strict';
import { createHmac, randomInt } from 'node:crypto';
import type { DemoUser } from '../../src/shared/localServer';
import type { QBDialog, QBDialogList, QBMessage, QBMessageList, QBSession, QBUser } from '../../src/shared/models';
import { startLocalServer, type RunningLocalServer } from '../../src/server/localServer';

interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

type ErrorBody = { errors: string[] | Record<string, string[]> };

describe('rest: local server REST API', function () {
  this.timeout(20_000);
  let server: RunningLocalServer;
  let base: string;
  let alice: DemoUser;
  let bob: DemoUser;
  let carol: DemoUser;
  let aliceToken: string;
  let bobToken: string;
  let carolToken: string;

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { form?: string; json?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['QB-Token'] = options.token;
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      body = options.form;
    } else if (options.json !== undefined || options.raw !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      body = options.raw ?? JSON.stringify(options.json);
    }
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** The session form exactly as the SDK sends it, signed independently of the server's code. */
  function signedSessionForm(user?: { login: string; password: string }, overrides: { nonce?: number; timestamp?: number; secret?: string } = {}): string {
    const info = server.info;
    const pairs: Array<[string, string]> = [
      ['application_id', String(info.appId)],
      ['auth_key', info.authKey],
      ['nonce', String(overrides.nonce ?? randomInt(1, 1e9))],
      ['timestamp', String(overrides.timestamp ?? Math.floor(Date.now() / 1000))],
    ];
    if (user) pairs.push(['user[login]', user.login], ['user[password]', user.password]);
    const signed = pairs.map(([k, v]) => `${k}=${v}`).sort().join('&');
    const signature = createHmac('sha1', overrides.secret ?? info.authSecret).update(signed).digest('hex');
    return [...pairs, ['signature', signature]]
      .map(([k, v]) => `${k.includes('[') ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .sort()
      .join('&');
  }

  async function userToken(user: DemoUser): Promise<string> {
    const res = await call<{ session: QBSession }>('POST', '/session.json', { form: signedSessionForm(user) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.session.token;
  }

  async function dialogsOf(token: string): Promise<QBDialog[]> {
    const res = await call<QBDialogList>('GET', '/chat/Dialog.json?', { token });
    assert.equal(res.status, 200);
    return res.body.items;
  }

  before(async () => {
    server = await startLocalServer({ host: '127.0.0.1', httpPort: 0, xmppPort: 0, memory: true, demo: true });
    base = server.info.rest.replace(/\/$/, '');
    [alice, bob, carol] = server.info.demoUsers ?? [];
    assert.ok(alice && bob && carol, 'three demo users');
    aliceToken = await userToken(alice);
    bobToken = await userToken(bob);
    carolToken = await userToken(carol);
  });

  after(async () => {
    await server?.close();
  });

  describe('sessions', () => {
    it('creates a signed application session with an expiry header the SDK can parse', async () => {
      const res = await call<{ session: QBSession }>('POST', '/session.json', { form: signedSessionForm() });
      assert.equal(res.status, 201);
      assert.equal(res.body.session.user_id, 0);
      assert.equal(res.body.session.application_id, server.info.appId);
      assert.match(res.body.session.token, /^[0-9a-f]{40}$/);
      assert.match(res.body.session.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(res.headers.get('QB-Token-ExpirationDate') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    });

    it('creates a user session in one call, and GET /session.json returns it', async () => {
      const res = await call<{ session: QBSession }>('GET', '/session.json', { token: aliceToken });
      assert.equal(res.status, 200);
      assert.equal(res.body.session.user_id, alice.id);
    });

    it('accepts the signed parameters as JSON too', async () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = randomInt(1, 1e9);
      const signed = `application_id=${server.info.appId}&auth_key=${server.info.authKey}&nonce=${nonce}&timestamp=${timestamp}`;
      const signature = createHmac('sha1', server.info.authSecret).update(signed).digest('hex');
      const json = { application_id: server.info.appId, auth_key: server.info.authKey, nonce, timestamp, signature };
      assert.equal((await call('POST', '/session.json', { json })).status, 201);
    });

    it('rejects a bad signature, a replayed nonce and a stale timestamp with 422', async () => {
      const bad = await call<ErrorBody>('POST', '/session.json', { form: signedSessionForm(undefined, { secret: 'wrong' }) });
      assert.equal(bad.status, 422);
      assert.match(JSON.stringify(bad.body.errors), /signature/i);

      const form = signedSessionForm(undefined, { nonce: 4242 });
      assert.equal((await call('POST', '/session.json', { form })).status, 201);
      const replay = await call<ErrorBody>('POST', '/session.json', { form });
      assert.equal(replay.status, 422);
      assert.match(JSON.stringify(replay.body.errors), /nonce/);

      const stale = await call<ErrorBody>('POST', '/session.json', {
        form: signedSessionForm(undefined, { timestamp: Math.floor(Date.now() / 1000) - 2 * 3600 }),
      });
      assert.equal(stale.status, 422);
      assert.match(JSON.stringify(stale.body.errors), /60 minutes/);
    });

    it('answers 401 with wrong user credentials', async () => {
      const res = await call<ErrorBody>('POST', '/session.json', { form: signedSessionForm({ login: alice.login, password: 'nope-nope' }) });
      assert.equal(res.status, 401);
      assert.match(JSON.stringify(res.body.errors), /Unauthorized/);
    });

    it('answers the exact "Required session does not exist" body for an unknown token', async () => {
      const res = await call('GET', '/chat/Dialog.json?', { token: 'f'.repeat(40) });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { errors: { base: ['Required session does not exist'] } });
    });

    it('logs in and out on an application session, then destroys it', async () => {
      const app = await call<{ session: QBSession }>('POST', '/session.json', { form: signedSessionForm() });
      const token = app.body.session.token;
      const wrong = await call('POST', '/login.json', { token, form: `login=${bob.login}&password=wrong-pass` });
      assert.equal(wrong.status, 401);
      const login = await call<{ user: QBUser }>('POST', '/login.json', { token, form: `login=${bob.login}&password=${bob.password}` });
      assert.equal(login.status, 200);
      assert.equal(login.body.user.id, bob.id);
      assert.equal((await call<{ session: QBSession }>('GET', '/session.json', { token })).body.session.user_id, bob.id);
      assert.equal((await call('DELETE', '/login.json', { token })).status, 200);
      assert.equal((await call<{ session: QBSession }>('GET', '/session.json', { token })).body.session.user_id, 0);
      assert.equal((await call('DELETE', '/session.json', { token })).status, 200);
      assert.equal((await call('GET', '/session.json', { token })).status, 401);
    });

    it('accepts the legacy token parameter and an API key acting on behalf of a user', async () => {
      assert.equal((await call('GET', `/chat/Dialog.json?token=${aliceToken}`)).status, 200);
      const apiKey = { Authorization: `ApiKey ${server.info.apiKey}` };
      const asBob = await call<QBDialogList>('GET', '/chat/Dialog.json', { headers: { ...apiKey, 'On-Behalf-Of': String(bob.id) } });
      assert.equal(asBob.status, 200);
      assert.ok(asBob.body.items.length > 0);
      assert.equal((await call('GET', '/chat/Dialog.json', { headers: apiKey })).status, 403, 'nobody to act for');
      assert.equal((await call('GET', '/chat/Dialog.json', { headers: { Authorization: 'ApiKey wrong' } })).status, 401);
    });
  });

  describe('users', () => {
    it('creates a user with an application session and refuses a taken login with 422', async () => {
      const app = (await call<{ session: QBSession }>('POST', '/session.json', { form: signedSessionForm() })).body.session.token;
      const form = 'user[login]=dave&user[password]=dave-pass&user[full_name]=Dave%20Test&user[email]=dave%40example.com';
      const created = await call<{ user: QBUser }>('POST', '/users.json', { token: app, form });
      assert.equal(created.status, 201);
      assert.equal(created.body.user.full_name, 'Dave Test');
      assert.equal(created.body.user.email, 'dave@example.com');
      assert.equal('password' in created.body.user, false);
      const again = await call('POST', '/users.json', { token: app, form });
      assert.equal(again.status, 422);
      assert.deepEqual(again.body, { errors: { login: ['has already been taken'] } });
    });

    it('gets a user by id (with the SDK trailing ?) and 404s an unknown one', async () => {
      const res = await call<{ user: QBUser }>('GET', `/users/${bob.id}.json?`, { token: aliceToken });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.login, bob.login);
      assert.equal((await call<ErrorBody>('GET', '/users/999999.json?', { token: aliceToken })).status, 404);
    });

    it('lists users by filter[]=number id in … with paging', async () => {
      const res = await call<{ current_page: number; per_page: number; total_entries: number; items: Array<{ user: QBUser }> }>(
        'GET',
        `/users.json?filter[]=${encodeURIComponent(`number id in ${alice.id},${carol.id}`)}&per_page=1&page=2`,
        { token: aliceToken },
      );
      assert.equal(res.status, 200);
      assert.equal(res.body.total_entries, 2);
      assert.equal(res.body.current_page, 2);
      assert.equal(res.body.per_page, 1);
      assert.deepEqual(res.body.items.map((i) => i.user.id), [carol.id]);
    });
  });

  describe('dialogs and messages', () => {
    it('lists the demo dialogs with the caller’s unread counts and names the private one after the opponent', async () => {
      const dialogs = await dialogsOf(aliceToken);
      const privateDialog = dialogs.find((d) => d.type === 3);
      const group = dialogs.find((d) => d.type === 2);
      assert.equal(privateDialog?.name, bob.fullName);
      assert.equal(privateDialog?.xmpp_room_jid, null);
      assert.equal(group?.name, 'Demo group');
      assert.equal(group?.xmpp_room_jid, `${server.info.appId}_${group?._id}@${server.info.muc}`);
      assert.deepEqual(group?.occupants_ids, [alice.id, bob.id, carol.id].sort((a, b) => a - b));
      assert.ok(group?.last_message, 'history sets last_message');
      assert.equal(typeof privateDialog?.unread_messages_count, 'number');
      const fromBob = (await dialogsOf(bobToken)).find((d) => d._id === privateDialog?._id);
      assert.equal(fromBob?.name, alice.fullName);
    });

    it('creates a group from an "a, b" occupant list and returns the existing private dialog for a pair', async () => {
      const group = await call<QBDialog>('POST', '/chat/Dialog.json', {
        token: aliceToken,
        form: `name=Smoke%20group&occupants_ids=${bob.id}%2C%20${carol.id}&type=2`,
      });
      assert.equal(group.status, 201);
      assert.deepEqual(group.body.occupants_ids, [alice.id, bob.id, carol.id].sort((a, b) => a - b));
      assert.equal(group.body.user_id, alice.id);
      assert.equal(group.body.unread_messages_count, 0);
      const existing = (await dialogsOf(aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(bob.id));
      const again = await call<QBDialog>('POST', '/chat/Dialog.json', { token: aliceToken, json: { type: 3, occupants_ids: String(bob.id) } });
      assert.equal(again.status, 200);
      assert.equal(again.body._id, existing?._id);
    });

    it('sends a message, counts it unread for the others, and marks it read when listed', async () => {
      const group = await call<QBDialog>('POST', '/chat/Dialog.json', {
        token: bobToken,
        json: { type: 2, name: 'Counting', occupants_ids: [alice.id, carol.id] },
      });
      const dialogId = group.body._id;
      const sent = await call<QBMessage>('POST', '/chat/Message.json', {
        token: bobToken,
        json: { chat_dialog_id: dialogId, message: 'look at this', markable: 1, attachments: { '0': { type: 'image', id: '47863' } }, age: 25 },
      });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.sender_id, bob.id);
      assert.equal(sent.body.recipient_id, 0);
      assert.deepEqual(sent.body.attachments, [{ type: 'image', id: '47863' }]);
      assert.equal(sent.body.age, '25');
      assert.equal(sent.body.markable, 1);
      assert.deepEqual(sent.body.read_ids, [bob.id]);

      const unread = async (token: string) => (await dialogsOf(token)).find((d) => d._id === dialogId)?.unread_messages_count;
      assert.equal(await unread(aliceToken), 1);
      assert.equal(await unread(bobToken), 0);
      const peek = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0`, { token: aliceToken });
      assert.equal(peek.body.items.length, 1);
      assert.equal(await unread(aliceToken), 1, 'mark_as_read=0 leaves it unread');
      const listed = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: aliceToken });
      assert.equal(listed.status, 200);
      assert.deepEqual([listed.body.skip, listed.body.limit], [0, 100]);
      assert.equal(await unread(aliceToken), 0);
      assert.equal(await unread(carolToken), 1);
      const after = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: bobToken });
      assert.deepEqual(after.body.items[0].read_ids, [alice.id, bob.id].sort((a, b) => a - b));
    });

    it('lists history oldest first, or newest first with sort_desc, with date_sent filters', async () => {
      const privateDialog = (await dialogsOf(aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(bob.id));
      const path = `/chat/Message.json?chat_dialog_id=${privateDialog?._id}&mark_as_read=0`;
      const asc = (await call<QBMessageList>('GET', path, { token: aliceToken })).body.items;
      const dates = asc.map((m) => m.date_sent);
      assert.deepEqual(dates, [...dates].sort((a, b) => a - b));
      const desc = (await call<QBMessageList>('GET', `${path}&sort_desc=date_sent&limit=2`, { token: aliceToken })).body.items;
      assert.deepEqual(desc.map((m) => m._id), asc.slice(-2).reverse().map((m) => m._id));
      const older = (await call<QBMessageList>('GET', `${path}&date_sent[lt]=${asc[1].date_sent}`, { token: aliceToken })).body.items;
      assert.deepEqual(older.map((m) => m._id), [asc[0]._id]);
    });

    it('marks read and delivered with PUT /chat/Message, answering 200 with an empty body, and counts unread', async () => {
      const group = await call<QBDialog>('POST', '/chat/Dialog.json', { token: bobToken, json: { type: 2, name: 'Marks', occupants_ids: [alice.id] } });
      const dialogId = group.body._id;
      const ids: string[] = [];
      for (const text of ['one', 'two', 'three']) {
        ids.push((await call<QBMessage>('POST', '/chat/Message.json', { token: bobToken, json: { chat_dialog_id: dialogId, message: text } })).body._id);
      }
      type Unread = { total: number } & Record<string, number>;
      const unread = async () => (await call<Unread>('GET', `/chat/Message/unread.json?chat_dialog_ids=${dialogId}`, { token: aliceToken })).body;
      assert.equal((await unread())[dialogId], 3);

      const delivered = await call('PUT', `/chat/Message/${ids[0]}.json`, { token: aliceToken, json: { delivered: '1', chat_dialog_id: dialogId } });
      assert.equal(delivered.status, 200);
      assert.equal(delivered.body, undefined, 'empty body');
      const one = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&_id=${ids[0]}&mark_as_read=0`, { token: aliceToken });
      assert.deepEqual(one.body.items.map((m) => [m._id, m.delivered_ids.includes(alice.id), m.read_ids.includes(alice.id)]), [[ids[0], true, false]]);

      assert.equal((await call('PUT', `/chat/Message/${ids[0]},${ids[1]}.json`, { token: aliceToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 200);
      assert.equal((await unread())[dialogId], 1);
      assert.equal((await dialogsOf(aliceToken)).find((d) => d._id === dialogId)?.unread_messages_count, 1);
      assert.equal((await call('PUT', '/chat/Message.json', { token: aliceToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 200);
      const after = await unread();
      assert.equal(after[dialogId], 0);
      assert.equal(after.total, 0);

      const notMine = await call('PUT', `/chat/Message/${ids[0]}.json`, { token: carolToken, form: `chat_dialog_id=${dialogId}&read=1` });
      assert.equal(notMine.status, 403);
      const unknown = await call('PUT', `/chat/Message/${ids[0]}.json`, { token: aliceToken, form: `chat_dialog_id=${'0'.repeat(24)}&read=1` });
      assert.equal(unknown.status, 404);
    });

    it('edits a message’s text for its sender only (PUT message=…)', async () => {
      const privateDialog = (await dialogsOf(aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(bob.id));
      const dialogId = privateDialog?._id ?? '';
      const sent = await call<QBMessage>('POST', '/chat/Message.json', { token: aliceToken, json: { chat_dialog_id: dialogId, message: 'teh typo' } });
      const byBob = await call('PUT', `/chat/Message/${sent.body._id}.json`, { token: bobToken, json: { chat_dialog_id: dialogId, message: 'hijacked' } });
      assert.equal(byBob.status, 403);
      const edited = await call('PUT', `/chat/Message/${sent.body._id}.json`, { token: aliceToken, json: { chat_dialog_id: dialogId, message: 'the typo' } });
      assert.equal(edited.status, 200);
      const listed = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&_id=${sent.body._id}&mark_as_read=0`, { token: bobToken });
      assert.equal(listed.body.items[0].message, 'the typo');
    });

    it('refuses list filters it does not implement with 422, before marking anything read', async () => {
      const group = (await call<QBDialog>('POST', '/chat/Dialog.json', { token: aliceToken, json: { type: 2, name: 'Filters', occupants_ids: [bob.id] } })).body;
      await call('POST', '/chat/Message.json', { token: aliceToken, json: { chat_dialog_id: group._id, message: 'unread for bob' } });
      for (const [query, key] of [
        ['sender_id=999999', 'sender_id'],
        ['message[ctn]=zzz', 'message'],
        ['date_sent[in]=1,2', 'date_sent[in]'],
        ['_id[ne]=5', '_id[ne]'],
      ]) {
        const res: Response<ErrorBody> = await call<ErrorBody>('GET', `/chat/Message.json?chat_dialog_id=${group._id}&${query}`, { token: bobToken });
        assert.equal(res.status, 422, query);
        assert.deepEqual(res.body, { errors: { [key]: ['is not supported by the local server yet'] } });
      }
      const unreadNow = (await dialogsOf(bobToken)).find((d) => d._id === group._id)?.unread_messages_count;
      assert.equal(unreadNow, 1);
      const dialogs = await call<ErrorBody>('GET', '/chat/Dialog.json?updated_at[gt]=9999999999', { token: bobToken });
      assert.equal(dialogs.status, 422);
      assert.deepEqual(dialogs.body, { errors: { updated_at: ['is not supported by the local server yet'] } });
      assert.equal((await call('GET', '/chat/Dialog.json?type[in]=2&sort_desc=name&limit=5&count=1', { token: bobToken })).status, 200);
    });

    it('writes to a user by recipient_id, opening the private dialog', async () => {
      const sent = await call<QBMessage>('POST', '/chat/Message.json', { token: carolToken, json: { recipient_id: bob.id, message: 'hi bob' } });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.recipient_id, bob.id);
      const dialog = (await dialogsOf(bobToken)).find((d) => d._id === sent.body.chat_dialog_id);
      assert.equal(dialog?.type, 3);
      assert.equal(dialog?.name, carol.fullName);
      assert.equal(dialog?.last_message, 'hi bob');
      assert.equal(dialog?.unread_messages_count, 1);
    });
  });

  describe('errors', () => {
    it('forbids a non-occupant from reading or writing a dialog (403) and changes nothing', async () => {
      const privateDialog = (await dialogsOf(aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(bob.id));
      const dialogId = privateDialog?._id ?? '';
      const before = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0`, { token: aliceToken });
      const read = await call<ErrorBody>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: carolToken });
      assert.equal(read.status, 403);
      assert.match(JSON.stringify(read.body.errors), /not an occupant/);
      const write = await call('POST', '/chat/Message.json', { token: carolToken, json: { chat_dialog_id: dialogId, message: 'sneaky' } });
      assert.equal(write.status, 403);
      const after = await call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0`, { token: aliceToken });
      assert.deepEqual(after.body, before.body);
    });

    it('keeps the store unchanged when a request is rejected late in validation', async () => {
      const dave = await call<{ user: QBUser }>('POST', '/users.json', {
        token: aliceToken,
        form: 'user[login]=erin&user[password]=erin-pass',
      });
      const before = await dialogsOf(aliceToken);
      // Valid recipient, invalid attachment: the private dialog must not be created.
      const res = await call<ErrorBody>('POST', '/chat/Message.json', {
        token: aliceToken,
        json: { recipient_id: dave.body.user.id, message: 'x', attachments: [{ id: 'no type' }] },
      });
      assert.equal(res.status, 422);
      assert.deepEqual(await dialogsOf(aliceToken), before);
      const users = await call<{ total_entries: number }>('GET', '/users.json', { token: aliceToken });
      const badUser = await call('POST', '/users.json', { token: aliceToken, form: 'user[login]=frank&user[password]=short' });
      assert.equal(badUser.status, 422);
      assert.equal((await call<{ total_entries: number }>('GET', '/users.json', { token: aliceToken })).body.total_entries, users.body.total_entries);
    });

    it('refuses chat writes from an application session with 403', async () => {
      const app = (await call<{ session: QBSession }>('POST', '/session.json', { form: signedSessionForm() })).body.session.token;
      const res = await call<ErrorBody>('POST', '/chat/Dialog.json', { token: app, form: `type=3&occupants_ids=${bob.id}` });
      assert.equal(res.status, 403);
      assert.match(JSON.stringify(res.body.errors), /login/);
    });

    it('answers malformed JSON with 400, missing fields with 422, unknown ids and routes with 404', async () => {
      const badJson = await call<ErrorBody>('POST', '/chat/Message.json', { token: aliceToken, raw: '{"message": ' });
      assert.equal(badJson.status, 400);
      assert.match(JSON.stringify(badJson.body.errors), /JSON/);
      const missing = await call<ErrorBody>('GET', '/chat/Message.json?', { token: aliceToken });
      assert.equal(missing.status, 422);
      assert.deepEqual(Object.keys(missing.body.errors), ['chat_dialog_id']);
      const unknown = await call('GET', `/chat/Message.json?chat_dialog_id=${'0'.repeat(24)}`, { token: aliceToken });
      assert.equal(unknown.status, 404);
      const noRoute = await call<ErrorBody>('GET', '/nothing/here.json');
      assert.equal(noRoute.status, 404);
      assert.ok(Array.isArray(noRoute.body.errors));
      const wrongType = await call('POST', '/chat/Dialog.json', { token: aliceToken, json: { type: 'group', name: 'x' } });
      assert.equal(wrongType.status, 422);
    });

    it('answers an oversized body with 413 JSON', async () => {
      const res = await call<ErrorBody>('POST', '/chat/Message.json', { token: aliceToken, json: { message: 'x'.repeat(2 * 1024 * 1024) } });
      assert.equal(res.status, 413);
      assert.ok(res.body.errors);
    });

    it('turns a handler exception into a 500 JSON body and keeps serving', async () => {
      const store = server.store;
      const original = store.listDialogs;
      store.listDialogs = () => {
        throw new Error('boom');
      };
      try {
        const res = await call<ErrorBody>('GET', '/chat/Dialog.json', { token: aliceToken });
        assert.equal(res.status, 500);
        assert.match(JSON.stringify(res.body.errors), /boom/);
      } finally {
        store.listDialogs = original;
      }
      assert.equal((await call('GET', '/chat/Dialog.json', { token: aliceToken })).status, 200);
    });
  });

  describe('discovery and browsers', () => {
    it('serves the running server info at /_local/info.json', async () => {
      const res = await call('GET', '/_local/info.json');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, server.info);
    });

    it('answers a CORS preflight from a loopback page or a VS Code webview, echoing its origin', async () => {
      for (const origin of ['http://localhost:5173', 'https://127.0.0.1', 'http://[::1]:8081', 'vscode-webview://1abc2def']) {
        const res = await fetch(`${base}/chat/Message.json`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'qb-token' },
        });
        assert.equal(res.status, 200, origin);
        assert.equal(res.headers.get('access-control-allow-origin'), origin);
        assert.match(res.headers.get('access-control-allow-headers') ?? '', /QB-Token/);
        assert.match(res.headers.get('access-control-expose-headers') ?? '', /QB-Token-ExpirationDate/);
      }
    });

    it('refuses pages from other origins, even with the API key, and never exposes /_local/ cross-origin', async () => {
      const evil = { Origin: 'https://evil.example' };
      const info = await call<ErrorBody>('GET', '/_local/info.json', { headers: evil });
      assert.equal(info.status, 403);
      assert.equal(info.headers.get('access-control-allow-origin'), null);
      assert.doesNotMatch(JSON.stringify(info.body), /local-api-key|authSecret/);
      const asBob = await call('GET', '/chat/Dialog.json', { headers: { ...evil, Authorization: `ApiKey ${server.info.apiKey}`, 'On-Behalf-Of': String(bob.id) } });
      assert.equal(asBob.status, 403);
      const local = await call('GET', '/_local/info.json', { headers: { Origin: 'http://localhost:3000' } });
      assert.equal(local.status, 200);
      assert.equal(local.headers.get('access-control-allow-origin'), null, 'no CORS on /_local/ at all');
    });

    it('refuses a Host header that is not this machine (DNS rebinding) with 403 JSON', async () => {
      const { request } = await import('node:http');
      const url = new URL(base);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: '/_local/info.json', headers: { Host: `rebind.evil.example:${url.port}` } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.status, 403);
      assert.match(answer.body, /DNS rebinding/);
      assert.doesNotMatch(answer.body, new RegExp(server.info.authSecret));
    });
  });
});
