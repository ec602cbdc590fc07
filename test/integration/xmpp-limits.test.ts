// Bad input and limits end to end: one client floods and sends garbage (wrong namespaces, unknown
// elements, malformed XML, oversize stanzas, stanzas before authentication, a spoofed `from`) while two
// others keep chatting; each offence gets its stream or stanza error, the others see nothing of it,
// and their stored history is exactly what they sent. Then the connection limit per address.
import * as assert from 'node:assert/strict';
import { NS } from '../../src/shared/stanza';
import type { UserRecord } from '../../src/server/store/chatStore';
import { startTestServer, WireClient, type TestServer, type Transport } from './xmpp-sm-harness';

const streamError = (condition: string) => (e: { name: string; getChild(name: string, ns?: string): unknown }) =>
  e.name === 'stream:error' && Boolean(e.getChild(condition, NS.streams));
const SAVE = '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history></extraParams>';

describe('XMPP limits and bad input (integration)', function () {
  this.timeout(20000);
  let t: TestServer;
  let alice: UserRecord;
  let bob: UserRecord;
  let mallory: UserRecord;
  const opened: WireClient[] = [];
  const wire = (transport: Transport = 'tcp') => {
    const c = new WireClient(transport, t);
    opened.push(c);
    return c;
  };

  before(async () => {
    t = await startTestServer({ stanzaRatePerSecond: 20, stanzaBurst: 40, maxRateViolations: 30, maxStanzaBytes: 64 * 1024 });
    alice = t.user('alice');
    bob = t.user('bob');
    mallory = t.user('mallory');
  });
  after(async () => {
    for (const c of opened) c.drop();
    await t.close();
  });

  it('ends a flooding stream, answers each offence, and leaves the others chatting with their history intact', async () => {
    const a = wire('tcp');
    const b = wire('websocket');
    await a.online(alice, 'a');
    await b.online(bob, 'b');
    const flooder = wire('tcp');
    await flooder.online(mallory, 'flood');

    // A burst within the bucket is routed; the rest is refused with <resource-constraint/>, and a client
    // that keeps going loses its stream.
    let flood = '';
    for (let i = 0; i < 200; i++) flood += `<message to="${t.bare(bob)}" type="chat" id="flood-${i}"><body>spam ${i}</body></message>`;
    flooder.write(flood);
    const refused = await flooder.next((e) => e.attrs.type === 'error', 'rate error');
    assert.ok(refused.getChild('error')?.getChild('resource-constraint', NS.stanzas), refused.toString());
    assert.equal(refused.getChild('error')?.attrs.type, 'wait');
    await flooder.next(streamError('policy-violation'), 'policy-violation');
    await flooder.closed;

    const offences: [string, string, boolean][] = [
      ['wrong stanza namespace', `<message xmlns="jabber:server" to="${t.bare(bob)}"><body>x</body></message>`, true],
      ['unknown top-level element', '<foo xmlns="urn:example:unknown"/>', true],
      ['malformed XML', '<message><body>oops</message>', true],
      ['oversize stanza', `<message to="${t.bare(bob)}"><body>${'x'.repeat(100 * 1024)}</body></message>`, true],
      ['before authentication', `<message to="${t.bare(bob)}"><body>early</body></message>`, false],
    ];
    const expected = ['invalid-namespace', 'unsupported-stanza-type', 'not-well-formed', 'policy-violation', 'not-authorized'];
    for (const [index, [what, text, authenticated]] of offences.entries()) {
      const m = wire('tcp');
      if (authenticated) await m.online(mallory, `m${index}`);
      else {
        await m.connected();
        m.open();
        await m.next((e) => e.name === 'stream:features');
      }
      m.write(text);
      await m.next(streamError(expected[index]), what);
      await m.closed;
    }

    // A spoofed `from` is replaced by the sender's own JID.
    const spoofer = wire('tcp');
    const malloryJid = await spoofer.online(mallory, 'spoof');
    spoofer.stanza(`<message from="${t.bare(alice)}/a" to="${t.bare(bob)}" type="chat" id="spoofed"><body>I am alice</body></message>`);
    const spoofed = await b.next((e) => e.attrs.id === 'spoofed', 'spoofed message');
    assert.equal(spoofed.attrs.from, malloryJid);

    // Meanwhile alice and bob chat as usual, and everything they saved is stored, once, in order.
    for (let i = 0; i < 10; i++) {
      a.stanza(`<message to="${t.bare(bob)}" type="chat" id="hello-${i}"><body>hello ${i}</body>${SAVE}</message>`);
      const got = await b.next((e) => e.attrs.id === `hello-${i}`, `hello-${i}`);
      assert.equal(got.getChildText('body'), `hello ${i}`);
      b.stanza(`<message to="${t.bare(alice)}" type="chat" id="reply-${i}"><body>reply ${i}</body>${SAVE}</message>`);
      await a.next((e) => e.attrs.id === `reply-${i}`, `reply-${i}`);
    }
    const dialog = t.store.findPrivateDialog(alice.id, bob.id);
    assert.ok(dialog);
    const stored = t.store.listMessages(dialog.id, { limit: 100, skip: 0 });
    const bodies = stored.map((m) => m.body).sort();
    const sent = Array.from({ length: 10 }, (_, i) => [`hello ${i}`, `reply ${i}`]).flat().sort();
    assert.deepEqual(bodies, sent);
    assert.equal(t.store.findPrivateDialog(mallory.id, bob.id), undefined, 'nothing of the flood was stored');
    assert.ok(!b.isClosed && !a.isClosed);
  });

  it('refuses connections over the per-address limit with <policy-violation/> and admits again once one closes', async () => {
    const limited = await startTestServer({ maxConnectionsPerIp: 3 });
    const clients: WireClient[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const c = new WireClient(i % 2 ? 'websocket' : 'tcp', limited);
        clients.push(c);
        await c.connected();
        c.open();
        await c.next((e) => e.name === 'stream:features');
      }
      const over = new WireClient('tcp', limited);
      clients.push(over);
      await over.next(streamError('policy-violation'), 'connection refused');
      await over.closed;
      clients[0].drop();
      await clients[0].closed;
      // The server counts the close when its side of the socket is gone; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = new WireClient('websocket', limited);
      clients.push(again);
      await again.connected();
      again.open();
      await again.next((e) => e.name === 'stream:features', 'admitted again');
    } finally {
      for (const c of clients) c.drop();
      await limited.close();
    }
  });
});
