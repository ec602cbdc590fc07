// Second-read fixes, driven through the real stream and modules with an in-memory framing: id-less iq
// is never relayed, privacy lists apply to presence, directed presence memory is bounded to real users.
import * as assert from 'node:assert/strict';
import { xml } from '@xmpp/xml';
import { silentLogger } from '../../src/shared/logger';
import { NS } from '../../src/shared/stanza';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { resourceState } from '../../src/server/xmpp/modules/roster/resourceState';
import { Router, type StanzaDebugEvent } from '../../src/server/xmpp/router';
import { resolveLimits } from '../../src/server/xmpp/limits';
import { XmppStream } from '../../src/server/xmpp/stream';
import { APP_ID, DOMAIN, FakeFraming, PASSWORD, xmppCore } from './xmppFixture';

const NS_PRIVACY = 'jabber:iq:privacy';


describe('xmpp review fixes (unit)', () => {
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

  async function online(user: UserRecord, resource: string) {
    const framing = new FakeFraming();
    const context = { router, store, domain: DOMAIN, appId: APP_ID, logger: silentLogger, limits: resolveLimits(), nonzas: new Map() };
    const stream = new XmppStream(framing, context);
    const open = { to: DOMAIN, version: '1.0' };
    stream.onOpen(open);
    framing.take();
    stream.onElement(xml('auth', { xmlns: NS.sasl, mechanism: 'PLAIN' }, Buffer.from(`\0${login(user)}\0${PASSWORD}`).toString('base64')));
    await framing.settled();
    stream.onOpen(open);
    stream.onElement(xml('iq', { type: 'set', id: 'bind' }, xml('bind', { xmlns: NS.bind }, xml('resource', {}, resource))));
    stream.onElement(xml('presence'));
    framing.take();
    return { stream, framing, jid: `${bare(user)}/${resource}` };
  }

  it('never relays an iq without an id (the SDK reads the id of every iq), nor one of an unknown type', async () => {
    const a = await online(alice, 'a');
    const b = await online(bob, 'b');
    b.framing.take();
    a.stream.onElement(xml('iq', { type: 'result', to: b.jid }));
    assert.deepEqual(b.framing.take(), []);
    assert.deepEqual(a.framing.take(), [], 'an id-less iq cannot be answered either');
    assert.equal(events.at(-1)?.detail, 'iq without an id');

    a.stream.onElement(xml('iq', { type: 'bogus', id: 'x1', to: b.jid }));
    assert.deepEqual(b.framing.take(), []);
    const error = a.framing.take().find((s) => s.attrs.id === 'x1');
    assert.equal(error?.attrs.type, 'error');
    assert.ok(error?.getChild('error')?.getChild('bad-request', NS.stanzas));
  });

  it('applies a presence-in privacy item to directed and broadcast presence, and probes', async () => {
    const a = await online(alice, 'a');
    const b = await online(bob, 'b');
    // Mutual subscription, so alice's broadcasts would normally reach bob.
    a.stream.onElement(xml('presence', { type: 'subscribe', to: bare(bob) }));
    b.stream.onElement(xml('presence', { type: 'subscribed', to: bare(alice) }));
    b.stream.onElement(xml('presence', { type: 'subscribe', to: bare(alice) }));
    a.stream.onElement(xml('presence', { type: 'subscribed', to: bare(bob) }));
    a.framing.take();
    b.framing.take();
    a.stream.onElement(xml('presence', {}, xml('status', {}, 'before')));
    assert.ok(b.framing.take().some((s) => s.is('presence') && s.getChildText('status') === 'before'), 'the control case reaches bob');

    const item = xml('item', { type: 'jid', value: bare(alice), action: 'deny', order: '1' }, xml('presence-in'));
    b.stream.onElement(xml('iq', { type: 'set', id: 'l1' }, xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: 'quiet' }, item))));
    b.stream.onElement(xml('iq', { type: 'set', id: 'l2' }, xml('query', { xmlns: NS_PRIVACY }, xml('active', { name: 'quiet' }))));
    b.framing.take();

    a.stream.onElement(xml('presence', {}, xml('status', {}, 'broadcast')));
    a.stream.onElement(xml('presence', { to: b.jid }, xml('status', {}, 'directed')));
    b.stream.onElement(xml('presence', { type: 'probe', to: bare(alice) }));
    const leaked = b.framing.take().filter((s) => s.is('presence') && s.attrs.from === a.jid);
    assert.deepEqual(leaked.map(String), []);
    // Bob's own presence still reaches alice: the item is about presence coming in to bob.
    b.stream.onElement(xml('presence', {}, xml('status', {}, 'from bob')));
    assert.ok(a.framing.take().some((s) => s.is('presence') && s.getChildText('status') === 'from bob'));
  });

  it('remembers directed presence only to existing users', async () => {
    const a = await online(alice, 'a');
    await online(bob, 'b');
    for (let i = 0; i < 20; i++) a.stream.onElement(xml('presence', { to: `${900000 + i}-${APP_ID}@${DOMAIN}` }));
    a.stream.onElement(xml('presence', { to: bare(bob) }));
    const session = router.resource(a.jid);
    assert.ok(session);
    assert.deepEqual([...resourceState(session).directed], [bare(bob)]);
  });
});
