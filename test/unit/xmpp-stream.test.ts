// The stream state machine and the modules behind the router, driven through an in-memory framing
// (no sockets) against the real SQLite store in memory.
import * as assert from 'node:assert/strict';
import { xml, type Element } from '@xmpp/xml';
import { silentLogger } from '../../src/shared/logger';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { Router, type StanzaDebugEvent } from '../../src/server/xmpp/router';
import { resolveLimits } from '../../src/server/xmpp/limits';
import { XmppStream } from '../../src/server/xmpp/stream';
import { APP_ID, DOMAIN, FakeFraming, PASSWORD, xmppCore } from './xmppFixture';



const plain = (authzid: string, authcid: string, password: string) =>
  xml('auth', { xmlns: NS.sasl, mechanism: 'PLAIN' }, Buffer.from(`${authzid}\0${authcid}\0${password}`).toString('base64'));

const streamOpen = { to: DOMAIN, version: '1.0' };

describe('xmpp stream', () => {
  let store: ChatStore;
  let router: Router;
  let alice: UserRecord;
  let bob: UserRecord;
  let events: StanzaDebugEvent[];

  beforeEach(() => {
    ({ store, router, alice, bob, events } = xmppCore());
  });

  afterEach(() => store.close());

  const login = (user: UserRecord) => `${user.id}-${APP_ID}`;
  const bare = (user: UserRecord) => `${login(user)}@${DOMAIN}`;

  function connect(preAuthTimeoutMs = 30_000): { stream: XmppStream; framing: FakeFraming } {
    const framing = new FakeFraming();
    const limits = resolveLimits({ preAuthTimeoutMs });
    const context = { router, store, domain: DOMAIN, appId: APP_ID, logger: silentLogger, limits, nonzas: new Map() };
    return { stream: new XmppStream(framing, context), framing };
  }

  /** Opens, authenticates, binds and (by default) sends the initial presence; returns the full JID. */
  async function online(user: UserRecord, resource?: string, available = true) {
    const { stream, framing } = connect();
    stream.onOpen(streamOpen);
    framing.take();
    stream.onElement(plain('', login(user), PASSWORD));
    await framing.settled();
    stream.onOpen(streamOpen);
    stream.onElement(xml('iq', { type: 'set', id: 'bind' }, xml('bind', { xmlns: NS.bind }, resource ? xml('resource', {}, resource) : undefined)));
    const jid = framing.take().at(-1)?.getChild('bind', NS.bind)?.getChildText('jid') ?? '';
    if (available) {
      stream.onElement(xml('presence'));
      // RFC 6121 §4.2.2: the initial presence comes back to the resource that sent it.
      framing.take();
    }
    return { stream, framing, jid };
  }

  function streamErrorOf(element: Element): string | undefined {
    return element.name === 'stream:error' ? element.getChildElements()[0]?.name : undefined;
  }

  describe('negotiation', () => {
    it('offers PLAIN only, then bind and session after the restart', async () => {
      const { stream, framing } = connect();
      stream.onOpen(streamOpen);
      const mechanisms = framing.one().getChild('mechanisms', NS.sasl);
      assert.deepEqual(mechanisms?.getChildren('mechanism').map((m) => m.getText()), ['PLAIN']);

      stream.onElement(plain(`${login(alice)}@${DOMAIN}`, login(alice), PASSWORD));
      await framing.settled();
      assert.ok(framing.one().is('success', NS.sasl));
      assert.equal(framing.restarts, 1);

      stream.onOpen(streamOpen);
      const features = framing.one();
      assert.ok(features.getChild('bind', NS.bind));
      assert.ok(features.getChild('session', NS.session));
      assert.equal(framing.opens, 2);
    });

    it('accepts a live REST session token as the password', async () => {
      const session = store.createSession(APP_ID, alice.id, 1, 1, 60_000);
      const { stream, framing } = connect();
      stream.onOpen(streamOpen);
      framing.take();
      stream.onElement(plain('', login(alice), session.token));
      await framing.settled();
      assert.ok(framing.one().is('success', NS.sasl));
    });

    it('refuses a wrong password, another user\'s token and a foreign authzid', async () => {
      const bobsToken = store.createSession(APP_ID, bob.id, 2, 2, 60_000).token;
      for (const [auth, condition] of [
        [plain('', login(alice), 'wrong'), 'not-authorized'],
        [plain('', login(alice), bobsToken), 'not-authorized'],
        [plain('', `${alice.id}-2`, PASSWORD), 'not-authorized'],
        [plain(bare(bob), login(alice), PASSWORD), 'invalid-authzid'],
        [xml('auth', { xmlns: NS.sasl, mechanism: 'PLAIN' }, 'not base64!'), 'malformed-request'],
        [xml('auth', { xmlns: NS.sasl, mechanism: 'SCRAM-SHA-1' }, 'x'), 'invalid-mechanism'],
      ] as const) {
        const { stream, framing } = connect();
        stream.onOpen(streamOpen);
        framing.take();
        stream.onElement(auth);
        await framing.settled();
        const failure = framing.one();
        assert.ok(failure.is('failure', NS.sasl));
        assert.equal(failure.getChildElements()[0].name, condition);
        assert.equal(framing.closed, false, 'a failed attempt may be retried');
      }
    });

    it('ends the stream with <policy-violation/> after the third failed attempt', async () => {
      const { stream, framing } = connect();
      stream.onOpen(streamOpen);
      framing.take();
      for (const attempt of [1, 2]) {
        stream.onElement(plain('', login(alice), `wrong-${attempt}`));
        await framing.settled();
        assert.equal(framing.one().getChildText('text'), 'Password not verified');
        assert.equal(framing.closed, false);
      }
      stream.onElement(plain('', login(alice), 'wrong-3'));
      await framing.settled();
      const [failure, error] = framing.take();
      assert.ok(failure.is('failure', NS.sasl));
      assert.equal(streamErrorOf(error), 'policy-violation');
      assert.ok(framing.closed);
    });

    it('checks a token-shaped password as a session first, without hashing it as a password', async () => {
      const session = store.createSession(APP_ID, alice.id, 3, 3, 60_000);
      let hashed = 0;
      const verify = store.verifyPassword.bind(store);
      store.verifyPassword = (userId, password) => {
        hashed++;
        return verify(userId, password);
      };
      const { stream, framing } = connect();
      stream.onOpen(streamOpen);
      framing.take();
      stream.onElement(plain('', login(alice), session.token));
      await framing.settled();
      assert.ok(framing.one().is('success', NS.sasl));
      assert.equal(hashed, 0);
    });

    it('closes a connection that does not authenticate and bind in time with <connection-timeout/>', async () => {
      const { stream, framing } = connect(30);
      stream.onOpen(streamOpen);
      framing.take();
      await framing.settled();
      assert.equal(streamErrorOf(framing.one()), 'connection-timeout');
      assert.ok(framing.closed);
      // A token: the password hash could itself take longer than this short deadline.
      const signIn = (s: XmppStream) => s.onElement(plain('', login(alice), store.createSession(APP_ID, alice.id, 4, 4, 60_000).token));
      const unbound = connect(30);
      unbound.stream.onOpen(streamOpen);
      signIn(unbound.stream);
      const bound = connect(30);
      bound.stream.onOpen(streamOpen);
      signIn(bound.stream);
      await bound.framing.settled();
      bound.stream.onOpen(streamOpen);
      bound.stream.onElement(xml('iq', { type: 'set', id: 'bind' }, xml('bind', { xmlns: NS.bind })));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(unbound.framing.take().map(streamErrorOf).filter(Boolean), ['connection-timeout'], 'authenticated but never bound: still a deadline');
      assert.ok(unbound.framing.closed);
      assert.equal(bound.framing.closed, false, 'a bound stream has no deadline');
    });

    it('ends the stream with <not-authorized/> for a stanza before authentication', async () => {
      const { stream, framing } = connect();
      stream.onOpen(streamOpen);
      framing.take();
      stream.onElement(xml('message', { to: bare(bob), type: 'chat' }, xml('body', {}, 'x')));
      assert.equal(streamErrorOf(framing.one()), 'not-authorized');
      assert.ok(framing.closed);
      assert.ok(stream.closed);
    });

    it('opens the stream before a <host-unknown/> error', async () => {
      const { stream, framing } = connect();
      stream.onOpen({ to: 'example.com', version: '1.0' });
      assert.equal(framing.opens, 1);
      assert.equal(streamErrorOf(framing.one()), 'host-unknown');
      assert.ok(framing.closed);
    });

    it('binds a generated resource, or the requested one, and answers the session iq', async () => {
      const generated = await online(alice, undefined, false);
      assert.match(generated.jid, new RegExp(`^${bare(alice)}/[0-9a-f]{12}$`));
      const requested = await online(alice, 'phone', false);
      assert.equal(requested.jid, `${bare(alice)}/phone`);

      requested.stream.onElement(xml('iq', { type: 'set', id: 'sess', to: DOMAIN }, xml('session', { xmlns: NS.session })));
      const result = requested.framing.one();
      assert.equal(result.attrs.type, 'result');
      assert.equal(result.attrs.id, 'sess');
    });

    it('gives a taken resource to the newer stream and ends the older one with <conflict/>', async () => {
      const first = await online(alice, 'desk');
      const second = await online(alice, 'desk');
      assert.equal(streamErrorOf(first.framing.one()), 'conflict');
      assert.ok(first.framing.closed);
      assert.equal(router.resource(`${bare(alice)}/desk`)?.id, second.stream.id);
    });

    it('unbinds on close and answers the client\'s close with its own', async () => {
      const { stream, framing } = await online(alice, 'desk');
      stream.onClose();
      assert.ok(framing.closed);
      assert.equal(router.resource(`${bare(alice)}/desk`), undefined);
    });
  });

  describe('iq', () => {
    it('answers the roster with an empty <query/> and the request id', async () => {
      const { stream, framing } = await online(alice);
      stream.onElement(xml('iq', { type: 'get', id: 'abc:getRoster' }, xml('query', { xmlns: NS.roster })));
      const result = framing.one();
      assert.equal(result.attrs.id, 'abc:getRoster');
      assert.equal(result.attrs.type, 'result');
      assert.ok(result.getChild('query', NS.roster));
    });

    it('answers ping, carbons enable and disco#info', async () => {
      const { stream, framing, jid } = await online(alice);
      stream.onElement(xml('iq', { type: 'get', id: 'p:ping', to: DOMAIN }, xml('ping', { xmlns: NS.ping })));
      assert.deepEqual(framing.one().attrs, { type: 'result', id: 'p:ping', from: DOMAIN, to: jid });
      stream.onElement(xml('iq', { type: 'set', id: 'c:enableCarbons', from: jid }, xml('enable', { xmlns: NS.carbons })));
      assert.equal(framing.one().attrs.type, 'result');
      stream.onElement(xml('iq', { type: 'get', id: 'd', to: DOMAIN }, xml('query', { xmlns: NS.discoInfo })));
      const vars = framing.one().getChild('query', NS.discoInfo)?.getChildren('feature').map((f) => f.attrs.var);
      for (const feature of [NS.discoInfo, NS.ping]) assert.ok(vars?.includes(feature), feature);
    });

    it('answers an unknown request with <service-unavailable/> and ignores unknown results', async () => {
      const { stream, framing } = await online(alice);
      stream.onElement(xml('iq', { type: 'get', id: 'v1', to: DOMAIN }, xml('query', { xmlns: 'jabber:iq:version' })));
      const error = framing.one();
      assert.equal(error.attrs.type, 'error');
      assert.equal(error.attrs.id, 'v1');
      assert.ok(error.getChild('error')?.getChild('service-unavailable', NS.stanzas));
      stream.onElement(xml('iq', { type: 'result', id: 'v2', to: DOMAIN }));
      assert.deepEqual(framing.take(), []);
    });

    it('ends the stream with <unsupported-stanza-type/> for a non-stanza after bind', async () => {
      const { stream, framing } = await online(alice);
      stream.onElement(xml('enable', { xmlns: NS.sm }));
      assert.equal(streamErrorOf(framing.one()), 'unsupported-stanza-type');
    });
  });

  describe('chat', () => {
    const chat = (to: string, id: string, ...children: Element[]) => xml('message', { to, type: 'chat', id, from: 'spoofed@x/y' }, ...children);
    const saved = (...params: [string, string][]) =>
      xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'), ...params.map(([k, v]) => xml(k, {}, v)));
    /** Saved messages are routed once their group commit (saveBatch.ts, on setImmediate) is done. */
    const committed = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('routes to every available resource of the bare JID, from stamped, not stored without save_to_history', async () => {
      const a = await online(alice);
      const b1 = await online(bob, 'one');
      const b2 = await online(bob, 'two');
      b1.framing.take(); // b2's initial presence (RFC 6121 §4.2.2)
      await online(bob, 'not-available', false);
      a.stream.onElement(chat(bare(bob), 'm1', xml('body', {}, 'hi')));
      for (const b of [b1, b2]) {
        const message = b.framing.one();
        assert.equal(message.attrs.from, a.jid);
        assert.equal(message.attrs.id, 'm1');
        assert.equal(message.getChild('extraParams'), undefined);
      }
      assert.equal(store.findPrivateDialog(alice.id, bob.id), undefined);
    });

    it('routes to the addressed full JID only when that resource is available', async () => {
      const a = await online(alice);
      const b1 = await online(bob, 'one');
      const b2 = await online(bob, 'two');
      b1.framing.take(); // b2's initial presence (RFC 6121 §4.2.2)
      a.stream.onElement(chat(`${bare(bob)}/two`, 'm2', xml('body', {}, 'hi')));
      assert.deepEqual(b1.framing.take(), []);
      assert.equal(b2.framing.one().attrs.id, 'm2');
    });

    it('stops routing after unavailable presence', async () => {
      const a = await online(alice);
      const b = await online(bob);
      b.stream.onElement(xml('presence', { type: 'unavailable' }));
      a.stream.onElement(chat(bare(bob), 'm3', xml('body', {}, 'hi')));
      assert.deepEqual(b.framing.take(), []);
      assert.equal(events.at(-1)?.decision, 'queued');
    });

    it('stores with the stanza id, keeps a close client date_sent and stamps message_id/date_sent/dialog_id', async () => {
      const a = await online(alice);
      const b = await online(bob);
      const id = newObjectId();
      const clientTime = Math.floor(Date.now() / 1000) - 3;
      a.stream.onElement(
        chat(
          bare(bob),
          id,
          xml('body', {}, 'saved'),
          xml('markable', { xmlns: NS.markers }),
          saved(['date_sent', String(clientTime)], ['custom', 'v1']),
        ),
      );
      await committed();
      const { params } = readExtraParams(b.framing.one());
      const dialog = store.findPrivateDialog(alice.id, bob.id);
      assert.deepEqual(
        { id: params.message_id, date: params.date_sent, dialog: params.dialog_id },
        { id, date: String(clientTime), dialog: dialog?.id },
      );
      const stored = store.getMessage(id);
      assert.equal(stored?.dateSent, clientTime);
      assert.equal(stored?.markable, true);
      assert.deepEqual(stored?.customParams, { custom: 'v1' });
      assert.deepEqual(
        events.filter((e) => e.direction === 'in' && e.session === a.jid).map((e) => e.decision),
        ['handled', 'stored', 'routed'],
      );
    });

    it('replaces a skewed date_sent and a reused or non-ObjectId stanza id', async () => {
      const a = await online(alice);
      const b = await online(bob);
      const id = newObjectId();
      const now = Math.floor(Date.now() / 1000);
      a.stream.onElement(chat(bare(bob), id, xml('body', {}, 'first'), saved(['date_sent', String(now - 3600)])));
      await committed();
      const first = readExtraParams(b.framing.one()).params;
      assert.ok(Math.abs(Number(first.date_sent) - now) <= 1);
      a.stream.onElement(chat(bare(bob), id, xml('body', {}, 'again'), saved()));
      await committed();
      const second = readExtraParams(b.framing.one()).params;
      assert.notEqual(second.message_id, id);
      assert.equal(store.getMessage(second.message_id)?.body, 'again');
      a.stream.onElement(chat(bare(bob), 'not-an-object-id', xml('body', {}, 'third'), saved()));
      await committed();
      assert.equal(store.getMessage(readExtraParams(b.framing.one()).params.message_id)?.body, 'third');
    });

    it('files a 1:1 message in the pair’s private dialog, whatever other dialog_id the sender names', async () => {
      const carol = store.createUser({ login: 'carol', password: PASSWORD });
      const group = store.createDialog({ type: 2, ownerId: alice.id, occupantIds: [bob.id, carol.id], name: 'g' });
      const aliceBob = store.ensurePrivateDialog(alice.id, bob.id).dialog;
      const a = await online(alice);
      const b = await online(bob);
      const c = await online(carol);
      a.stream.onElement(chat(bare(bob), 'p1', xml('body', {}, 'private'), saved(['dialog_id', aliceBob.id])));
      await committed();
      assert.equal(readExtraParams(b.framing.one()).params.dialog_id, aliceBob.id);
      // To carol, but naming the alice–bob dialog (which bob reads) or a group: neither is the alice–carol dialog.
      for (const named of [aliceBob.id, group.id]) {
        a.stream.onElement(chat(bare(carol), newObjectId(), xml('body', {}, 'to carol'), saved(['dialog_id', named])));
        await committed();
        const filed = readExtraParams(c.framing.one()).params.dialog_id;
        assert.equal(filed, store.findPrivateDialog(alice.id, carol.id)?.id);
      }
      assert.equal(store.listMessages(aliceBob.id, { limit: 10, skip: 0 }).length, 1);
      assert.equal(store.listMessages(group.id, { limit: 10, skip: 0 }).length, 0);
      assert.equal(store.unreadCount(bob.id, aliceBob.id), 1);
    });

    it('answers a saved message to oneself with <bad-request/> and stores nothing', async () => {
      const a = await online(alice);
      a.stream.onElement(chat(bare(alice), 'self', xml('body', {}, 'note'), saved()));
      const error = a.framing.one();
      assert.equal(error.attrs.type, 'error');
      assert.equal(error.attrs.id, 'self');
      assert.ok(error.getChild('error')?.getChild('bad-request', NS.stanzas), error.toString());
      assert.equal(error.getChild('error')?.getChildText('text', NS.stanzas), 'a private dialog needs two different users');
      assert.equal(store.listDialogs(alice.id, { limit: 10, skip: 0 }).total, 0);
    });

    it('marks messages read and delivered from routed markers, by stored or stanza id', async () => {
      const a = await online(alice);
      const b = await online(bob);
      const objectId = newObjectId();
      a.stream.onElement(chat(bare(bob), objectId, xml('body', {}, 'one'), xml('markable', { xmlns: NS.markers }), saved()));
      a.stream.onElement(chat(bare(bob), 'web-client-2', xml('body', {}, 'two'), xml('markable', { xmlns: NS.markers }), saved()));
      await committed();
      const routed = b.framing.take();
      const dialogId = readExtraParams(routed[0]).params.dialog_id;
      const second = readExtraParams(routed[1]).params.message_id;
      assert.equal(store.unreadCount(bob.id, dialogId), 2);

      const marker = (kind: string, id: string) =>
        xml('message', { to: bare(alice), type: 'chat', id: newObjectId() }, xml(kind, { xmlns: NS.markers, id }), saved(['dialog_id', dialogId]));
      b.stream.onElement(marker('received', 'web-client-2'));
      assert.deepEqual(store.getMessage(second)?.deliveredIds, [alice.id, bob.id]);
      assert.equal(store.unreadCount(bob.id, dialogId), 2, 'delivered is not read');
      b.stream.onElement(marker('displayed', objectId));
      b.stream.onElement(marker('displayed', 'web-client-2'));
      assert.equal(store.unreadCount(bob.id, dialogId), 0);
      assert.deepEqual(store.getMessage(objectId)?.readIds, [alice.id, bob.id]);
      // Routed unchanged, and never stored as messages.
      const markers = a.framing.take();
      assert.deepEqual(markers.map((m) => m.getChildElements()[0].name), ['received', 'displayed', 'displayed']);
      assert.equal(store.listMessages(dialogId, { limit: 10, skip: 0 }).length, 2);
    });

    it('routes chat states and markers without storing them', async () => {
      const a = await online(alice);
      const b = await online(bob);
      a.stream.onElement(chat(bare(bob), 's1', xml('composing', { xmlns: NS.chatStates }), saved()));
      a.stream.onElement(chat(bare(bob), 's2', xml('received', { xmlns: NS.markers, id: 'x' }), saved()));
      assert.deepEqual(b.framing.take().map((m) => m.attrs.id), ['s1', 's2']);
      assert.equal(store.findPrivateDialog(alice.id, bob.id), undefined);
    });

    it('stores for an offline recipient and reports it queued offline', async () => {
      const a = await online(alice);
      const id = newObjectId();
      a.stream.onElement(chat(bare(bob), id, xml('body', {}, 'later'), saved()));
      await committed();
      assert.deepEqual(events.slice(-2).map((e) => e.decision), ['stored', 'queued']);
      assert.equal(store.getMessage(id)?.body, 'later');
    });

    it('commits the saved messages of one turn together and routes them after, each sender in order', async () => {
      const carol = store.createUser({ login: 'carol', password: PASSWORD });
      const a = await online(alice);
      const b = await online(bob);
      const c = await online(carol);
      const transaction = store.transaction.bind(store);
      let transactions = 0;
      store.transaction = (fn) => (transactions++, transaction(fn));
      a.stream.onElement(chat(bare(bob), 'm1', xml('body', {}, 'one'), saved()));
      a.stream.onElement(chat(bare(bob), 's1', xml('composing', { xmlns: NS.chatStates })));
      c.stream.onElement(chat(bare(bob), 'c1', xml('body', {}, 'from carol'), saved()));
      a.stream.onElement(chat(bare(bob), 'm2', xml('body', {}, 'two'), saved()));
      assert.deepEqual(b.framing.take(), [], 'nothing is routed before its commit');
      await committed();
      const routed = b.framing.take();
      assert.deepEqual(routed.map((m) => m.attrs.id), ['m1', 's1', 'c1', 'm2']);
      for (const m of [routed[0], routed[2], routed[3]]) assert.ok(store.getMessage(readExtraParams(m).params.message_id));
      // One for the saves, one for the routing (offline queue inserts).
      assert.equal(transactions, 2);
    });

    it('answers every saved message of a failed commit with <internal-server-error/> and routes none of them', async () => {
      const a = await online(alice);
      const b = await online(bob);
      const createMessage = store.createMessage.bind(store);
      let calls = 0;
      store.createMessage = (input) => {
        if (++calls === 2) throw new Error('disk full');
        return createMessage(input);
      };
      a.stream.onElement(chat(bare(bob), 'm1', xml('body', {}, 'one'), saved()));
      a.stream.onElement(chat(bare(bob), 'm2', xml('body', {}, 'two'), saved()));
      a.stream.onElement(chat(bare(bob), 's1', xml('active', { xmlns: NS.chatStates })));
      await committed();
      const errors = a.framing.take();
      assert.deepEqual(errors.map((e) => [e.attrs.id, e.attrs.type]), [['m1', 'error'], ['m2', 'error']]);
      for (const error of errors) assert.ok(error.getChild('error')?.getChild('internal-server-error', NS.stanzas), error.toString());
      assert.deepEqual(b.framing.take().map((m) => m.attrs.id), ['s1']);
      assert.equal(store.findPrivateDialog(alice.id, bob.id), undefined, 'the batch was rolled back');
    });

    it('answers a stanza whose handler throws with <internal-server-error/> and keeps the stream', async () => {
      router.host(DOMAIN).on('iq-get/host/urn:test:boom:boom', () => {
        throw new Error('handler bug');
      });
      const a = await online(alice);
      const b = await online(bob);
      a.stream.onElement(xml('iq', { type: 'get', id: 'boom', to: DOMAIN }, xml('boom', { xmlns: 'urn:test:boom' })));
      const error = a.framing.one();
      assert.equal(error.attrs.id, 'boom');
      assert.ok(error.getChild('error')?.getChild('internal-server-error', NS.stanzas), error.toString());
      assert.equal(a.framing.closed, false);
      a.stream.onElement(chat(bare(bob), 'after', xml('body', {}, 'still here')));
      assert.equal(b.framing.one().attrs.id, 'after');
    });

    it('bounces unknown users, foreign domains and malformed JIDs with the original id', async () => {
      const a = await online(alice);
      for (const [to, condition] of [
        [`424242-${APP_ID}@${DOMAIN}`, 'service-unavailable'],
        [`${bob.id}-7@${DOMAIN}`, 'service-unavailable'],
        [`someone@${DOMAIN}`, 'service-unavailable'],
        [`${bob.id}-${APP_ID}@example.org`, 'remote-server-not-found'],
        ['@nowhere', 'jid-malformed'],
      ] as const) {
        a.stream.onElement(chat(to, `e-${condition}`, xml('body', {}, 'x')));
        const error = a.framing.one();
        assert.equal(error.attrs.type, 'error', to);
        assert.equal(error.attrs.id, `e-${condition}`);
        assert.equal(error.attrs.to, a.jid);
        assert.ok(error.getChild('error')?.getChild(condition, NS.stanzas), `${to} → ${error.toString()}`);
      }
    });
  });
});
