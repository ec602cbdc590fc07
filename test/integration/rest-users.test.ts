// Users (spec §3, create-user / list-users references): create, the lookups, the filtered list,
// update with password change, delete — never a password in an answer.
import * as assert from 'node:assert/strict';
import type { QBUser } from '../../src/shared/models';
import { useRestServer, type ErrorBody } from './restHarness';

type UserList = { current_page: number; per_page: number; total_entries: number; items: Array<{ user: QBUser }> };

describe('rest: users', function () {
  this.timeout(20_000);
  const h = useRestServer();

  it('creates a user with an application session and refuses a taken login or email with 422', async () => {
    const app = await h.appToken();
    const form = 'user[login]=dave&user[password]=dave-pass&user[full_name]=Dave%20Test&user[email]=dave%40example.com&user[tag_list]=a,b';
    const created = await h.call<{ user: QBUser }>('POST', '/users.json', { token: app, form });
    assert.equal(created.status, 201);
    assert.equal(created.body.user.full_name, 'Dave Test');
    assert.equal(created.body.user.email, 'dave@example.com');
    assert.equal(created.body.user.user_tags, 'a,b');
    assert.doesNotMatch(created.text, /password/);
    const again = await h.call('POST', '/users.json', { token: app, form });
    assert.deepEqual([again.status, again.body], [422, { errors: { login: ['has already been taken'] } }]);
    const sameEmail = await h.call('POST', '/users.json', { token: app, json: { user: { login: 'dave2', email: 'DAVE@example.com', password: 'dave-pass' } } });
    assert.deepEqual([sameEmail.status, sameEmail.body], [422, { errors: { email: ['has already been taken'] } }]);
  });

  it('gets a user by id (with the SDK trailing ?), login, email, full name, tags, external id and phone', async () => {
    const res = await h.call<{ user: QBUser }>('GET', `/users/${h.bob.id}.json?`, { token: h.aliceToken });
    assert.equal(res.body.user.login, h.bob.login);
    assert.equal((await h.call('GET', '/users/999999.json?', { token: h.aliceToken })).status, 404);
    assert.equal((await h.call('GET', '/users/abc.json', { token: h.aliceToken })).status, 404);
    assert.equal((await h.call<{ user: QBUser }>('GET', `/users/by_login.json?login=${h.carol.login}`, { token: h.aliceToken })).body.user.id, h.carol.id);
    const app = await h.appToken();
    const made = await h.call<{ user: QBUser }>('POST', '/users.json', {
      token: app,
      json: { user: { login: 'frida', email: 'frida@example.com', password: 'frida-pass', full_name: 'Frida Kahlo', tag_list: 'art, mexico', external_user_id: 77, phone: '+15550100' } },
    });
    const id = made.body.user.id;
    assert.equal((await h.call<{ user: QBUser }>('GET', '/users/by_email.json?email=frida%40example.com', { token: app })).body.user.id, id);
    const byName = await h.call<UserList>('GET', '/users/by_full_name.json?full_name=kahlo', { token: app });
    assert.deepEqual(byName.body.items.map((i) => i.user.id), [id]);
    const byTags = await h.call<UserList>('GET', '/users/by_tags.json?tags=music%2Cmexico', { token: app });
    assert.deepEqual(byTags.body.items.map((i) => i.user.id), [id]);
    assert.equal((await h.call<{ user: QBUser }>('GET', '/users/external/77.json?', { token: app })).body.user.id, id);
    assert.equal((await h.call<{ user: QBUser }>('GET', '/users/phone.json?phone=%2B15550100', { token: app })).body.user.id, id);
    assert.equal((await h.call('GET', '/users/by_login.json?login=nobody-here', { token: app })).status, 404);
  });

  it('lists users with the SDK filter[] syntax (several filters comma-joined), order and paging', async () => {
    const { alice, carol } = h;
    const res = await h.call<UserList>('GET', `/users.json?filter[]=${encodeURIComponent(`number id in ${alice.id},${carol.id}`)}&per_page=1&page=2`, { token: h.aliceToken });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.total_entries, res.body.current_page, res.body.per_page], [2, 2, 1]);
    assert.deepEqual(res.body.items.map((i) => i.user.id), [carol.id]);
    const joined = encodeURIComponent(`number id in ${alice.id},${carol.id},string login eq ${carol.login}`);
    const both = await h.call<UserList>('GET', `/users.json?filter[]=${joined}`, { token: h.aliceToken });
    assert.deepEqual(both.body.items.map((i) => i.user.id), [carol.id]);
    const ordered = await h.call<UserList>('GET', `/users.json?order=${encodeURIComponent('desc string login')}&per_page=100`, { token: h.aliceToken });
    const logins = ordered.body.items.map((i) => i.user.login ?? '');
    assert.deepEqual(logins, [...logins].sort().reverse());
    for (const bad of ['filter[]=number%20id%20sideways%201', 'filter[]=nonsense', 'per_page=0', 'per_page=1000', 'page=-1']) {
      assert.equal((await h.call('GET', `/users.json?${bad}`, { token: h.aliceToken })).status, 422, bad);
    }
  });

  it('updates one’s own user, changes the password only with the right old_password, and refuses others’', async () => {
    const { user, token, password } = await h.newUser('gina');
    const renamed = await h.call<{ user: QBUser }>('PUT', `/users/${user.id}.json`, { token, form: 'user[full_name]=Gina%20New&user[website]=https%3A%2F%2Fgina.example' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.user.full_name, 'Gina New');
    assert.equal(renamed.body.user.website, 'https://gina.example');
    const wrongOld = await h.call<ErrorBody>('PUT', `/users/${user.id}.json`, { token, json: { user: { old_password: 'not-it-at-all', password: 'brand-new-pass' } } });
    assert.deepEqual([wrongOld.status, wrongOld.body], [422, { errors: { old_password: ['is incorrect'] } }]);
    const noOld = await h.call('PUT', `/users/${user.id}.json`, { token, json: { user: { password: 'brand-new-pass' } } });
    assert.equal(noOld.status, 422);
    const changed = await h.call('PUT', `/users/${user.id}.json`, { token, json: { user: { old_password: password, password: 'brand-new-pass' } } });
    assert.equal(changed.status, 200);
    assert.doesNotMatch(changed.text, /password/);
    await h.userToken({ login: 'gina', password: 'brand-new-pass' });
    const taken = await h.call('PUT', `/users/${user.id}.json`, { token, form: `user[login]=${h.alice.login}` });
    assert.deepEqual([taken.status, taken.body], [422, { errors: { login: ['has already been taken'] } }]);
    assert.equal((await h.call('PUT', `/users/${h.alice.id}.json`, { token, form: 'user[full_name]=Hacked' })).status, 403);
    assert.equal((await h.call('PUT', `/users/${user.id}.json`, { token: await h.appToken(), form: 'user[full_name]=x' })).status, 403);
  });

  it('deletes only one’s own account; its sessions end with it', async () => {
    const { user, token } = await h.newUser('hugo');
    assert.equal((await h.call('DELETE', `/users/${h.bob.id}.json`, { token })).status, 403);
    const deleted = await h.call('DELETE', `/users/${user.id}.json`, { token });
    assert.equal(deleted.status, 200);
    assert.equal((await h.call('GET', `/users/${user.id}.json`, { token: h.aliceToken })).status, 404);
    assert.equal((await h.call('GET', '/session.json', { token })).status, 401);
  });
});
