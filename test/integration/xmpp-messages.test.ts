// The message features of the XMPP server end to end: carbons, offline storage, corrections, AMP,
// system notification headlines, privacy lists and in-band bytestreams, with stock @xmpp/client
// clients over TCP and over WebSocket (RFC 7395; `ws` stands in for Node 20's missing global
// WebSocket), against the whole local server so REST sees what XMPP did.
import * as assert from 'node:assert/strict';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import WebSocket from 'ws';
import type { DemoUser } from '../../src/shared/localServer';
import type { QBMessage } from '../../src/shared/models';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import { useRestServer } from './restHarness';
import { WAIT_MS, within } from './xmppHarness';
import { userPeer } from '../support/plainXmpp';

const NS_PRIVACY = 'jabber:iq:privacy';
const NS_AMP = 'http://jabber.org/protocol/amp';
const NS_IBB = 'http://jabber.org/protocol/ibb';

// @xmpp/websocket opens `new WebSocket(url, ['xmpp'])`, a global Node 20 does not have.
const globals = globalThis as { WebSocket?: unknown };
globals.WebSocket ??= WebSocket;

interface Online {
  c: Client;
  jid: string;
  /** Every stanza this client received, in order. */
  received: Element[];
}

describe('XMPP message features (integration)', function () {
  this.timeout(20000);
  const h = useRestServer();
  const clients: Client[] = [];

  after(async () => {
    for (const c of clients) await within(c.stop(), 'client stop').catch(() => undefined);
  });

  const domain = () => h.server.info.domain;
  const bare = (user: DemoUser) => `${user.id}-${h.server.info.appId}@${domain()}`;

  /** Connects (TCP, or WebSocket with `ws`), sends the initial presence unless told not to, and waits until the server has handled it. */
  async function connect(user: DemoUser, options: { resource?: string; ws?: boolean; presence?: boolean } = {}): Promise<Online> {
    const service = options.ws ? `${h.server.info.rest.replace(/^http/, 'ws').replace(/\/$/, '')}/ws` : h.server.info.xmpp.replace(/^xmpp:\/\/localhost/, 'xmpp://127.0.0.1');
    const c = userPeer({ service, domain: domain(), appId: h.server.info.appId, userId: user.id, password: user.password, resource: options.resource, timeout: WAIT_MS });
    clients.push(c);
    const received: Element[] = [];
    c.on('stanza', (stanza: Element) => received.push(stanza));
    const jid = (await within(c.start(), `${user.login} start`)).toString();
    c.reconnect.stop();
    if (options.presence !== false) {
      await c.send(xml('presence'));
      // The server handles one stream's stanzas in order: once the ping is answered, the presence was.
      await c.iqCaller.get(xml('ping', { xmlns: NS.ping }), domain());
    }
    return { c, jid, received };
  }

  function next(o: Online, match: (stanza: Element) => boolean, what = 'stanza'): Promise<Element> {
    const seen = o.received.find(match);
    if (seen) return Promise.resolve(seen);
    return within(
      new Promise<Element>((resolve) => {
        const listener = (stanza: Element) => {
          if (!match(stanza)) return;
          o.c.removeListener('stanza', listener);
          resolve(stanza);
        };
        o.c.on('stanza', listener);
      }),
      what,
    );
  }

  /** A round trip on `o`'s stream, after which everything routed to it before has arrived. */
  const settle = (o: Online) => o.c.iqCaller.get(xml('ping', { xmlns: NS.ping }), domain());

  const chat = (to: string, id: string, body: string, ...children: Element[]) =>
    xml('message', { to, type: 'chat', id }, xml('body', {}, body), ...children);
  const saveToHistory = () => xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'));

  it('copies a sent chat message as <sent> carbons to the other carbons-enabled resources only', async () => {
    const sender = await connect(h.alice, { resource: 'phone' });
    const enabled = await connect(h.alice, { resource: 'desktop', ws: true });
    const notEnabled = await connect(h.alice, { resource: 'tablet' });
    const bob = await connect(h.bob);
    await sender.c.iqCaller.set(xml('enable', { xmlns: NS.carbons }));
    await enabled.c.iqCaller.set(xml('enable', { xmlns: NS.carbons }));

    const id = newObjectId();
    await sender.c.send(chat(bare(h.bob), id, 'carbon me', saveToHistory()));
    const carbon = await next(enabled, (s) => s.getChild('sent', NS.carbons) !== undefined, 'carbon');
    assert.equal(carbon.attrs.from, bare(h.alice));
    const forwarded = carbon.getChild('sent', NS.carbons)?.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('message');
    assert.equal(forwarded?.attrs.id, id);
    assert.equal(forwarded?.attrs.from, sender.jid);
    assert.equal(forwarded?.getChildText('body'), 'carbon me');
    assert.equal(readExtraParams(forwarded as Element).params.message_id, id);
    const original = await next(bob, (s) => s.attrs.id === id);
    assert.equal(original.getChild('received', NS.carbons), undefined);

    // <private/> keeps a message out of carbons.
    await sender.c.send(chat(bare(h.bob), 'private-1', 'only for bob', xml('private', { xmlns: NS.carbons })));
    await next(bob, (s) => s.attrs.id === 'private-1');
    await Promise.all([settle(enabled), settle(notEnabled), settle(sender), settle(bob)]);
    const carbonsOf = (o: Online) => o.received.filter((s) => s.getChild('sent', NS.carbons) || s.getChild('received', NS.carbons));
    assert.equal(carbonsOf(enabled).length, 1);
    assert.equal(carbonsOf(notEnabled).length, 0, 'no carbons to a resource that did not enable them');
    assert.equal(carbonsOf(sender).length, 0, 'no carbon back to the sender');
    assert.equal(carbonsOf(bob).length, 0, 'never a <received> carbon');
    await Promise.all([sender, enabled, notEnabled, bob].map((o) => o.c.stop()));
  });

  it('queues chat and headlines for an offline user and delivers them in order with <delay> on the next available presence', async () => {
    const alice = await connect(h.alice);
    const before = Date.now();
    const ids = ['offline-1', 'offline-2', 'offline-3'];
    await alice.c.send(chat(bare(h.carol), ids[0], 'first', saveToHistory()));
    await alice.c.send(chat(bare(h.carol), ids[1], 'second'));
    await alice.c.send(xml('message', { to: bare(h.carol), type: 'headline', id: 'offline-headline' }, xml('body', {}, 'a notification')));
    await alice.c.send(chat(bare(h.carol), ids[2], 'third'));
    // A bare chat state is not worth keeping.
    await alice.c.send(xml('message', { to: bare(h.carol), type: 'chat' }, xml('composing', { xmlns: NS.chatStates })));
    await settle(alice);

    const carol = await connect(h.carol, { ws: true });
    await settle(carol);
    const messages = carol.received.filter((s) => s.is('message'));
    assert.deepEqual(
      messages.map((m) => m.attrs.id),
      [ids[0], ids[1], 'offline-headline', ids[2]],
    );
    for (const message of messages) {
      const delay = message.getChild('delay', NS.delay);
      assert.ok(delay, 'each offline message carries <delay/>');
      assert.equal(delay.attrs.from, domain());
      assert.ok(Date.parse(delay.attrs.stamp) >= before - 1000 && Date.parse(delay.attrs.stamp) <= Date.now());
      assert.equal(message.attrs.from, alice.jid);
    }
    assert.ok(readExtraParams(messages[0]).params.message_id, 'the stored one keeps its injected ids');
    assert.equal(readExtraParams(messages[2]).params.moduleIdentifier, 'SystemNotifications');

    // Delivered once: a second resource coming online gets nothing more.
    const again = await connect(h.carol, { resource: 'second' });
    await settle(again);
    assert.equal(again.received.filter((s) => s.is('message')).length, 0);
    await Promise.all([alice, carol, again].map((o) => o.c.stop()));
  });

  it('applies a last message correction from the sender to the stored text, and refuses one from anyone else', async () => {
    const alice = await connect(h.alice);
    const bob = await connect(h.bob);
    const id = newObjectId();
    await alice.c.send(chat(bare(h.bob), id, 'helo', saveToHistory()));
    const dialogId = readExtraParams(await next(bob, (s) => s.attrs.id === id)).params.dialog_id;

    await alice.c.send(chat(bare(h.bob), 'fix-1', 'hello', xml('replace', { xmlns: NS.correction, id })));
    const correction = await next(bob, (s) => s.attrs.id === 'fix-1');
    assert.equal(correction.getChild('replace', NS.correction)?.attrs.id, id);
    const history = async () => {
      const res = await h.call<{ items: QBMessage[] }>('GET', `/chat/Message.json?chat_dialog_id=${dialogId}`, { token: h.bobToken });
      assert.equal(res.status, 200, res.text);
      return res.body.items;
    };
    const items = await history();
    assert.equal(items.find((m) => m._id === id)?.message, 'hello');
    assert.equal(items.filter((m) => m.message === 'hello').length, 1, 'the correction is not a message of its own');

    await bob.c.send(chat(bare(h.alice), 'fix-2', 'hijacked', xml('replace', { xmlns: NS.correction, id })));
    const refused = await next(bob, (s) => s.attrs.id === 'fix-2' && s.attrs.type === 'error');
    assert.ok(refused.getChild('error')?.getChild('forbidden', NS.stanzas));
    assert.equal((await history()).find((m) => m._id === id)?.message, 'hello');
    assert.equal(alice.received.some((s) => s.attrs.id === 'fix-2'), false);
    await Promise.all([alice, bob].map((o) => o.c.stop()));
  });

  it('advertises AMP and honours deliver rules, answering unsupported conditions', async () => {
    const alice = await connect(h.alice);
    const bob = await connect(h.bob);
    const info = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoInfo }), domain());
    const features = info.getChildren('feature').map((f) => f.attrs.var);
    for (const feature of [NS_AMP, `${NS_AMP}?condition=deliver`, `${NS_AMP}?condition=expire-at`, `${NS_AMP}?condition=match-resource`, `${NS_AMP}?action=notify`]) {
      assert.ok(features.includes(feature), feature);
    }
    const rule = (condition: string, action: string, value: string) => xml('amp', { xmlns: NS_AMP }, xml('rule', { condition, action, value }));

    // Online recipient, notify on direct delivery: a notice to the sender, and the message goes on.
    await alice.c.send(chat(bare(h.bob), 'amp-direct', 'direct', rule('deliver', 'notify', 'direct')));
    const notice = await next(alice, (s) => s.attrs.id === 'amp-direct');
    assert.equal(notice.attrs.from, domain());
    assert.equal(notice.getChild('amp', NS_AMP)?.attrs.status, 'notify');
    assert.equal(notice.getChild('amp', NS_AMP)?.getChild('rule')?.attrs.value, 'direct');
    await next(bob, (s) => s.attrs.id === 'amp-direct');

    // Offline recipient, error when it would be stored: an error with failed-rules, nothing queued.
    const dave = await h.newUser('amp-dave');
    const daveJid = `${dave.user.id}-${h.server.info.appId}@${domain()}`;
    await alice.c.send(chat(daveJid, 'amp-stored', 'transient', rule('deliver', 'error', 'stored')));
    const failed = await next(alice, (s) => s.attrs.id === 'amp-stored' && s.attrs.type === 'error');
    assert.ok(failed.getChild('error')?.getChild('failed-rules', `${NS_AMP}#errors`)?.getChild('rule'));
    const daveOnline = await connect({ id: dave.user.id, login: 'amp-dave', password: dave.password, fullName: '' });
    await settle(daveOnline);
    assert.equal(daveOnline.received.some((s) => s.attrs.id === 'amp-stored'), false);

    await alice.c.send(chat(bare(h.bob), 'amp-bad', 'x', rule('deliver-twice', 'drop', 'yes')));
    const unsupported = await next(alice, (s) => s.attrs.id === 'amp-bad' && s.attrs.type === 'error');
    assert.equal(unsupported.getChild('error')?.getChild('unsupported-conditions', NS_AMP)?.getChild('rule')?.attrs.condition, 'deliver-twice');
    await settle(bob);
    assert.equal(bob.received.some((s) => s.attrs.id === 'amp-bad'), false);
    await Promise.all([alice, bob, daveOnline].map((o) => o.c.stop()));
  });

  it('routes a headline with from stamped and SystemNotifications extraParams, never storing it', async () => {
    const alice = await connect(h.alice);
    const bob = await connect(h.bob, { ws: true });
    await alice.c.send(
      xml(
        'message',
        { to: bare(h.bob), type: 'headline', id: 'sys-1' },
        xml('body', {}, 'ping'),
        xml('extraParams', { xmlns: NS.client }, xml('moduleIdentifier', {}, 'SystemNotifications'), xml('param1', {}, 'v1')),
      ),
    );
    const headline = await next(bob, (s) => s.attrs.id === 'sys-1');
    assert.equal(headline.attrs.from, alice.jid);
    assert.equal(headline.attrs.type, 'headline');
    const { params } = readExtraParams(headline);
    assert.equal(params.moduleIdentifier, 'SystemNotifications');
    assert.equal(params.param1, 'v1');
    assert.equal(params.message_id, undefined, 'not stored');
    await Promise.all([alice, bob].map((o) => o.c.stop()));
  });

  it('manages privacy lists in the SDK shapes and answers blocked 1:1 messages with error 503, both ways for a mutual block', async () => {
    const alice = await connect(h.alice);
    const bob = await connect(h.bob);
    const item = (value: string, order: number, mutual: boolean) =>
      xml('item', { type: 'jid', value, action: 'deny', order }, ...(mutual ? [] : [xml('message'), xml('presence-in'), xml('presence-out'), xml('iq')]));
    const setList = (mutual: boolean) =>
      bob.c.iqCaller.set(
        xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: 'blocked' }, item(bare(h.alice), 1, mutual), item(`muc.${domain()}/${h.alice.id}`, 2, mutual))),
      );
    await setList(false);
    await bob.c.iqCaller.set(xml('query', { xmlns: NS_PRIVACY }, xml('default', { name: 'blocked' })));
    await bob.c.iqCaller.set(xml('query', { xmlns: NS_PRIVACY }, xml('active', { name: 'blocked' })));

    const names = await bob.c.iqCaller.get(xml('query', { xmlns: NS_PRIVACY }));
    assert.equal(names.getChild('default')?.attrs.name, 'blocked');
    assert.equal(names.getChild('active')?.attrs.name, 'blocked');
    assert.deepEqual(names.getChildren('list').map((l) => l.attrs.name), ['blocked']);
    const list = (await bob.c.iqCaller.get(xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: 'blocked' })))).getChild('list');
    const items = list?.getChildren('item') ?? [];
    assert.equal(list?.attrs.name, 'blocked');
    // The SDK reads every second item as the user's.
    assert.deepEqual(items.map((i) => [i.attrs.value, i.attrs.action, i.attrs.order]), [
      [bare(h.alice), 'deny', '1'],
      [`muc.${domain()}/${h.alice.id}`, 'deny', '2'],
    ]);

    const expectBlocked = async (from: Online, to: Online, id: string) => {
      await from.c.send(chat(bare(to === bob ? h.bob : h.alice), id, 'blocked?'));
      const error = await next(from, (s) => s.attrs.id === id && s.attrs.type === 'error');
      const condition = error.getChild('error');
      assert.equal(condition?.attrs.code, '503');
      assert.equal(condition?.attrs.type, 'cancel');
      assert.ok(condition?.getChild('service-unavailable', NS.stanzas));
      assert.ok(condition?.getChildText('text', NS.stanzas));
      await settle(to);
      assert.equal(to.received.some((s) => s.attrs.id === id), false, 'not delivered');
    };
    await expectBlocked(alice, bob, 'blocked-1');
    // Not mutual: bob may still write to alice.
    await bob.c.send(chat(bare(h.alice), 'allowed-1', 'I can'));
    await next(alice, (s) => s.attrs.id === 'allowed-1');

    await setList(true);
    await expectBlocked(alice, bob, 'blocked-2');
    await expectBlocked(bob, alice, 'blocked-3');

    // Removing the list (the SDK's delete: an empty <list/>) lifts the block.
    await bob.c.iqCaller.set(xml('query', { xmlns: NS_PRIVACY }, xml('active')));
    await bob.c.iqCaller.set(xml('query', { xmlns: NS_PRIVACY }, xml('default')));
    await bob.c.iqCaller.set(xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: 'blocked' })));
    await alice.c.send(chat(bare(h.bob), 'unblocked-1', 'hello again'));
    await next(bob, (s) => s.attrs.id === 'unblocked-1');
    await assert.rejects(bob.c.iqCaller.get(xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: 'blocked' }))));
    await Promise.all([alice, bob].map((o) => o.c.stop()));
  });

  it('relays in-band bytestreams between two full JIDs: iq open, data and close with their results, and message-carried data', async () => {
    const alice = await connect(h.alice);
    const bob = await connect(h.bob, { ws: true });
    // Bob's client accepts every IBB request; its result travels back through the server.
    bob.c.on('stanza', (stanza: Element) => {
      if (stanza.is('iq') && stanza.attrs.type === 'set' && stanza.getChildElements()[0]?.getNS() === NS_IBB) {
        void bob.c.send(xml('iq', { type: 'result', id: stanza.attrs.id, to: stanza.attrs.from }));
      }
    });

    await alice.c.iqCaller.set(xml('open', { xmlns: NS_IBB, sid: 's1', 'block-size': 4096, stanza: 'iq' }), bob.jid);
    const open = await next(bob, (s) => s.is('iq') && s.getChild('open', NS_IBB) !== undefined);
    assert.equal(open.attrs.from, alice.jid);
    await alice.c.iqCaller.set(xml('data', { xmlns: NS_IBB, sid: 's1', seq: 0 }, Buffer.from('hello').toString('base64')), bob.jid);
    const data = await next(bob, (s) => s.is('iq') && s.getChild('data', NS_IBB) !== undefined);
    assert.equal(Buffer.from(data.getChildText('data', NS_IBB) ?? '', 'base64').toString(), 'hello');
    await alice.c.send(xml('message', { to: bob.jid, id: 'ibb-msg' }, xml('data', { xmlns: NS_IBB, sid: 's1', seq: 1 }, Buffer.from('world').toString('base64'))));
    const carried = await next(bob, (s) => s.attrs.id === 'ibb-msg');
    assert.equal(carried.attrs.from, alice.jid);
    await alice.c.iqCaller.set(xml('close', { xmlns: NS_IBB, sid: 's1' }), bob.jid);

    // A full JID nobody holds: the request is answered with service-unavailable.
    await assert.rejects(alice.c.iqCaller.set(xml('open', { xmlns: NS_IBB, sid: 's2', 'block-size': 4096 }), `${bare(h.bob)}/nobody`), /service-unavailable/);
    await Promise.all([alice, bob].map((o) => o.c.stop()));
  });
});

