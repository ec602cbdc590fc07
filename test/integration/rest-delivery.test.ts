// REST → XMPP (spec §5.2, §7.8): send_to_chat=1 reaches the online occupants as chat / groupchat with
// the stored ids in extraParams; system=1 reaches the opponent as a SystemNotifications headline whose
// id is the answered _id; without either nothing is pushed.
import * as assert from 'node:assert/strict';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { DemoUser } from '../../src/shared/localServer';
import type { QBDialog, QBMessage } from '../../src/shared/models';
import { readExtraParams } from '../../src/shared/stanza';
import { useRestServer } from './restHarness';
import { userPeer } from '../support/plainXmpp';

const WAIT_MS = 5000;

describe('rest: delivery of REST messages over XMPP', function () {
  this.timeout(20_000);
  const h = useRestServer();
  const clients: Client[] = [];
  const inbox = new Map<number, Element[]>();

  after(async () => {
    for (const c of clients) await c.stop().catch(() => undefined);
  });

  async function online(user: DemoUser): Promise<void> {
    const { xmpp: service, domain, appId } = h.server.info;
    const c = userPeer({ service, domain, appId, userId: user.id, password: user.password, timeout: WAIT_MS });
    clients.push(c);
    const received: Element[] = [];
    inbox.set(user.id, received);
    c.on('stanza', (stanza: Element) => {
      if (stanza.is('message')) received.push(stanza);
    });
    await c.start();
    c.reconnect.stop();
    await c.send(xml('presence'));
    // Stanzas are handled in order: once the ping is answered, the presence has made the resource available.
    await c.iqCaller.request(xml('iq', { type: 'get', to: h.server.info.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
  }

  async function nextMessage(user: DemoUser, match: (m: Element) => boolean): Promise<Element> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = inbox.get(user.id)?.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message for ${user.login}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  before(async () => {
    await online(h.bob);
    await online(h.carol);
  });

  it('delivers send_to_chat=1 in a private dialog as chat from the sender, with message_id, date_sent, dialog_id and custom fields', async () => {
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', {
      token: h.aliceToken,
      json: { recipient_id: h.bob.id, message: 'Allison will take it', send_to_chat: 1, is_pinned: false, markable: 1, attachments: [{ type: 'image', id: '5' }] },
    });
    assert.equal(sent.status, 201);
    const stanza = await nextMessage(h.bob, (m) => m.attrs.id === sent.body._id);
    assert.equal(stanza.attrs.type, 'chat');
    assert.equal(stanza.attrs.from, `${h.alice.id}-${h.server.info.appId}@${h.server.info.domain}`);
    assert.equal(stanza.getChildText('body'), 'Allison will take it');
    assert.ok(stanza.getChild('markable', 'urn:xmpp:chat-markers:0'));
    const { params, attachments } = readExtraParams(stanza);
    assert.deepEqual(params, {
      save_to_history: '1',
      message_id: sent.body._id,
      date_sent: String(sent.body.date_sent),
      dialog_id: sent.body.chat_dialog_id,
      is_pinned: 'false',
    });
    assert.deepEqual(attachments, [{ type: 'image', id: '5' }]);
  });

  it('delivers send_to_chat=1 in a group as groupchat from <room>/<sender> to every online occupant', async () => {
    const group = (await h.call<QBDialog>('POST', '/chat/Dialog.json', { token: h.aliceToken, json: { type: 2, name: 'Push', occupants_ids: [h.bob.id, h.carol.id] } })).body;
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.aliceToken, json: { chat_dialog_id: group._id, message: 'to all', send_to_chat: 1 } });
    for (const user of [h.bob, h.carol]) {
      const stanza = await nextMessage(user, (m) => m.attrs.id === sent.body._id);
      assert.equal(stanza.attrs.type, 'groupchat');
      assert.equal(stanza.attrs.from, `${group.xmpp_room_jid}/${h.alice.id}`);
      assert.equal(readExtraParams(stanza).params.dialog_id, group._id);
    }
  });

  it('pushes nothing without send_to_chat', async () => {
    const quiet = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.aliceToken, json: { recipient_id: h.bob.id, message: 'history only' } });
    const loud = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.aliceToken, json: { recipient_id: h.bob.id, message: 'marker', send_to_chat: 1 } });
    await nextMessage(h.bob, (m) => m.attrs.id === loud.body._id);
    assert.equal(inbox.get(h.bob.id)?.some((m) => m.attrs.id === quiet.body._id), false);
  });

  it('delivers system=1 as a SystemNotifications headline with the answered _id, and does not store it', async () => {
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.aliceToken, json: { recipient_id: h.carol.id, system: 1, param1: 'value1' } });
    assert.equal(sent.status, 201);
    const stanza = await nextMessage(h.carol, (m) => m.attrs.id === sent.body._id);
    assert.equal(stanza.attrs.type, 'headline');
    assert.equal(stanza.attrs.from, `${h.alice.id}-${h.server.info.appId}@${h.server.info.domain}`);
    assert.deepEqual(readExtraParams(stanza).params, { moduleIdentifier: 'SystemNotifications', param1: 'value1' });
    assert.equal((await h.call('GET', `/chat/Message/${sent.body._id}.json`, { token: h.carolToken })).status, 404);
  });
});
