// Dialogs (spec §4; create / list / get / update / delete / notification references).
import * as assert from 'node:assert/strict';
import type { QBDialog, QBDialogList } from '../../src/shared/models';
import { useRestServer, type ErrorBody } from './restHarness';

describe('rest: dialogs', function () {
  this.timeout(20_000);
  const h = useRestServer();
  const group = async (token: string, body: Record<string, unknown>) => {
    const res = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token, json: { type: 2, ...body } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };

  it('lists the demo dialogs with the caller’s unread counts and names the private one after the opponent', async () => {
    const dialogs = await h.dialogsOf(h.aliceToken);
    const privateDialog = dialogs.find((d) => d.type === 3);
    const demo = dialogs.find((d) => d.type === 2);
    assert.equal(privateDialog?.name, h.bob.fullName);
    assert.equal(privateDialog?.xmpp_room_jid, null);
    assert.equal(demo?.xmpp_room_jid, `${h.server.info.appId}_${demo?._id}@${h.server.info.muc}`);
    assert.ok(demo?.last_message);
    assert.equal(typeof privateDialog?.unread_messages_count, 'number');
    assert.equal((await h.dialogsOf(h.bobToken)).find((d) => d._id === privateDialog?._id)?.name, h.alice.fullName);
  });

  it('creates types 1, 2 and 3 from every occupants_ids form, one private dialog per pair (201 each time)', async () => {
    const form = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, form: `name=Smoke%20group&occupants_ids=${h.bob.id}%2C%20${h.carol.id}&type=2` });
    assert.equal(form.status, 201);
    assert.deepEqual(form.body.occupants_ids, [h.alice.id, h.bob.id, h.carol.id].sort((a, b) => a - b));
    assert.equal(form.body.user_id, h.alice.id);
    assert.equal((await group(h.aliceToken, { name: 'Array', occupants_ids: [h.bob.id] })).occupants_ids.length, 2);
    const bracket = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, form: `type=2&name=B&occupants_ids[]=${h.bob.id},${h.carol.id}` });
    assert.equal(bracket.body.occupants_ids.length, 3);
    const pub = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 1, name: 'Soccer news', photo: '67834' } });
    assert.deepEqual([pub.status, pub.body.type, pub.body.photo, pub.body.is_join_required], [201, 1, '67834', 1]);
    const existing = (await h.dialogsOf(h.aliceToken)).find((d) => d.type === 3 && d.occupants_ids.includes(h.bob.id));
    const again = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 3, occupants_ids: String(h.bob.id) } });
    assert.deepEqual([again.status, again.body._id], [201, existing?._id]);
    const fromBob = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.bobToken, form: `type=3&occupants_ids=${h.alice.id}` });
    assert.equal(fromBob.body._id, existing?._id);
  });

  it('keeps custom data with its class name, and filters by it', async () => {
    const d = await group(h.aliceToken, { name: 'Score', occupants_ids: `${h.bob.id}`, data: { class_name: 'ScoreTable', game_mode_name: 'rainbow dash', expert_mode: '3' } });
    assert.deepEqual(d.data, { class_name: 'ScoreTable', game_mode_name: 'rainbow dash', expert_mode: '3' });
    const found = await h.call<QBDialogList>('GET', '/chat/Dialog.json?data[class_name]=ScoreTable&data[game_mode_name]=rainbow%20dash', { token: h.bobToken });
    assert.deepEqual(found.body.items.map((i) => i._id), [d._id]);
    const gt = await h.call<QBDialogList>('GET', '/chat/Dialog.json?data[expert_mode][gt]=2', { token: h.bobToken });
    assert.deepEqual(gt.body.items.map((i) => i._id), [d._id]);
    const noClass = await h.call('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 2, name: 'x', occupants_ids: [h.bob.id], data: { a: '1' } } });
    assert.equal(noClass.status, 422);
  });

  it('filters, sorts, pages and counts the list with the documented operators', async () => {
    const { token } = await h.newUser('lister');
    const me = (await h.call<{ session: { user_id: number } }>('GET', '/session.json', { token })).body.session.user_id;
    const a = await group(token, { name: 'Alpha', occupants_ids: [h.bob.id] });
    const b = await group(token, { name: 'Beta', occupants_ids: [h.bob.id, h.carol.id] });
    const c = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token, json: { type: 3, occupants_ids: h.carol.id } });
    const ids = async (query: string) => {
      const res = await h.call<QBDialogList>('GET', `/chat/Dialog.json?${query}`, { token });
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      return res.body.items.map((d) => d._id).filter((id) => [a._id, b._id, c.body._id].includes(id));
    };
    assert.deepEqual(await ids('type=2&sort_asc=name'), [a._id, b._id]);
    // A private dialog has no stored name: it sorts last.
    assert.deepEqual(await ids('type[in]=2,3&sort_desc=name'), [b._id, a._id, c.body._id]);
    assert.deepEqual(await ids(`_id=${a._id}`), [a._id]);
    assert.deepEqual((await ids(`_id[ne]=${a._id}&type=2`)).sort(), [b._id].sort());
    assert.deepEqual(await ids('name[ctn]=alp'), [a._id]);
    assert.deepEqual(await ids('name[in]=Alpha,Beta&sort_asc=name'), [a._id, b._id]);
    assert.deepEqual(await ids(`occupants_ids[all]=${me},${h.carol.id}&type=2`), [b._id]);
    assert.deepEqual(await ids('type[nin]=2'), [c.body._id]);
    assert.deepEqual(await ids('created_at[gt]=9999999999'), []);
    assert.equal((await ids(`updated_at[lte]=${Math.floor(Date.now() / 1000) + 60}`)).length, 3);
    assert.deepEqual(await ids('type=2&sort_asc=name&limit=1&skip=1'), [b._id]);
    const count = await h.call('GET', '/chat/Dialog.json?type=2&count=1', { token });
    assert.deepEqual(count.body, { items: { count: 2 } });
    const page = await h.call<QBDialogList>('GET', '/chat/Dialog.json?limit=2', { token });
    assert.deepEqual([page.body.total_entries >= 3, page.body.limit, page.body.skip, page.body.items.length], [true, 2, 0, 2]);
    assert.equal((await h.call<QBDialogList>('GET', '/chat/Dialog.json', { token })).body.limit, 100);
    for (const bad of ['limit=-1', 'limit=abc', 'skip=-5', 'type[zz]=1', 'nonsense=1', 'sort_desc=password', 'created_at[gt]=yesterday', 'name[all]=x']) {
      assert.equal((await h.call('GET', `/chat/Dialog.json?${bad}`, { token })).status, 422, bad);
    }
  });

  it('gets a dialog by id for occupants (and anyone for a public one), 403 for others, 404 for unknown ids', async () => {
    const d = await group(h.aliceToken, { name: 'Private club', occupants_ids: [h.bob.id] });
    assert.equal((await h.call<QBDialog>('GET', `/chat/Dialog/${d._id}.json`, { token: h.bobToken })).body.name, 'Private club');
    assert.equal((await h.call('GET', `/chat/Dialog/${d._id}.json`, { token: h.carolToken })).status, 403);
    assert.equal((await h.call('GET', `/chat/Dialog/${'0'.repeat(24)}.json`, { token: h.bobToken })).status, 404);
    assert.equal((await h.call('GET', '/chat/Dialog/not-an-id.json', { token: h.bobToken })).status, 404);
    const pub = (await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 1, name: 'Open' } })).body;
    assert.equal((await h.call('GET', `/chat/Dialog/${pub._id}.json`, { token: h.carolToken })).status, 200);
  });

  it('updates a group by the documented rules: occupants rename and add, remove only themselves; the owner removes anyone', async () => {
    const d = await group(h.aliceToken, { name: 'Rules', occupants_ids: [h.bob.id] });
    const renamed = await h.call<QBDialog>('PUT', `/chat/Dialog/${d._id}.json`, { token: h.bobToken, json: { name: 'Renamed', photo: '68123', push_all: { occupants_ids: [h.carol.id] } } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.body.name, renamed.body.photo, renamed.body.occupants_ids.length], ['Renamed', '68123', 3]);
    const kick = await h.call('PUT', `/chat/Dialog/${d._id}.json`, { token: h.bobToken, json: { pull_all: { occupants_ids: [h.carol.id] } } });
    assert.equal(kick.status, 403);
    const leave = await h.call<QBDialog>('PUT', `/chat/Dialog/${d._id}.json`, { token: h.carolToken, form: `pull_all[occupants_ids][]=${h.carol.id}` });
    assert.deepEqual(leave.body.occupants_ids, [h.alice.id, h.bob.id].sort((x, y) => x - y));
    const ownerKick = await h.call<QBDialog>('PUT', `/chat/Dialog/${d._id}.json`, { token: h.aliceToken, json: { pull_all: { occupants_ids: [h.bob.id] } } });
    assert.deepEqual(ownerKick.body.occupants_ids, [h.alice.id]);
    assert.equal((await h.call('PUT', `/chat/Dialog/${d._id}.json`, { token: h.bobToken, json: { name: 'x' } })).status, 403, 'no longer an occupant');
    assert.equal((await h.call('PUT', `/chat/Dialog/${d._id}.json`, { token: h.aliceToken, json: { push_all: { occupants_ids: [99999999] } } })).status, 422);
    assert.equal((await h.call('PUT', `/chat/Dialog/${d._id}.json`, { token: h.aliceToken, json: {} })).status, 422);
    const data = await h.call<QBDialog>('PUT', `/chat/Dialog/${d._id}.json`, { token: h.aliceToken, json: { data: { class_name: 'CoolDialog', category: 'friends' } } });
    assert.deepEqual(data.body.data, { class_name: 'CoolDialog', category: 'friends' });
  });

  it('lets only the owner update a public dialog, and nobody rename a private one', async () => {
    const pub = (await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 1, name: 'Owned' } })).body;
    assert.equal((await h.call('PUT', `/chat/Dialog/${pub._id}.json`, { token: h.bobToken, json: { name: 'Mine now' } })).status, 403);
    assert.equal((await h.call<QBDialog>('PUT', `/chat/Dialog/${pub._id}.json`, { token: h.aliceToken, json: { name: 'Still mine' } })).body.name, 'Still mine');
    const priv = (await h.dialogsOf(h.aliceToken)).find((d) => d.type === 3);
    assert.equal((await h.call('PUT', `/chat/Dialog/${priv?._id}.json`, { token: h.aliceToken, json: { name: 'x' } })).status, 422);
  });

  it('deletes for the caller only, or for everyone with force=1 by the owner, answering several ids with the report', async () => {
    const { token: ownerToken } = await h.newUser('owner');
    const d1 = await group(ownerToken, { name: 'D1', occupants_ids: [h.bob.id] });
    const d2 = await group(ownerToken, { name: 'D2', occupants_ids: [h.bob.id] });
    const left = await h.call('DELETE', `/chat/Dialog/${d1._id}.json`, { token: h.bobToken });
    assert.deepEqual([left.status, left.text], [200, '']);
    assert.equal((await h.dialogsOf(h.bobToken)).some((d) => d._id === d1._id), false);
    assert.equal((await h.call('GET', `/chat/Dialog/${d1._id}.json`, { token: ownerToken })).status, 200, 'still there for the owner');
    const notOwner = await h.call('DELETE', `/chat/Dialog/${d2._id}.json`, { token: h.bobToken, form: 'force=1' });
    assert.equal(notOwner.status, 403);
    const missing = '0'.repeat(24);
    const report = await h.call('DELETE', `/chat/Dialog/${d1._id},${d2._id},${missing}.json`, { token: ownerToken, form: 'force=1' });
    assert.equal(report.status, 200);
    assert.deepEqual(report.body, { SuccessfullyDeleted: { ids: [d1._id, d2._id] }, WrongPermissions: { ids: [] }, NotFound: { ids: [missing] } });
    assert.equal((await h.call('GET', `/chat/Dialog/${d2._id}.json`, { token: ownerToken })).status, 404);
    assert.equal((await h.call('DELETE', `/chat/Dialog/${missing}.json`, { token: ownerToken })).status, 404);
  });

  it('hides a deleted private dialog until the next message brings it back', async () => {
    const { user, token } = await h.newUser('ivy');
    const d = (await h.call<QBDialog>('POST', '/chat/Dialog.json', { token, json: { type: 3, occupants_ids: h.bob.id } })).body;
    assert.equal((await h.call('DELETE', `/chat/Dialog/${d._id}.json`, { token })).status, 200);
    const privateOnes = async () => (await h.dialogsOf(token)).filter((x) => x.type === 3).map((x) => x._id);
    assert.deepEqual(await privateOnes(), []);
    await h.call('POST', '/chat/Message.json', { token: h.bobToken, json: { recipient_id: user.id, message: 'still there?' } });
    assert.deepEqual(await privateOnes(), [d._id]);
  });

  it('gets and sets notification settings per occupant (default on)', async () => {
    const d = await group(h.aliceToken, { name: 'Quiet', occupants_ids: [h.bob.id] });
    const path = `/chat/Dialog/${d._id}/notifications.json`;
    assert.deepEqual((await h.call('GET', path, { token: h.bobToken })).body, { notifications: { enabled: 1 } });
    const off = await h.call('PUT', path, { token: h.bobToken, json: { enabled: '0' } });
    assert.deepEqual([off.status, off.body], [200, { notifications: { enabled: 0 } }]);
    assert.deepEqual((await h.call('GET', path, { token: h.bobToken })).body, { notifications: { enabled: 0 } });
    assert.deepEqual((await h.call('GET', path, { token: h.aliceToken })).body, { notifications: { enabled: 1 } });
    assert.equal((await h.call('GET', path, { token: h.carolToken })).status, 403);
    assert.equal((await h.call<ErrorBody>('PUT', path, { token: h.bobToken, json: { enabled: 'maybe' } })).status, 422);
  });
});
