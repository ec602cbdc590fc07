// Request forms, permissions and bad input (spec §1.4, §6): every encoding the SDK and the docs use,
// 4xx `{"errors": …}` for every malformed request with nothing changed, and the server keeps serving.
import * as assert from 'node:assert/strict';
import type { QBDialog, QBDialogList, QBMessageList, QBUser } from '../../src/shared/models';
import { useRestServer, type ErrorBody } from './restHarness';

describe('rest: request forms, permissions and bad input', function () {
  this.timeout(20_000);
  const h = useRestServer();

  describe('request forms', () => {
    it('accepts bracket keys raw or percent-encoded, key[]=a,b lists, GETs ending in ?, and DELETE parameters in the body', async () => {
      const encoded = await h.call<QBDialog>('POST', '/chat/Dialog.json', {
        token: h.aliceToken,
        form: `type=2&name=Enc&occupants_ids%5B%5D=${h.bob.id}%2C${h.carol.id}&data%5Bclass_name%5D=C&data%5Bk%5D=v`,
      });
      assert.equal(encoded.status, 201, encoded.text);
      assert.deepEqual([encoded.body.occupants_ids.length, encoded.body.data], [3, { class_name: 'C', k: 'v' }]);
      const byType = await h.call<QBDialogList>('GET', '/chat/Dialog.json?type%5Bin%5D=2&sort_desc=updated_at', { token: h.aliceToken });
      assert.ok(byType.body.items.every((d) => d.type === 2));
      assert.equal((await h.call('GET', `/users/${h.bob.id}.json?`, { token: h.aliceToken })).status, 200);
      const del = await h.call('DELETE', `/chat/Dialog/${encoded.body._id}.json`, { token: h.aliceToken, form: 'force=1' });
      assert.equal(del.status, 200);
      assert.equal((await h.call('GET', `/chat/Dialog/${encoded.body._id}.json`, { token: h.bobToken })).status, 404, 'force in the body was honoured');
    });

    it('takes JSON and form bodies alike, JSON flat bracket keys too, and never answers 204', async () => {
      const json = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 2, name: 'J', 'occupants_ids[]': `${h.bob.id}` } });
      assert.equal(json.status, 201, json.text);
      const put = await h.call<QBDialog>('PUT', `/chat/Dialog/${json.body._id}.json`, { token: h.aliceToken, form: 'name=Form%20name' });
      assert.equal(put.body.name, 'Form name');
      const noType = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, raw: JSON.stringify({ type: 2, name: 'no header', occupants_ids: [h.bob.id] }), contentType: '' });
      assert.equal(noType.status, 201);
    });

    it('answers a CORS preflight from a loopback page or a VS Code webview, echoing its origin, PATCH included', async () => {
      const base = h.server.info.rest.replace(/\/$/, '');
      for (const origin of ['http://localhost:5173', 'vscode-webview://1abc2def']) {
        const res = await fetch(`${base}/chat/Message.json`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'qb-token' },
        });
        assert.equal(res.status, 200, origin);
        assert.equal(res.headers.get('access-control-allow-origin'), origin);
        assert.match(res.headers.get('access-control-allow-methods') ?? '', /PATCH/);
        assert.match(res.headers.get('access-control-expose-headers') ?? '', /QB-Token-ExpirationDate/);
      }
    });

    it('serves /_local/info.json, and refuses other origins and foreign Host names', async () => {
      assert.deepEqual((await h.call('GET', '/_local/info.json')).body, h.server.info);
      const evil = await h.call('GET', '/chat/Dialog.json', { headers: { Origin: 'https://evil.example', Authorization: `ApiKey ${h.server.info.apiKey}`, 'On-Behalf-Of': String(h.bob.id) } });
      assert.equal(evil.status, 403);
    });
  });

  describe('permissions', () => {
    it('lets an application session create and read users but not write or read chat data', async () => {
      const app = await h.appToken();
      assert.equal((await h.call('POST', '/users.json', { token: app, form: 'user[login]=perm1&user[password]=perm1-pass' })).status, 201);
      assert.equal((await h.call('GET', '/users.json', { token: app })).status, 200);
      for (const [method, path, body] of [
        ['POST', '/chat/Dialog.json', { type: 3, occupants_ids: h.bob.id }],
        ['POST', '/chat/Message.json', { recipient_id: h.bob.id, message: 'x' }],
        ['GET', '/chat/Dialog.json', undefined],
        ['PUT', '/chat/Message.json', { read: 1 }],
      ] as const) {
        const res = await h.call<ErrorBody>(method, path, { token: app, json: body });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.ok(res.body.errors);
      }
    });

    it('forbids a non-occupant from reading, writing, marking, updating or deleting in a dialog, and changes nothing', async () => {
      const privateDialog = (await h.dialogsOf(h.aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(h.bob.id));
      const id = privateDialog?._id ?? '';
      const history = `/chat/Message.json?chat_dialog_id=${id}&mark_as_read=0`;
      const before = await h.call<QBMessageList>('GET', history, { token: h.aliceToken });
      const lastId = before.body.items[before.body.items.length - 1]._id;
      const attempts: Array<[string, string, Record<string, unknown> | undefined]> = [
        ['GET', `/chat/Message.json?chat_dialog_id=${id}`, undefined],
        ['POST', '/chat/Message.json', { chat_dialog_id: id, message: 'sneaky' }],
        ['PUT', '/chat/Message.json', { chat_dialog_id: id, read: 1 }],
        ['PUT', `/chat/Dialog/${id}.json`, { data: { class_name: 'X', a: 1 } }],
        ['GET', `/chat/Message/${lastId}.json`, undefined],
        ['GET', `/chat/Dialog/${id}/notifications.json`, undefined],
      ];
      for (const [method, path, json] of attempts) assert.equal((await h.call(method, path, { token: h.carolToken, json })).status, 403, `${method} ${path}`);
      assert.equal((await h.call('DELETE', `/chat/Message/${lastId}.json`, { token: h.carolToken, form: 'force=1' })).status, 404);
      assert.equal((await h.call('DELETE', `/chat/Dialog/${id}.json`, { token: h.carolToken })).status, 404);
      assert.deepEqual((await h.call<QBMessageList>('GET', history, { token: h.aliceToken })).body, before.body);
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400, wrong types and missing fields with 422, unknown ids and routes with 404', async () => {
      const badJson = await h.call<ErrorBody>('POST', '/chat/Message.json', { token: h.aliceToken, raw: '{"message": ' });
      assert.equal(badJson.status, 400);
      assert.match(JSON.stringify(badJson.body.errors), /JSON/);
      assert.equal((await h.call('POST', '/chat/Message.json', { token: h.aliceToken, raw: '[1,2]' })).status, 400);
      const missing = await h.call<ErrorBody>('GET', '/chat/Message.json?', { token: h.aliceToken });
      assert.deepEqual([missing.status, Object.keys(missing.body.errors)], [422, ['chat_dialog_id']]);
      assert.equal((await h.call('GET', `/chat/Message.json?chat_dialog_id=${'0'.repeat(24)}`, { token: h.aliceToken })).status, 404);
      assert.equal((await h.call('GET', '/chat/Message.json?chat_dialog_id=123', { token: h.aliceToken })).status, 422);
      const noRoute = await h.call<ErrorBody>('GET', '/nothing/here.json');
      assert.deepEqual([noRoute.status, Array.isArray(noRoute.body.errors)], [404, true]);
      assert.equal((await h.call('PATCH', '/chat/Dialog.json', { token: h.aliceToken })).status, 405);
      for (const json of [{ type: 'group', name: 'x' }, { type: 7, name: 'x' }, { type: 2, name: { a: 1 } }, { type: 2, name: 'x'.repeat(201) }, { type: 2 }, { type: 3, occupants_ids: 'abc' }, { type: 3 }]) {
        assert.equal((await h.call('POST', '/chat/Dialog.json', { token: h.aliceToken, json })).status, 422, JSON.stringify(json));
      }
      for (const json of [{ recipient_id: 'bob' }, { chat_dialog_id: ['a'] }, { recipient_id: h.bob.id, attachments: 'x' }, { recipient_id: h.bob.id, custom: { nested: 1 } }, { recipient_id: h.bob.id, markable: 'yes' }, {}]) {
        assert.equal((await h.call('POST', '/chat/Message.json', { token: h.aliceToken, json })).status, 422, JSON.stringify(json));
      }
    });

    it('treats injection-looking text as plain data', async () => {
      const name = `x'); DROP TABLE dialogs; -- <script>alert(1)</script>`;
      const d = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 2, name, occupants_ids: [h.bob.id] } });
      assert.equal(d.body.name, name);
      const found = await h.call<QBDialogList>('GET', `/chat/Dialog.json?name=${encodeURIComponent(name)}`, { token: h.aliceToken });
      assert.deepEqual(found.body.items.map((i) => i._id), [d.body._id]);
      const users = await h.call('GET', `/users.json?filter[]=${encodeURIComponent("string login eq ' OR 1=1 --")}`, { token: h.aliceToken });
      assert.equal((users.body as { total_entries: number }).total_entries, 0);
      const proto = await h.call('POST', '/users.json', { token: h.aliceToken, form: 'user[__proto__][admin]=1&user[login]=proto-user&user[password]=proto-pass' });
      assert.equal(proto.status, 201);
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });

    it('answers an oversized body with 413 JSON and keeps serving', async () => {
      const res = await h.call<ErrorBody>('POST', '/chat/Message.json', { token: h.aliceToken, json: { message: 'x'.repeat(2 * 1024 * 1024) } });
      assert.equal(res.status, 413);
      assert.ok(res.body.errors);
      assert.equal((await h.call('GET', '/chat/Dialog.json', { token: h.aliceToken })).status, 200);
    });

    it('turns a handler exception into a 500 JSON body and keeps serving', async () => {
      const store = h.server.store;
      const original = store.listUsers;
      store.listUsers = () => {
        throw new Error('boom');
      };
      try {
        const res = await h.call<ErrorBody>('GET', '/users.json', { token: h.aliceToken });
        assert.equal(res.status, 500);
        assert.match(JSON.stringify(res.body.errors), /boom/);
      } finally {
        store.listUsers = original;
      }
      assert.equal((await h.call('GET', '/users.json', { token: h.aliceToken })).status, 200);
    });

    it('keeps users unchanged when a user request is rejected', async () => {
      const total = async () => (await h.call<{ total_entries: number; items: Array<{ user: QBUser }> }>('GET', '/users.json', { token: h.aliceToken })).body.total_entries;
      const before = await total();
      for (const form of ['user[login]=frank&user[password]=short', 'user[password]=no-login-at-all', 'user[login]=x&user[email]=not-an-email&user[password]=long-enough', 'user=plain']) {
        assert.equal((await h.call('POST', '/users.json', { token: h.aliceToken, form })).status, 422, form);
      }
      assert.equal(await total(), before);
    });
  });
});
