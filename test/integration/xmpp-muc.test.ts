// Group and public dialogs as XEP-0045 rooms (protocol spec §7.9), end to end on a real local server:
// stock @xmpp/client clients over TCP and over WebSocket (RFC 7395), the stanza shapes the official SDK
// sends and parses, and REST changes (pull_all, push_all, force delete, send_to_chat) seen live in rooms.
import * as assert from 'node:assert/strict';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import WebSocket from 'ws';
import type { QBDialog, QBMessage } from '../../src/shared/models';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import { useRestServer } from './restHarness';
import { WAIT_MS } from './xmppHarness';
import { userPeer } from '../support/plainXmpp';

// @xmpp/websocket uses the global WebSocket, which Node 20 lacks; `ws` implements the same EventTarget API.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

interface Peer {
  userId: number;
  jid: string;
  c: Client;
  /** Every stanza received, in order. */
  inbox: Element[];
}

describe('XMPP MUC: group and public dialogs as rooms (integration)', function () {
  this.timeout(20_000);
  const h = useRestServer();
  const clients: Client[] = [];

  after(async () => {
    for (const c of clients) await c.stop().catch(() => undefined);
  });

  const appId = () => h.server.info.appId;
  const userBare = (userId: number) => `${userId}-${appId()}@${h.server.info.domain}`;

  async function connect(user: { id: number; password: string; login: string }, transport: 'tcp' | 'ws'): Promise<Peer> {
    const c = userPeer({
      service: transport === 'tcp' ? h.server.info.xmpp : h.server.info.websocket,
      domain: h.server.info.domain,
      appId: appId(),
      userId: user.id,
      password: user.password,
      timeout: WAIT_MS,
    });
    clients.push(c);
    const inbox: Element[] = [];
    c.on('stanza', (stanza: Element) => inbox.push(stanza));
    const jid = (await c.start()).toString();
    c.reconnect.stop();
    await c.send(xml('presence'));
    // Stanzas are handled in order: once the ping is answered, the presence has made the resource available.
    await c.iqCaller.request(xml('iq', { type: 'get', to: h.server.info.domain }, xml('ping', { xmlns: NS.ping })));
    return { userId: user.id, jid, c, inbox };
  }

  async function waitFor(peer: Peer, match: (s: Element) => boolean, what: string): Promise<Element> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = peer.inbox.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${what}: nothing matching for user ${peer.userId}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits until the server has handled everything the peer sent before (stanzas are handled in order). */
  async function settle(peer: Peer): Promise<void> {
    await peer.c.iqCaller.request(xml('iq', { type: 'get', to: h.server.info.domain }, xml('ping', { xmlns: NS.ping })));
  }

  const roomOf = (dialog: QBDialog) => {
    assert.ok(dialog.xmpp_room_jid);
    return dialog.xmpp_room_jid;
  };

  async function join(peer: Peer, room: string): Promise<Element> {
    const id = `${newObjectId()}:join`;
    await peer.c.send(
      xml('presence', { id, to: `${room}/${peer.userId}` }, xml('x', { xmlns: NS.muc }, xml('history', { maxstanzas: '0' }))),
    );
    return waitFor(peer, (s) => s.is('presence') && s.attrs.id === id, 'join answer');
  }

  async function createDialog(token: string, body: Record<string, unknown>): Promise<QBDialog> {
    const res = await h.call<QBDialog>('POST', '/chat/Dialog.json', { token, json: body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  function groupchat(room: string, id: string, text: string, extra: Record<string, string> = {}): Element {
    return xml(
      'message',
      { to: room, type: 'groupchat', id },
      xml('body', {}, text),
      xml('markable', { xmlns: NS.markers }),
      xml('extraParams', { xmlns: NS.client }, ...Object.entries(extra).map(([k, v]) => xml(k, {}, v))),
    );
  }

  const fromOccupant = (room: string, userId: number, type?: string) => (s: Element) =>
    s.is('presence') && s.attrs.from === `${room}/${userId}` && s.attrs.type === type && !!s.getChild('x', NS.mucUser);

  let alice: Peer; // TCP, owner of both dialogs
  let bob: Peer; // WebSocket
  let carol: Peer; // TCP, an occupant that does not join
  let dave: { id: number; login: string; password: string; token: string }; // not an occupant of the group
  let group: QBDialog;
  let publicDialog: QBDialog;

  before(async () => {
    const created = await h.newUser('dave-muc');
    dave = { id: created.user.id, login: created.user.login ?? 'dave-muc', password: created.password, token: created.token };
    group = await createDialog(h.aliceToken, { type: 2, name: 'Rooms', occupants_ids: [h.bob.id, h.carol.id] });
    publicDialog = await createDialog(h.aliceToken, { type: 1, name: 'Town square' });
    alice = await connect(h.alice, 'tcp');
    bob = await connect(h.bob, 'ws');
    carol = await connect(h.carol, 'tcp');
  });

  it('answers a join with the id echoed, muc#user as the first <x> and status 110 first (TCP)', async () => {
    const room = roomOf(group);
    const answer = await join(alice, room);
    assert.equal(answer.attrs.from, `${room}/${h.alice.id}`);
    assert.equal(answer.attrs.to, alice.jid);
    assert.equal(answer.attrs.type, undefined);
    const [x] = answer.getChildElements();
    assert.equal(x.name, 'x');
    assert.equal(x.attrs.xmlns, NS.mucUser);
    assert.equal(x.getChildren('status')[0]?.attrs.code, '110');
    assert.deepEqual(x.getChild('item')?.attrs, { affiliation: 'owner', role: 'moderator' });
  });

  it('sends the joiner the present occupants and the others the joiner, without status (WebSocket)', async () => {
    const room = roomOf(group);
    const answer = await join(bob, room);
    assert.equal(answer.getChild('x', NS.mucUser)?.getChildren('status')[0]?.attrs.code, '110');
    const aliceSeen = await waitFor(bob, fromOccupant(room, h.alice.id), 'alice as occupant');
    assert.equal(aliceSeen.getChild('x', NS.mucUser)?.getChild('status'), undefined);
    assert.ok(bob.inbox.indexOf(aliceSeen) < bob.inbox.indexOf(answer), 'occupants come before the self-presence');
    const bobSeen = await waitFor(alice, fromOccupant(room, h.bob.id), 'bob joined');
    assert.equal(bobSeen.getChild('x', NS.mucUser)?.getChild('status'), undefined);
    assert.equal(bobSeen.attrs.to, alice.jid);
  });

  it('fans groupchat out to every joined resource, the sender included, and stores it with the injected ids', async () => {
    const room = roomOf(group);
    const id = newObjectId();
    await alice.c.send(groupchat(room, id, 'hello room', { save_to_history: '1', custom_param: 'cp1' }));
    for (const peer of [alice, bob]) {
      const copy = await waitFor(peer, (s) => s.is('message') && s.attrs.id === id, 'groupchat copy');
      assert.equal(copy.attrs.type, 'groupchat');
      assert.equal(copy.attrs.from, `${room}/${h.alice.id}`);
      assert.equal(copy.attrs.to, peer.jid);
      assert.equal(copy.getChildText('body'), 'hello room');
      assert.ok(copy.getChild('markable', NS.markers));
      const { params } = readExtraParams(copy);
      assert.equal(params.message_id, id);
      assert.equal(params.dialog_id, group._id);
      assert.equal(params.custom_param, 'cp1');
      assert.equal(params.save_to_history, '1');
      assert.ok(Math.abs(Number(params.date_sent) - Date.now() / 1000) < 10);
    }
    const listed = await h.call<{ items: QBMessage[] }>('GET', `/chat/Message.json?chat_dialog_id=${group._id}`, { token: h.bobToken });
    assert.equal(listed.status, 200, listed.text);
    const stored = listed.body.items.find((m) => m._id === id);
    assert.ok(stored, 'the message is in the history');
    assert.equal(stored.message, 'hello room');
    assert.equal(stored.sender_id, h.alice.id);
    assert.equal(stored.custom_param, 'cp1');
  });

  it('is_join_required=0: an online occupant that has not joined receives groupchat and may send it', async () => {
    const room = roomOf(group);
    assert.equal(group.is_join_required, 0);
    const heard = await waitFor(carol, (s) => s.is('message') && s.getChildText('body') === 'hello room', 'not joined, still delivered');
    assert.equal(heard.attrs.from, `${room}/${h.alice.id}`);
    const id = newObjectId();
    await carol.c.send(groupchat(room, id, 'from outside the room'));
    for (const peer of [alice, bob, carol]) {
      const copy = await waitFor(peer, (s) => s.is('message') && s.attrs.id === id, 'message without join');
      assert.equal(copy.attrs.from, `${room}/${h.carol.id}`);
      assert.equal(readExtraParams(copy).params.message_id, undefined, 'not stored without save_to_history');
    }
  });

  it('fans chat states out as groupchat and never stores them', async () => {
    const room = roomOf(group);
    await bob.c.send(xml('message', { to: room, type: 'groupchat' }, xml('composing', { xmlns: NS.chatStates })));
    const typing = await waitFor(alice, (s) => s.is('message') && !!s.getChild('composing', NS.chatStates), 'typing');
    assert.equal(typing.attrs.from, `${room}/${h.bob.id}`);
    assert.equal(typing.attrs.type, 'groupchat');
    const count = await h.call<{ items: QBMessage[] }>('GET', `/chat/Message.json?chat_dialog_id=${group._id}`, { token: h.bobToken });
    assert.equal(count.body.items.length, 1);
  });

  it('lists the joined occupants with disco#items, and describes the room with disco#info', async () => {
    const room = roomOf(group);
    const items = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoItems }), room);
    assert.ok(items.is('query', NS.discoItems));
    assert.deepEqual(
      items.getChildren('item').map((i) => i.attrs.jid),
      [h.alice.id, h.bob.id].sort((a, b) => a - b).map((id) => `${room}/${id}`),
    );
    const info = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoInfo }), room);
    assert.equal(info.getChild('identity')?.attrs.category, 'conference');
    assert.ok(info.getChildren('feature').some((f) => f.attrs.var === NS.muc));
  });

  it('refuses a non-occupant joining a private group with 403 and an unknown room with 404, both with the muc <x/> first', async () => {
    const davePeer = await connect(dave, 'tcp');
    const refused = await join(davePeer, roomOf(group));
    assert.equal(refused.attrs.type, 'error');
    assert.equal(refused.getChildElements()[0]?.attrs.xmlns, NS.muc);
    const error = refused.getChild('error');
    assert.equal(error?.attrs.code, '403');
    assert.ok(error?.getChild('forbidden', NS.stanzas));
    assert.ok(error?.getChildText('text'));
    const unknown = await join(davePeer, `${appId()}_${newObjectId()}@${h.server.info.muc}`);
    assert.equal(unknown.attrs.type, 'error');
    assert.equal(unknown.getChildElements()[0]?.attrs.xmlns, NS.muc);
    assert.equal(unknown.getChild('error')?.attrs.code, '404');
    assert.ok(unknown.getChild('error')?.getChild('item-not-found', NS.stanzas));
    // Neither a refused joiner nor a non-occupant may speak in the room.
    await davePeer.c.send(groupchat(roomOf(group), 'dave-1', 'let me in'));
    const bounced = await waitFor(davePeer, (s) => s.is('message') && s.attrs.id === 'dave-1', 'bounce');
    assert.equal(bounced.attrs.type, 'error');
    assert.ok(bounced.getChild('error')?.getChild('not-acceptable', NS.stanzas));
    await davePeer.c.stop();
  });

  it('lets anyone join a public dialog, where only joined resources hear the room', async () => {
    const room = roomOf(publicDialog);
    assert.equal(publicDialog.is_join_required, 1);
    const davePeer = await connect(dave, 'ws');
    const answer = await join(davePeer, room);
    assert.equal(answer.getChild('x', NS.mucUser)?.getChildren('status')[0]?.attrs.code, '110');
    assert.equal(answer.getChild('x', NS.mucUser)?.getChild('item')?.attrs.affiliation, 'none');
    await join(alice, room);
    const id = newObjectId();
    await davePeer.c.send(groupchat(room, id, 'hi square', { save_to_history: '1' }));
    await waitFor(alice, (s) => s.attrs.id === id, 'alice hears the square');
    await waitFor(davePeer, (s) => s.attrs.id === id, 'dave hears himself');
    // Bob is online but has not joined: the public room requires joining, for hearing and for speaking.
    await bob.c.send(groupchat(room, 'bob-square', 'unjoined'));
    const bounced = await waitFor(bob, (s) => s.attrs.id === 'bob-square', 'bounce');
    assert.equal(bounced.attrs.type, 'error');
    assert.equal(bob.inbox.some((s) => s.attrs.id === id), false);

    // REST send_to_chat reaches the joined resources only, too.
    const sent = await h.call<QBMessage>('POST', '/chat/Message.json', { token: h.aliceToken, json: { chat_dialog_id: publicDialog._id, message: 'via REST', send_to_chat: 1 } });
    assert.equal(sent.status, 201, sent.text);
    for (const peer of [alice, davePeer]) {
      const copy = await waitFor(peer, (s) => s.attrs.id === sent.body._id, 'REST groupchat');
      assert.equal(copy.attrs.type, 'groupchat');
      assert.equal(copy.attrs.from, `${room}/${h.alice.id}`);
      assert.equal(readExtraParams(copy).params.message_id, sent.body._id);
    }
    await settle(alice);
    assert.equal(bob.inbox.some((s) => s.attrs.id === sent.body._id), false);
    await davePeer.c.stop();
  });

  it('fans a headline to a room out to the online occupants, with from = the sender', async () => {
    const room = roomOf(group);
    await bob.c.send(
      xml('message', { to: room, type: 'headline', id: 'note-1' }, xml('body', {}, 'renamed'), xml('extraParams', { xmlns: NS.client }, xml('moduleIdentifier', {}, 'SystemNotifications'))),
    );
    for (const peer of [alice, carol]) {
      const note = await waitFor(peer, (s) => s.attrs.id === 'note-1', 'headline');
      assert.equal(note.attrs.type, 'headline');
      assert.equal(note.attrs.from, bob.jid);
    }
    await settle(bob);
    assert.equal(bob.inbox.some((s) => s.attrs.id === 'note-1'), false, 'not echoed to the sending resource');
  });

  it('kicks an occupant removed by pull_all with status 301 and the remover as actor; push_all lets them join again', async () => {
    const room = roomOf(group);
    const res = await h.call<QBDialog>('PUT', `/chat/Dialog/${group._id}.json`, { token: h.aliceToken, json: { pull_all: { occupants_ids: [h.bob.id] } } });
    assert.equal(res.status, 200, res.text);
    const kicked = await waitFor(bob, fromOccupant(room, h.bob.id, 'unavailable'), 'kick');
    const x = kicked.getChild('x', NS.mucUser);
    assert.equal(x?.getChildren('status')[0]?.attrs.code, '301');
    assert.equal(x?.getChild('item')?.getChild('actor')?.attrs.jid, userBare(h.alice.id));
    const left = await waitFor(alice, fromOccupant(room, h.bob.id, 'unavailable'), 'bob left');
    assert.equal(left.getChild('x', NS.mucUser)?.getChild('status'), undefined, 'others see a leave, not a kick');

    const again = await join(bob, room);
    assert.equal(again.attrs.type, 'error');
    assert.equal(again.getChild('error')?.attrs.code, '403');

    const pushed = await h.call<QBDialog>('PUT', `/chat/Dialog/${group._id}.json`, { token: h.aliceToken, json: { push_all: { occupants_ids: [h.bob.id] } } });
    assert.equal(pushed.status, 200, pushed.text);
    const rejoined = await join(bob, room);
    assert.equal(rejoined.getChild('x', NS.mucUser)?.getChildren('status')[0]?.attrs.code, '110');
  });

  it('answers a leave with status 110 and shows the others an unavailable presence without status', async () => {
    const room = roomOf(group);
    const before = alice.inbox.length;
    await bob.c.send(xml('presence', { type: 'unavailable', to: `${room}/${h.bob.id}` }));
    const self = await waitFor(bob, (s) => fromOccupant(room, h.bob.id, 'unavailable')(s) && s.getChild('x', NS.mucUser)?.getChild('status')?.attrs.code === '110', 'leave');
    assert.ok(self);
    const left = await waitFor(alice, (s) => alice.inbox.indexOf(s) >= before && fromOccupant(room, h.bob.id, 'unavailable')(s), 'bob left');
    assert.equal(left.getChild('x', NS.mucUser)?.getChild('status'), undefined);
    const items = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoItems }), room);
    assert.deepEqual(items.getChildren('item').map((i) => i.attrs.jid), [`${room}/${h.alice.id}`]);
  });

  it('takes a resource that goes offline out of its rooms', async () => {
    const room = roomOf(group);
    await join(carol, room);
    await waitFor(alice, fromOccupant(room, h.carol.id), 'carol joined');
    await carol.c.stop();
    await waitFor(alice, fromOccupant(room, h.carol.id, 'unavailable'), 'carol offline');
    const items = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoItems }), room);
    assert.deepEqual(items.getChildren('item').map((i) => i.attrs.jid), [`${room}/${h.alice.id}`]);
  });

  it('destroys the room when the dialog is deleted for everyone', async () => {
    const doomed = await createDialog(h.aliceToken, { type: 2, name: 'Doomed', occupants_ids: [h.bob.id] });
    const room = roomOf(doomed);
    await join(alice, room);
    await join(bob, room);
    const res = await h.call('DELETE', `/chat/Dialog/${doomed._id}.json`, { token: h.aliceToken, form: 'force=1' });
    assert.equal(res.status, 200, res.text);
    for (const peer of [alice, bob]) {
      const gone = await waitFor(peer, (s) => fromOccupant(room, peer.userId, 'unavailable')(s) && !!s.getChild('x', NS.mucUser)?.getChild('destroy'), 'destroyed');
      assert.ok(gone);
    }
    const after = await join(bob, room);
    assert.equal(after.getChild('error')?.attrs.code, '404');
  });
});
