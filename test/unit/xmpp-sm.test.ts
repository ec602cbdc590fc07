// Stream management and client state indication behind the stream, without sockets: a recording
// framing, the real router and store. What only the server sees: 'session-lost' with the stanzas the
// client never acknowledged, and what CSI holds back while the client is inactive.
import * as assert from 'node:assert/strict';
import { xml, type Element } from '@xmpp/xml';
import { silentLogger } from '../../src/shared/logger';
import { NS } from '../../src/shared/stanza';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { resolveLimits, TokenBucket, type XmppLimits } from '../../src/server/xmpp/limits';
import { MODULES, NONZA_MODULES } from '../../src/server/xmpp/modules';
import { deferrableKey, NS_CSI } from '../../src/server/xmpp/modules/csi';
import { NS_SM } from '../../src/server/xmpp/modules/sm';
import { Router } from '../../src/server/xmpp/router';
import { XmppStream, type Framing, type NonzaHandler } from '../../src/server/xmpp/stream';

const DOMAIN = 'localhost';

class RecordingFraming implements Framing {
  readonly kind = 'tcp';
  readonly sent: Element[] = [];
  closed = false;
  open(): void {}
  send(element: Element): void {
    this.sent.push(element);
  }
  restart(): void {}
  close(): void {
    this.closed = true;
  }
  take(): Element[] {
    return this.sent.splice(0);
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), what);
}

describe('xmpp stream management and CSI', () => {
  let store: ChatStore;
  let router: Router;
  let handlers: NonzaHandler[];
  let limits: XmppLimits;
  let alice: UserRecord;
  let bob: UserRecord;

  beforeEach(() => {
    store = openSqliteChatStore();
    alice = store.createUser({ login: 'alice', password: 'secret-1' });
    bob = store.createUser({ login: 'bob', password: 'secret-1' });
    router = new Router(silentLogger);
    const host = router.host(DOMAIN);
    for (const load of MODULES) load({ router, host, store, appId: 1, logger: silentLogger });
    limits = resolveLimits({ smHibernationMs: 50, smAckEvery: 100 });
    handlers = NONZA_MODULES.map((load) => load({ router, limits, logger: silentLogger }));
  });
  afterEach(() => {
    for (const handler of handlers) handler.close?.();
    store.close();
  });

  async function bound(user: UserRecord, resource: string): Promise<{ stream: XmppStream; framing: RecordingFraming }> {
    const framing = new RecordingFraming();
    const nonzas = new Map(handlers.map((handler) => [handler.xmlns, handler]));
    const stream = new XmppStream(framing, { router, store, domain: DOMAIN, appId: 1, logger: silentLogger, limits, nonzas });
    stream.onOpen({ to: DOMAIN, version: '1.0' });
    stream.onElement(xml('auth', { xmlns: NS.sasl, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-1\0secret-1`).toString('base64')));
    await until(() => framing.sent.some((e) => e.name === 'success'), 'authenticated');
    stream.onOpen({ to: DOMAIN, version: '1.0' });
    stream.onElement(xml('iq', { type: 'set', id: 'b' }, xml('bind', { xmlns: NS.bind }, xml('resource', {}, resource))));
    stream.onElement(xml('presence'));
    framing.take();
    return { stream, framing };
  }

  const chat = (to: UserRecord, body: string) => xml('message', { to: `${to.id}-1@${DOMAIN}`, type: 'chat', id: body }, xml('body', {}, body));

  it("emits 'session-lost' with the unacknowledged stanzas when a resumable session is not resumed in time", async () => {
    const a = await bound(alice, 'phone');
    const b = await bound(bob, 'desk');
    a.stream.onElement(xml('enable', { xmlns: NS_SM, resume: 'true' }));
    assert.equal(a.framing.take()[0].name, 'enabled');
    const lost: [string, Element[]][] = [];
    router.lifecycle.on('session-lost', (bare, unacked) => lost.push([bare, unacked]));

    for (const body of ['one', 'two', 'three']) b.stream.onElement(chat(alice, body));
    a.stream.onElement(xml('a', { xmlns: NS_SM, h: '1' }));
    a.stream.onDisconnect();
    b.stream.onElement(chat(alice, 'four'));
    assert.equal(router.resource(`${alice.id}-1@${DOMAIN}/phone`)?.jid, `${alice.id}-1@${DOMAIN}/phone`, 'still bound while hibernating');
    await until(() => lost.length > 0, 'session lost after the hibernation time');
    assert.equal(lost[0][0], `${alice.id}-1@${DOMAIN}`);
    assert.deepEqual(
      lost[0][1].map((e) => e.getChildText('body')),
      ['two', 'three', 'four'],
    );
    assert.equal(router.resource(`${alice.id}-1@${DOMAIN}/phone`), undefined, 'unbound once lost');
  });

  it("emits 'session-lost' at once when a session without resumption closes with unacknowledged stanzas", async () => {
    const a = await bound(alice, 'tab');
    const b = await bound(bob, 'desk');
    a.stream.onElement(xml('enable', { xmlns: NS_SM }));
    const lost: Element[][] = [];
    router.lifecycle.on('session-lost', (_bare, unacked) => lost.push(unacked));
    b.stream.onElement(chat(alice, 'unseen'));
    a.stream.onDisconnect();
    assert.deepEqual(lost.map((u) => u.map((e) => e.getChildText('body'))), [['unseen']]);
  });

  it('answers an ack for more than was sent with <undefined-condition/>', async () => {
    const a = await bound(alice, 'tab');
    a.stream.onElement(xml('enable', { xmlns: NS_SM }));
    a.stream.onElement(xml('a', { xmlns: NS_SM, h: '5' }));
    assert.ok(a.framing.sent.some((e) => e.name === 'stream:error' && e.getChild('undefined-condition')));
    assert.ok(a.stream.closed);
  });

  it('holds presence and chat states back while inactive, passes messages, and flushes the latest on active', async () => {
    const a = await bound(alice, 'tab');
    const b = await bound(bob, 'desk');
    a.stream.onElement(xml('inactive', { xmlns: NS_CSI }));
    const link = a.stream.sessionLink;
    assert.ok(link);
    const bobJid = `${bob.id}-1@${DOMAIN}/desk`;
    link.session.send(xml('presence', { from: bobJid }, xml('show', {}, 'away')));
    link.session.send(xml('presence', { from: bobJid }, xml('show', {}, 'dnd')));
    b.stream.onElement(xml('message', { to: `${alice.id}-1@${DOMAIN}`, type: 'chat' }, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })));
    b.stream.onElement(chat(alice, 'urgent'));
    assert.deepEqual(
      a.framing.take().map((e) => e.name + ':' + (e.getChildText('body') ?? '')),
      ['message:urgent'],
    );
    a.stream.onElement(xml('active', { xmlns: NS_CSI }));
    const flushed = a.framing.take();
    assert.deepEqual(
      flushed.map((e) => e.name),
      ['presence', 'message'],
    );
    assert.equal(flushed[0].getChildText('show'), 'dnd', 'only the latest presence of a sender');
  });

  it('tells what CSI may defer', () => {
    assert.equal(deferrableKey(xml('presence', { from: 'x@localhost/r' })), 'presence x@localhost/r');
    assert.equal(deferrableKey(xml('presence', { from: 'x@localhost/r', type: 'subscribe' })), undefined);
    assert.equal(deferrableKey(xml('message', { from: 'x', type: 'chat' }, xml('body', {}, 'hi'))), undefined);
    assert.equal(deferrableKey(xml('message', { from: 'x', type: 'chat' }, xml('paused', { xmlns: 'http://jabber.org/protocol/chatstates' }))), 'chatstate x');
  });

  it('refills the token bucket at its rate, up to its burst', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    now += 100;
    assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
    now += 10_000;
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  });
});
