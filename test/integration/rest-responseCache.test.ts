// Answers the router gives again while nothing was written (rest/responseCache.ts): a repeated read
// is the same bytes, and any write, through REST or straight into the store as XMPP makes them, is
// seen by the very next read; nobody gets another user's answer, and a dead session gets no answer.
import * as assert from 'node:assert/strict';
import type { QBDialog, QBDialogList, QBMessage, QBMessageList } from '../../src/shared/models';
import { useRestServer } from './restHarness';

describe('rest: answers given again while no data changed', function () {
  this.timeout(20_000);
  const h = useRestServer();
  let dialogId: string;

  before(async () => {
    const res = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 2, name: 'Cached', occupants_ids: [h.bob.id] } });
    dialogId = res.body._id;
  });

  const dialogOf = async (token: string) => {
    const res = await h.call<QBDialogList>('GET', '/chat/Dialog.json?limit=100', { token });
    assert.equal(res.status, 200, res.text);
    return { text: res.text, dialog: res.body.items.find((d) => d._id === dialogId), expires: res.headers.get('QB-Token-ExpirationDate') };
  };

  it('answers a repeated read with the same bytes, and still sends the token’s expiry', async () => {
    const first = await dialogOf(h.aliceToken);
    const second = await dialogOf(h.aliceToken);
    assert.equal(second.text, first.text);
    assert.ok(second.expires, 'QB-Token-ExpirationDate on every answer');
  });

  it('shows a write made through REST or straight into the store on the next read', async () => {
    await dialogOf(h.aliceToken);
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.bobToken, json: { chat_dialog_id: dialogId, message: 'over REST' } });
    assert.equal(sent.status, 201);
    assert.deepEqual(
      [(await dialogOf(h.aliceToken)).dialog?.last_message, (await dialogOf(h.aliceToken)).dialog?.unread_messages_count],
      ['over REST', 1],
    );
    // As the XMPP side saves a message: through the store, with no HTTP request at all.
    h.server.store.createMessage({ dialogId, senderId: h.bob.id, body: 'over XMPP', dateSent: Math.floor(Date.now() / 1000) });
    const { dialog } = await dialogOf(h.aliceToken);
    assert.deepEqual([dialog?.last_message, dialog?.unread_messages_count], ['over XMPP', 2]);
  });

  it('gives each user their own answer to the same request', async () => {
    const alice = await dialogOf(h.aliceToken);
    const bob = await dialogOf(h.bobToken);
    assert.notEqual(bob.text, alice.text);
    assert.equal(bob.dialog?.unread_messages_count, 0, 'bob sent them');
  });

  it('lists messages as read after a listing marked them, never the earlier answer', async () => {
    const path = `/chat/Message.json?chat_dialog_id=${dialogId}`;
    const first = await h.call<QBMessageList>('GET', path, { token: h.aliceToken });
    assert.ok(first.body.items.every((m) => !m.read_ids.includes(h.alice.id)), 'listed as they were');
    const second = await h.call<QBMessageList>('GET', path, { token: h.aliceToken });
    assert.ok(second.body.items.every((m) => m.read_ids.includes(h.alice.id)), 'now read');
    const third = await h.call<QBMessageList>('GET', path, { token: h.aliceToken });
    assert.equal(third.text, second.text);
  });

  it('answers 401 to a session that ended, though its last read is still kept', async () => {
    const token = await h.userToken(h.alice);
    assert.equal((await h.call('GET', '/chat/Dialog.json?limit=100', { token })).status, 200);
    assert.equal((await h.call('DELETE', '/session.json', { token })).status, 200);
    assert.equal((await h.call('GET', '/chat/Dialog.json?limit=100', { token })).status, 401);
  });
});
