// Authentication (spec §2, authentication reference): signed sessions, login/logout, tokens, API keys.
import * as assert from 'node:assert/strict';
import { createHmac, randomInt } from 'node:crypto';
import type { QBDialogList, QBSession, QBUser } from '../../src/shared/models';
import { useRestServer, type ErrorBody } from './restHarness';

describe('rest: sessions and authentication', function () {
  this.timeout(20_000);
  const h = useRestServer();
  const EXPIRY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

  it('creates a signed application session (201) with an expiry header the SDK can parse', async () => {
    const res = await h.call<{ session: QBSession }>('POST', '/session.json', { form: h.signedSessionForm() });
    assert.equal(res.status, 201);
    assert.equal(res.body.session.user_id, 0);
    assert.equal(res.body.session.application_id, h.server.info.appId);
    assert.match(res.body.session.token, /^[0-9a-f]{40}$/);
    assert.match(res.body.session.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(res.headers.get('QB-Token-ExpirationDate') ?? '', EXPIRY);
  });

  it('creates a user session in one call; GET /session.json returns it with a fresh expiry header', async () => {
    const res = await h.call<{ session: QBSession }>('GET', '/session.json', { token: h.aliceToken });
    assert.equal(res.status, 200);
    assert.equal(res.body.session.user_id, h.alice.id);
    assert.match(res.headers.get('QB-Token-ExpirationDate') ?? '', EXPIRY);
    const other = await h.call('GET', '/chat/Dialog.json', { token: h.aliceToken });
    assert.match(other.headers.get('QB-Token-ExpirationDate') ?? '', EXPIRY, 'every authenticated answer carries it');
  });

  it('accepts the signed parameters as JSON, and a SHA-256 signature', async () => {
    for (const algorithm of ['sha1', 'sha256']) {
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = randomInt(1, 1e9);
      const signed = `application_id=${h.server.info.appId}&auth_key=${h.server.info.authKey}&nonce=${nonce}&timestamp=${timestamp}`;
      const signature = createHmac(algorithm, h.server.info.authSecret).update(signed).digest('hex');
      const json = { application_id: h.server.info.appId, auth_key: h.server.info.authKey, nonce, timestamp, signature };
      assert.equal((await h.call('POST', '/session.json', { json })).status, 201, algorithm);
    }
  });

  it('rejects a bad signature, a replayed nonce and a stale timestamp with 422', async () => {
    const bad = await h.call<ErrorBody>('POST', '/session.json', { form: h.signedSessionForm(undefined, { secret: 'wrong' }) });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body, { errors: { base: ['Unexpected signature'] } });
    const form = h.signedSessionForm(undefined, { nonce: 4242 });
    assert.equal((await h.call('POST', '/session.json', { form })).status, 201);
    const replay = await h.call<ErrorBody>('POST', '/session.json', { form });
    assert.equal(replay.status, 422);
    assert.match(JSON.stringify(replay.body.errors), /nonce/);
    const stale = await h.call<ErrorBody>('POST', '/session.json', {
      form: h.signedSessionForm(undefined, { timestamp: Math.floor(Date.now() / 1000) - 2 * 3600 }),
    });
    assert.equal(stale.status, 422);
    assert.match(JSON.stringify(stale.body.errors), /60 minutes/);
    const missing = await h.call<ErrorBody>('POST', '/session.json', { form: 'application_id=1' });
    assert.equal(missing.status, 422);
  });

  it('answers wrong credentials with exactly 401 {"errors":["Unauthorized"]}', async () => {
    const user = await h.call('POST', '/session.json', { form: h.signedSessionForm({ login: h.alice.login, password: 'nope-nope' }) });
    assert.deepEqual([user.status, user.body], [401, { errors: ['Unauthorized'] }]);
    const nobody = await h.call('POST', '/session.json', { form: h.signedSessionForm({ login: 'no-such-user', password: 'whatever1' }) });
    assert.deepEqual([nobody.status, nobody.body], [401, { errors: ['Unauthorized'] }]);
    const app = await h.appToken();
    const login = await h.call('POST', '/login.json', { token: app, form: `login=${h.bob.login}&password=wrong-pass` });
    assert.deepEqual([login.status, login.body], [401, { errors: ['Unauthorized'] }]);
    const apiKey = await h.call('GET', '/chat/Dialog.json', { headers: { Authorization: 'ApiKey wrong' } });
    assert.deepEqual([apiKey.status, apiKey.body], [401, { errors: ['Unauthorized'] }]);
  });

  it('answers an unknown token with the exact "Required session does not exist" body, and a missing one with 401', async () => {
    const res = await h.call('GET', '/chat/Dialog.json?', { token: 'f'.repeat(40) });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { errors: { base: ['Required session does not exist'] } });
    const none = await h.call<ErrorBody>('GET', '/chat/Dialog.json');
    assert.deepEqual([none.status, none.body], [401, { errors: ['Token is required'] }]);
  });

  it('logs in (by login or email) and out on an application session, then destroys it', async () => {
    const token = await h.appToken();
    const login = await h.call<{ user: QBUser }>('POST', '/login.json', { token, form: `login=${h.bob.login}&password=${h.bob.password}` });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.id, h.bob.id);
    assert.equal('password' in login.body.user, false);
    assert.equal((await h.call<{ session: QBSession }>('GET', '/session.json', { token })).body.session.user_id, h.bob.id);
    assert.equal((await h.call('DELETE', '/login.json', { token })).status, 200);
    assert.equal((await h.call<{ session: QBSession }>('GET', '/session.json', { token })).body.session.user_id, 0);
    const { user, password } = await h.newUser('emma');
    await h.call('PUT', `/users/${user.id}.json`, { token: await h.userToken({ login: 'emma', password }), json: { user: { email: 'emma@example.com' } } });
    const byEmail = await h.call<{ user: QBUser }>('POST', '/login.json', { token, json: { email: 'emma@example.com', password } });
    assert.equal(byEmail.body.user?.id, user.id, byEmail.text);
    assert.equal((await h.call('DELETE', '/session.json', { token })).status, 200);
    assert.equal((await h.call('GET', '/session.json', { token })).status, 401);
  });

  it('accepts the legacy token parameter and an API key acting on behalf of a user', async () => {
    assert.equal((await h.call('GET', `/chat/Dialog.json?token=${h.aliceToken}`)).status, 200);
    const apiKey = { Authorization: `ApiKey ${h.server.info.apiKey}` };
    const asBob = await h.call<QBDialogList>('GET', '/chat/Dialog.json', { headers: { ...apiKey, 'On-Behalf-Of': String(h.bob.id) } });
    assert.equal(asBob.status, 200);
    assert.ok(asBob.body.items.length > 0);
    assert.equal((await h.call('GET', '/chat/Dialog.json', { headers: apiKey })).status, 403, 'nobody to act for');
    assert.equal((await h.call('GET', '/chat/Dialog.json', { headers: { ...apiKey, 'On-Behalf-Of': '99999999' } })).status, 404);
  });
});
