// Messages (spec §5; create / list / get / update / delete / unread references).
import * as assert from 'node:assert/strict';
import type { QBDialog, QBMessage, QBMessageList } from '../../src/shared/models';
import { useRestServer, type ErrorBody } from './restHarness';

type Unread = { total: number } & Record<string, number>;

describe('rest: messages', function () {
  this.timeout(20_000);
  const h = useRestServer();
  const newGroup = async (token: string, name: string, occupants: number[]) =>
    (await h.call<QBDialog>('POST', '/chat/Dialog.json', { token, json: { type: 2, name, occupants_ids: occupants } })).body._id;
  const send = async (token: string, body: Record<string, unknown>) => {
    const res = await h.call<QBMessage>('POST', '/chat/Message.json', { token, json: body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const list = async (token: string, query: string) => {
    const res = await h.call<QBMessageList>('GET', `/chat/Message.json?${query}`, { token });
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    return res.body.items;
  };
  const unreadOf = async (token: string, dialogId: string) => (await h.dialogsOf(token)).find((d) => d._id === dialogId)?.unread_messages_count;

  it('creates the documented message (attachments map, markable, custom fields at top level) and counts it unread for others', async () => {
    const dialogId = await newGroup(h.bobToken, 'Counting', [h.alice.id, h.carol.id]);
    const sent = await send(h.bobToken, {
      chat_dialog_id: dialogId,
      message: 'look at this photos',
      markable: 1,
      attachments: { '0': { type: 'image', id: '47863' }, '1': { type: 'image', id: '47864' } },
      age: 25,
      is_pinned: false,
    });
    assert.deepEqual(sent.attachments, [{ type: 'image', id: '47863' }, { type: 'image', id: '47864' }]);
    assert.deepEqual([sent.sender_id, sent.recipient_id, sent.markable, sent.read, sent.age, sent.is_pinned], [h.bob.id, 0, 1, 0, '25', 'false']);
    assert.deepEqual([sent.read_ids, sent.delivered_ids], [[h.bob.id], [h.bob.id]]);
    const dialog = (await h.dialogsOf(h.aliceToken)).find((d) => d._id === dialogId);
    assert.deepEqual([dialog?.last_message, dialog?.last_message_id, dialog?.last_message_user_id, dialog?.unread_messages_count], ['look at this photos', sent._id, h.bob.id, 1]);
    assert.equal(await unreadOf(h.bobToken, dialogId), 0);
    assert.equal((await list(h.aliceToken, `chat_dialog_id=${dialogId}&mark_as_read=0`)).length, 1);
    assert.equal(await unreadOf(h.aliceToken, dialogId), 1, 'mark_as_read=0 leaves it unread');
    const listed = await h.call<QBMessageList>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: h.aliceToken });
    assert.deepEqual([listed.body.skip, listed.body.limit], [0, 100]);
    assert.equal(await unreadOf(h.aliceToken, dialogId), 0, 'listing marks read');
    assert.equal(await unreadOf(h.carolToken, dialogId), 1);
    assert.deepEqual((await list(h.bobToken, `chat_dialog_id=${dialogId}`))[0].read_ids, [h.alice.id, h.bob.id].sort((a, b) => a - b));
  });

  it('writes to a user by recipient_id (form body too), opening the private dialog', async () => {
    const { user, token } = await h.newUser('jack');
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.carolToken, form: `recipient_id=${user.id}&message=hi%20jack&attachments[0][type]=image&attachments[0][id]=1` });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.recipient_id, user.id);
    assert.deepEqual(sent.body.attachments, [{ type: 'image', id: '1' }]);
    const dialog = (await h.dialogsOf(token)).find((d) => d._id === sent.body.chat_dialog_id);
    assert.deepEqual([dialog?.type, dialog?.name, dialog?.last_message, dialog?.unread_messages_count], [3, h.carol.fullName, 'hi jack', 1]);
  });

  it('lists ascending by date_sent with _id breaking ties, and every documented filter, sort and count', async () => {
    const dialogId = await newGroup(h.aliceToken, 'History', [h.bob.id]);
    const at = (date: number, text: string, who: string, extra: Record<string, unknown> = {}) =>
      send(who === 'alice' ? h.aliceToken : h.bobToken, { chat_dialog_id: dialogId, message: text, date_sent: date, ...extra });
    const m1 = await at(1000, 'first party', 'alice', { mood: 'happy' });
    const m2 = await at(2000, 'second', 'bob', { attachments: [{ type: 'video', id: '9' }] });
    const m3 = await at(2000, 'third party', 'alice', { mood: 'sad', age: '30' });
    const m4 = await at(500, 'late arrival', 'bob');
    const ids = async (query: string) => (await list(h.aliceToken, `chat_dialog_id=${dialogId}&mark_as_read=0&${query}`)).map((m) => m._id);
    assert.deepEqual(await ids(''), [m4._id, m1._id, m2._id, m3._id]);
    assert.deepEqual(await ids('sort_desc=date_sent'), [m3._id, m2._id, m1._id, m4._id]);
    assert.deepEqual(await ids('date_sent[gt]=1000'), [m2._id, m3._id]);
    assert.deepEqual(await ids('date_sent[gte]=1000&date_sent[lt]=2000'), [m1._id]);
    assert.deepEqual(await ids('date_sent[lte]=1000'), [m4._id, m1._id]);
    assert.deepEqual(await ids(`sender_id=${h.bob.id}`), [m4._id, m2._id]);
    assert.deepEqual(await ids(`sender_id[ne]=${h.bob.id}`), [m1._id, m3._id]);
    assert.deepEqual(await ids(`sender_id[in]=${h.bob.id},1`), [m4._id, m2._id]);
    assert.deepEqual(await ids(`sender_id[or]=${h.bob.id}`), [m4._id, m2._id]);
    assert.deepEqual(await ids('date_sent[nin]=500,2000'), [m1._id]);
    assert.deepEqual(await ids('message[ctn]=PARTY'), [m1._id, m3._id]);
    assert.deepEqual(await ids(`_id=${m2._id}`), [m2._id]);
    assert.deepEqual(await ids(`_id[ne]=${m2._id}&date_sent=2000`), [m3._id]);
    assert.deepEqual(await ids('attachments.type=video'), [m2._id]);
    assert.deepEqual(await ids('mood=sad'), [m3._id], 'custom field');
    assert.deepEqual(await ids('age[gt]=25'), [m3._id], 'custom field compared as a number');
    assert.deepEqual(await ids(`updated_at[gt]=${Math.floor(Date.now() / 1000) + 100}`), []);
    assert.deepEqual(await ids('limit=2&skip=1'), [m1._id, m2._id]);
    const count = await h.call('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&count=1&sender_id=${h.bob.id}`, { token: h.aliceToken });
    assert.deepEqual(count.body, { items: { count: 2 } });
    for (const bad of ['limit=0', 'skip=-1', 'limit=1.5', 'date_sent[gt]=soon', 'sender_id[zz]=1', 'message[all]=x', 'sort_desc=nope', '_id=xyz', 'bad%20key=1']) {
      assert.equal((await h.call('GET', `/chat/Message.json?chat_dialog_id=${dialogId}&${bad}`, { token: h.aliceToken })).status, 422, bad);
    }
    assert.equal(await unreadOf(h.aliceToken, dialogId), 2, 'rejected and mark_as_read=0 lists marked nothing');
  });

  it('gets one message by id for those who may read it', async () => {
    const dialogId = await newGroup(h.aliceToken, 'One', [h.bob.id]);
    const m = await send(h.aliceToken, { chat_dialog_id: dialogId, message: 'just me' });
    assert.equal((await h.call<QBMessage>('GET', `/chat/Message/${m._id}.json`, { token: h.bobToken })).body.message, 'just me');
    assert.equal((await h.call('GET', `/chat/Message/${m._id}.json`, { token: h.carolToken })).status, 403);
    assert.equal((await h.call('GET', `/chat/Message/${'0'.repeat(24)}.json`, { token: h.bobToken })).status, 404);
  });

  it('marks read / delivered / unread for one id, several ids, the whole dialog and with PATCH, answering 200 with an empty body', async () => {
    const dialogId = await newGroup(h.bobToken, 'Marks', [h.alice.id]);
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) ids.push((await send(h.bobToken, { chat_dialog_id: dialogId, message: text }))._id);
    const unread = async () => (await h.call<Unread>('GET', `/chat/Message/unread.json?chat_dialog_ids=${dialogId}`, { token: h.aliceToken })).body;
    assert.equal((await unread())[dialogId], 3);
    const delivered = await h.call('PUT', `/chat/Message/${ids[0]}.json`, { token: h.aliceToken, json: { delivered: '1', chat_dialog_id: dialogId } });
    assert.deepEqual([delivered.status, delivered.text], [200, '']);
    const [one] = await list(h.aliceToken, `chat_dialog_id=${dialogId}&_id=${ids[0]}&mark_as_read=0`);
    assert.deepEqual([one.delivered_ids.includes(h.alice.id), one.read_ids.includes(h.alice.id)], [true, false]);
    assert.equal((await h.call('PUT', `/chat/Message/${ids[0]},${ids[1]}.json`, { token: h.aliceToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 200);
    assert.equal((await unread())[dialogId], 1);
    assert.equal((await h.call('PUT', `/chat/Message/${ids[0]}.json`, { token: h.aliceToken, form: `chat_dialog_id=${dialogId}&read=0` })).status, 200);
    assert.equal((await unread())[dialogId], 2, 'read=0 makes it unread again');
    assert.equal((await h.call('PUT', '/chat/Message.json', { token: h.aliceToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 200);
    assert.equal((await unread())[dialogId], 0);
    const more = await send(h.bobToken, { chat_dialog_id: dialogId, message: 'four' });
    assert.equal((await h.call('PATCH', '/chat/Message/delivered.json', { token: h.aliceToken, json: { chat_dialog_ids: [dialogId] } })).status, 200);
    assert.ok((await list(h.aliceToken, `chat_dialog_id=${dialogId}&_id=${more._id}&mark_as_read=0`))[0].delivered_ids.includes(h.alice.id));
    assert.equal((await h.call('PATCH', '/chat/Message/read.json', { token: h.aliceToken, form: `chat_dialog_ids=${dialogId}` })).status, 200);
    assert.equal((await unread())[dialogId], 0);
    assert.equal((await h.call('PUT', `/chat/Message/${ids[0]}.json`, { token: h.carolToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 403);
    assert.equal((await h.call('PUT', `/chat/Message/${ids[0]}.json`, { token: h.aliceToken, form: `chat_dialog_id=${'0'.repeat(24)}&read=1` })).status, 404);
    assert.equal((await h.call('PUT', `/chat/Message/${'0'.repeat(24)}.json`, { token: h.aliceToken, form: `chat_dialog_id=${dialogId}&read=1` })).status, 404);
    assert.equal((await h.call('PUT', '/chat/Message.json', { token: h.aliceToken, form: `chat_dialog_id=${dialogId}` })).status, 422);
  });

  it('edits a message’s text for its sender only, moving last_message', async () => {
    const dialogId = await newGroup(h.aliceToken, 'Edits', [h.bob.id]);
    const sent = await send(h.aliceToken, { chat_dialog_id: dialogId, message: 'teh typo' });
    assert.equal((await h.call('PUT', `/chat/Message/${sent._id}.json`, { token: h.bobToken, json: { chat_dialog_id: dialogId, message: 'hijacked' } })).status, 403);
    assert.equal((await h.call('PUT', `/chat/Message/${sent._id}.json`, { token: h.aliceToken, json: { chat_dialog_id: dialogId, message: 'the typo' } })).status, 200);
    assert.equal((await list(h.bobToken, `chat_dialog_id=${dialogId}&_id=${sent._id}&mark_as_read=0`))[0].message, 'the typo');
    assert.equal((await h.dialogsOf(h.bobToken)).find((d) => d._id === dialogId)?.last_message, 'the typo');
  });

  it('deletes for the caller only, or with force=1 for everyone, fixing last_message and unread counts', async () => {
    const dialogId = await newGroup(h.aliceToken, 'Deletes', [h.bob.id]);
    const m1 = await send(h.aliceToken, { chat_dialog_id: dialogId, message: 'keep', date_sent: 100 });
    const m2 = await send(h.aliceToken, { chat_dialog_id: dialogId, message: 'oops', date_sent: 200 });
    assert.equal(await unreadOf(h.bobToken, dialogId), 2);
    const mine = await h.call('DELETE', `/chat/Message/${m1._id}.json`, { token: h.bobToken });
    assert.deepEqual([mine.status, mine.text], [200, '']);
    assert.deepEqual((await list(h.bobToken, `chat_dialog_id=${dialogId}&mark_as_read=0`)).map((m) => m._id), [m2._id]);
    assert.equal((await list(h.aliceToken, `chat_dialog_id=${dialogId}`)).length, 2, 'others still see it');
    assert.equal(await unreadOf(h.bobToken, dialogId), 1, 'a hidden message no longer counts');
    assert.equal((await h.call('DELETE', `/chat/Message/${m2._id}.json`, { token: h.bobToken, form: 'force=1' })).status, 403, 'not the sender');
    assert.equal((await h.call('DELETE', `/chat/Message/${m2._id}.json`, { token: h.aliceToken, form: 'force=1' })).status, 200);
    const dialog = (await h.dialogsOf(h.bobToken)).find((d) => d._id === dialogId);
    assert.deepEqual([dialog?.last_message, dialog?.last_message_id, dialog?.unread_messages_count], ['keep', m1._id, 0]);
    const missing = '0'.repeat(24);
    const report = await h.call('DELETE', `/chat/Message/${m1._id},${missing}.json`, { token: h.aliceToken, form: 'force=1' });
    assert.deepEqual(report.body, { SuccessfullyDeleted: { ids: [m1._id] }, WrongPermissions: { ids: [] }, NotFound: { ids: [missing] } });
    const empty = (await h.dialogsOf(h.aliceToken)).find((d) => d._id === dialogId);
    assert.deepEqual([empty?.last_message, empty?.last_message_id], [null, null]);
    assert.equal((await h.call('DELETE', `/chat/Message/${missing}.json`, { token: h.aliceToken })).status, 404);
  });

  it('counts unread per dialog and in total', async () => {
    const { user, token } = await h.newUser('kim');
    const d1 = await newGroup(h.aliceToken, 'U1', [user.id]);
    const d2 = await newGroup(h.aliceToken, 'U2', [user.id]);
    await send(h.aliceToken, { chat_dialog_id: d1, message: 'a' });
    await send(h.aliceToken, { chat_dialog_id: d2, message: 'b' });
    await send(h.aliceToken, { chat_dialog_id: d2, message: 'c' });
    const all = await h.call<Unread>('GET', '/chat/Message/unread.json', { token });
    assert.deepEqual(all.body, { total: 3 });
    const some = await h.call<Unread>('GET', `/chat/Message/unread.json?chat_dialog_ids=${d1}%2C${d2}`, { token });
    assert.deepEqual(some.body, { total: 3, [d1]: 1, [d2]: 2 });
    assert.equal((await h.call<ErrorBody>('GET', `/chat/Message/unread.json?chat_dialog_ids=${d1},nope`, { token })).status, 422);
  });

  it('refuses system=1 in a group dialog, and creates nothing for a rejected message', async () => {
    const dialogId = await newGroup(h.aliceToken, 'Sys', [h.bob.id]);
    assert.equal((await h.call('POST', '/chat/Message.json', { token: h.aliceToken, json: { chat_dialog_id: dialogId, system: 1, message: 'x' } })).status, 422);
    const { user } = await h.newUser('lea');
    const before = await h.dialogsOf(h.aliceToken);
    const bad = await h.call('POST', '/chat/Message.json', { token: h.aliceToken, json: { recipient_id: user.id, message: 'x', attachments: [{ id: 'no type' }] } });
    assert.equal(bad.status, 422);
    assert.deepEqual(await h.dialogsOf(h.aliceToken), before);
  });
});
