// Rosters, subscriptions and presence (RFC 6121, XEP-0237), last activity (XEP-0012), entity time
// (XEP-0202) and disco#info, end to end: real TCP clients (@xmpp/client) and one WebSocket client in
// Strophe's wire form against a real server on loopback. The tests run in order and build on each
// other's state, like users of one server would.
import * as assert from 'node:assert/strict';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { UserRecord } from '../../src/server/store/chatStore';
import { NS } from '../../src/shared/stanza';
import { nextEvent, nextFrameMatching, nextStanza, startTestXmpp, tcpClient, within, wsBound, type FrameClient, type TestXmpp } from './xmppHarness';

const DOMAIN = 'localhost';
const APP_ID = 1;
const PASSWORD = 'secret-1';
const NS_LAST = 'jabber:iq:last';
const NS_TIME = 'urn:xmpp:time';

describe('XMPP rosters, subscriptions and presence (integration)', function () {
  this.timeout(20000);

  let t: TestXmpp;
  const users: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'frank', UserRecord> = {} as never;
  const clients: Client[] = [];
  const sockets: FrameClient[] = [];

  const login = (user: UserRecord) => `${user.id}-${APP_ID}`;
  const bare = (user: UserRecord) => `${login(user)}@${DOMAIN}`;

  before(async () => {
    t = await startTestXmpp(DOMAIN, APP_ID);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const) {
      users[name] = t.store.createUser({ login: name, password: PASSWORD });
    }
  });

  after(async () => {
    for (const c of clients) await within(c.stop(), 'client stop').catch(() => undefined);
    for (const s of sockets) s.close();
    await t?.close();
  });

  interface Online {
    c: Client;
    jid: string;
  }

  /** Connects like the SDK: roster first, then the initial presence (protocol spec §7.3). */
  async function connect(user: UserRecord, { roster = true, presence = true } = {}): Promise<Online> {
    const c = tcpClient(t.server, DOMAIN, login(user), PASSWORD);
    clients.push(c);
    const jid = (await within(c.start(), `${user.login} start`)).toString();
    c.reconnect.stop();
    if (roster) await c.iqCaller.get(xml('query', { xmlns: NS.roster }));
    if (presence) {
      const available = nextEvent(t.server, (e) => e.session === jid && e.detail === 'available');
      await c.send(xml('presence'));
      await available;
    }
    return { c, jid };
  }

  async function getRoster(c: Client, ver?: string): Promise<Element> {
    return c.iqCaller.request(xml('iq', { type: 'get', id: `roster-${Math.random()}` }, xml('query', { xmlns: NS.roster, ver })));
  }

  const itemsOf = (query: Element | undefined) =>
    (query?.getChildren('item') ?? []).map((i) => ({ jid: i.attrs.jid, subscription: i.attrs.subscription, ask: i.attrs.ask }));

  const push = (c: Client, jid: string, match: (item: Element) => boolean = () => true) =>
    nextStanza(
      c,
      (s) => {
        const item = s.is('iq') && s.attrs.type === 'set' ? s.getChild('query', NS.roster)?.getChild('item') : undefined;
        return item?.attrs.jid === jid && match(item);
      },
      `roster push for ${jid}`,
    );

  const presenceFrom = (c: Client, from: string | RegExp, type?: string) =>
    nextStanza(
      c,
      (s) => s.is('presence') && (typeof from === 'string' ? s.attrs.from === from : from.test(s.attrs.from ?? '')) && s.attrs.type === type,
      `presence ${type ?? 'available'} from ${from}`,
    );

  let alice: Online;
  let bob: Online;

  it('answers an empty roster with <query/> and a version', async () => {
    alice = await connect(users.alice);
    const iq = await getRoster(alice.c);
    const query = iq.getChild('query', NS.roster);
    assert.ok(query, 'the SDK throws on a roster result without <query/>');
    assert.equal(query.getChildren('item').length, 0);
    assert.equal(query.attrs.ver, '0');
  });

  it('adds and renames a contact with a roster set, pushing the item to the interested resource', async () => {
    bob = await connect(users.bob);
    const pushed = push(alice.c, bare(users.bob));
    await alice.c.iqCaller.set(xml('query', { xmlns: NS.roster }, xml('item', { jid: bare(users.bob), name: 'Bob' }, xml('group', {}, 'Friends'))));
    const iq = await pushed;
    assert.ok(iq.attrs.id, 'every iq the server sends has an id');
    const item = iq.getChild('query', NS.roster)?.getChild('item');
    assert.equal(item?.attrs.subscription, 'none');
    assert.equal(item?.attrs.name, 'Bob');
    assert.equal(item?.getChildText('group'), 'Friends');

    const query = (await getRoster(alice.c)).getChild('query', NS.roster);
    assert.deepEqual(itemsOf(query), [{ jid: bare(users.bob), subscription: 'none', ask: undefined }]);
  });

  it('refuses a roster set with two items, and one naming a stranger to this application', async () => {
    const two = xml('query', { xmlns: NS.roster }, xml('item', { jid: bare(users.carol) }), xml('item', { jid: bare(users.dave) }));
    await assert.rejects(alice.c.iqCaller.set(two), (e: Error & { condition?: string }) => e.condition === 'bad-request');
    const stranger = xml('query', { xmlns: NS.roster }, xml('item', { jid: `1-999@${DOMAIN}` }));
    await assert.rejects(alice.c.iqCaller.set(stranger), (e: Error & { condition?: string }) => e.condition === 'item-not-found');
  });

  it('runs the subscription handshake both ways; each then sees the other’s presence', async () => {
    // alice → bob: request, stamped with alice's bare JID, pending on alice's side.
    const request = presenceFrom(bob.c, bare(users.alice), 'subscribe');
    const asking = push(alice.c, bare(users.bob), (i) => i.attrs.ask === 'subscribe');
    await alice.c.send(xml('presence', { to: bare(users.bob), type: 'subscribe' }));
    await request;
    await asking;

    // bob approves: alice gets `subscribed`, then bob's current presence; the items become to / from.
    const approved = presenceFrom(alice.c, bare(users.bob), 'subscribed');
    const bobsPresence = presenceFrom(alice.c, bob.jid);
    const aliceItem = push(alice.c, bare(users.bob), (i) => i.attrs.subscription === 'to');
    const bobItem = push(bob.c, bare(users.alice), (i) => i.attrs.subscription === 'from');
    await bob.c.send(xml('presence', { to: bare(users.alice), type: 'subscribed' }));
    await Promise.all([approved, bobsPresence, aliceItem, bobItem]);

    // bob → alice, approved by alice: both.
    const back = presenceFrom(alice.c, bare(users.bob), 'subscribe');
    await bob.c.send(xml('presence', { to: bare(users.alice), type: 'subscribe' }));
    await back;
    const alicesPresence = presenceFrom(bob.c, alice.jid);
    const bothForBob = push(bob.c, bare(users.alice), (i) => i.attrs.subscription === 'both');
    await alice.c.send(xml('presence', { to: bare(users.bob), type: 'subscribed' }));
    await Promise.all([alicesPresence, bothForBob]);

    assert.deepEqual(itemsOf((await getRoster(alice.c)).getChild('query', NS.roster)), [{ jid: bare(users.bob), subscription: 'both', ask: undefined }]);
    assert.deepEqual(itemsOf((await getRoster(bob.c)).getChild('query', NS.roster)), [{ jid: bare(users.alice), subscription: 'both', ask: undefined }]);
  });

  it('broadcasts presence updates to subscribed contacts', async () => {
    const update = presenceFrom(alice.c, bob.jid);
    await bob.c.send(xml('presence', {}, xml('show', {}, 'away'), xml('status', {}, 'lunch')));
    const received = await update;
    assert.equal(received.getChildText('status'), 'lunch');
    assert.equal(received.getChildText('show'), 'away');
  });

  it('gives a WebSocket resource its contacts’ presence, tells them it came and went', async () => {
    const seen = presenceFrom(alice.c, `${bare(users.bob)}/browser`);
    const ws = await wsBound(t.httpPort, DOMAIN, login(users.bob), PASSWORD, 'browser');
    sockets.push(ws);
    ws.send(`<presence xmlns="${NS.client}"/>`);
    const alices = await nextFrameMatching(ws, new RegExp(`<presence [^>]*from="${alice.jid}"`));
    assert.doesNotMatch(alices, /type=/);
    await seen;

    // A chat to bob's bare JID reaches both of bob's resources.
    const tcpCopy = nextStanza(bob.c, (s) => s.attrs.id === 'both-resources');
    await alice.c.send(xml('message', { to: bare(users.bob), type: 'chat', id: 'both-resources' }, xml('body', {}, 'hi')));
    await nextFrameMatching(ws, /id="both-resources"/);
    await tcpCopy;

    // Ending the stream without an unavailable presence still reaches the contacts.
    const gone = presenceFrom(alice.c, `${bare(users.bob)}/browser`, 'unavailable');
    ws.send(`<close xmlns="${NS.framing}"/>`);
    await gone;
  });

  it('answers a roster request naming the current version with an empty result (XEP-0237)', async () => {
    const full = await getRoster(alice.c);
    const ver = full.getChild('query', NS.roster)?.attrs.ver;
    assert.ok(ver && ver !== '0');
    const upToDate = await getRoster(alice.c, ver);
    assert.equal(upToDate.attrs.type, 'result');
    assert.equal(upToDate.getChildElements().length, 0);
    const stale = await getRoster(alice.c, '0');
    assert.equal(stale.getChild('query', NS.roster)?.getChildren('item').length, 1);
  });

  it('delivers a subscription request sent while the contact was offline at its next available presence', async () => {
    await alice.c.send(xml('presence', { to: bare(users.carol), type: 'subscribe' }));
    await nextEvent(t.server, (e) => e.session === alice.jid && e.stanza.includes('subscribe') && e.direction === 'in');

    const carol = await connect(users.carol, { presence: false });
    const request = presenceFrom(carol.c, bare(users.alice), 'subscribe');
    await carol.c.send(xml('presence'));
    await request;
    // The requester is not in carol's roster until she answers (RFC 6121 §3.1.3).
    assert.equal((await getRoster(carol.c)).getChild('query', NS.roster)?.getChildren('item').length, 0);

    const approved = presenceFrom(alice.c, bare(users.carol), 'subscribed');
    const carolsPresence = presenceFrom(alice.c, carol.jid);
    await carol.c.send(xml('presence', { to: bare(users.alice), type: 'subscribed' }));
    await Promise.all([approved, carolsPresence]);
    assert.deepEqual(itemsOf((await getRoster(carol.c)).getChild('query', NS.roster)), [{ jid: bare(users.alice), subscription: 'from', ask: undefined }]);
  });

  it('removes a contact: the item goes, and the subscriptions end both ways', async () => {
    const removed = push(alice.c, bare(users.bob), (i) => i.attrs.subscription === 'remove');
    const unsubscribe = presenceFrom(bob.c, bare(users.alice), 'unsubscribe');
    const unsubscribed = presenceFrom(bob.c, bare(users.alice), 'unsubscribed');
    const aliceGone = presenceFrom(bob.c, alice.jid, 'unavailable');
    const bobGone = presenceFrom(alice.c, bob.jid, 'unavailable');
    await alice.c.iqCaller.set(xml('query', { xmlns: NS.roster }, xml('item', { jid: bare(users.bob), subscription: 'remove' })));
    await Promise.all([removed, unsubscribe, unsubscribed, aliceGone, bobGone]);

    assert.deepEqual(itemsOf((await getRoster(alice.c)).getChild('query', NS.roster)), [{ jid: bare(users.carol), subscription: 'to', ask: undefined }]);
    assert.deepEqual(itemsOf((await getRoster(bob.c)).getChild('query', NS.roster)), [{ jid: bare(users.alice), subscription: 'none', ask: undefined }]);

    // No subscription left: bob's updates no longer reach alice.
    const leaked = presenceFrom(alice.c, bob.jid).then(() => true, () => false);
    await bob.c.send(xml('presence', {}, xml('status', {}, 'back')));
    await nextEvent(t.server, (e) => e.session === bob.jid && e.detail === 'available');
    assert.equal(await Promise.race([leaked, new Promise((resolve) => setTimeout(() => resolve(false), 300))]), false);
  });

  it('refuses a subscription request to a user that does not exist with unsubscribed', async () => {
    const nobody = `999999-${APP_ID}@${DOMAIN}`;
    const refused = presenceFrom(alice.c, nobody, 'unsubscribed');
    await alice.c.send(xml('presence', { to: nobody, type: 'subscribe' }));
    await refused;
  });

  it('routes directed presence and tells its target when the sender goes', async () => {
    const dave = await connect(users.dave);
    const directed = presenceFrom(alice.c, dave.jid);
    await dave.c.send(xml('presence', { to: alice.jid }, xml('status', {}, 'psst')));
    assert.equal((await directed).getChildText('status'), 'psst');
    const gone = presenceFrom(alice.c, dave.jid, 'unavailable');
    await dave.c.stop();
    await gone;
  });

  describe('last activity (XEP-0012)', () => {
    const lastOf = (c: Client, to: string) =>
      c.iqCaller.request(xml('iq', { type: 'get', to, id: `${Math.random()}:lastActivity` }, xml('query', { xmlns: NS_LAST })));

    it('is 0 seconds for an online user, with from = that user', async () => {
      const iq = await lastOf(alice.c, bare(users.bob));
      assert.equal(iq.attrs.from, bare(users.bob));
      assert.match(iq.attrs.id, /lastActivity$/);
      assert.equal(iq.getChild('query', NS_LAST)?.attrs.seconds, '0');
    });

    it('counts the seconds since an offline user left, and refuses a user never seen', async () => {
      const erin = await connect(users.erin);
      const left = nextEvent(t.server, (e) => e.session === erin.jid && e.detail === 'unavailable');
      await erin.c.send(xml('presence', { type: 'unavailable' }));
      await left;
      await erin.c.stop();
      const seconds = Number((await lastOf(alice.c, bare(users.erin))).getChild('query', NS_LAST)?.attrs.seconds);
      assert.ok(seconds >= 0 && seconds < 5, String(seconds));

      await assert.rejects(lastOf(alice.c, bare(users.frank)), (e: Error & { condition?: string }) => e.condition === 'item-not-found');
    });

    it('gives the server’s uptime when asked about the server', async () => {
      const seconds = Number((await lastOf(alice.c, DOMAIN)).getChild('query', NS_LAST)?.attrs.seconds);
      assert.ok(Number.isInteger(seconds) && seconds >= 0);
    });
  });

  it('tells the time (XEP-0202)', async () => {
    const time = await alice.c.iqCaller.get(xml('time', { xmlns: NS_TIME }), DOMAIN);
    assert.match(time.getChildText('tzo') ?? '', /^[+-]\d{2}:\d{2}$/);
    const utc = time.getChildText('utc') ?? '';
    assert.match(utc, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.parse(utc) - Date.now()) < 5000);
  });

  it('lists what it implements in disco#info, with an identity', async () => {
    const info = await alice.c.iqCaller.get(xml('query', { xmlns: NS.discoInfo }), DOMAIN);
    const features = info.getChildren('feature').map((f) => f.attrs.var);
    for (const feature of [NS.discoInfo, NS.ping, NS.roster, 'urn:xmpp:features:rosterver', NS_LAST, NS_TIME]) {
      assert.ok(features.includes(feature), `${feature} in ${features.join(', ')}`);
    }
    const identity = info.getChild('identity');
    assert.equal(identity?.attrs.category, 'server');
    assert.equal(identity?.attrs.type, 'im');
  });
});
