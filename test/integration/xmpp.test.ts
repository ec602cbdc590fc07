// The XMPP server end to end on loopback: real TCP and WebSocket listeners, the real SQLite store in
// memory, stock @xmpp/client clients for TCP and RFC 7395 spoken by hand over `ws` (Node 20 has no
// global WebSocket). Every wait is bounded; after() closes everything it opened.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { accessPolicy } from '../../src/server/access';
import { silentLogger } from '../../src/shared/logger';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { startXmppServer, type StanzaDebugEvent, type XmppServer } from '../../src/server/xmpp';
import { FrameClient, nextFrameMatching, WAIT_MS, within } from './xmppHarness';
import { userPeer } from '../support/plainXmpp';

const DOMAIN = 'localhost';
const APP_ID = 1;

describe('XMPP server (integration)', function () {
  this.timeout(20000);

  let store: ChatStore;
  let http: Server;
  let server: XmppServer;
  let alice: UserRecord;
  let bob: UserRecord;
  let carol: UserRecord;
  const clients: Client[] = [];
  const sockets: { close(): void }[] = [];

  const login = (user: UserRecord) => `${user.id}-${APP_ID}`;
  const bare = (user: UserRecord) => `${login(user)}@${DOMAIN}`;

  before(async () => {
    store = openSqliteChatStore();
    alice = store.createUser({ login: 'alice', password: 'alice-secret' });
    bob = store.createUser({ login: 'bob', password: 'bob-secret' });
    carol = store.createUser({ login: 'carol', password: 'carol-secret' });
    http = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    server = await startXmppServer({
      store,
      domain: DOMAIN,
      appId: APP_ID,
      host: '127.0.0.1',
      tcpPort: 0,
      httpServer: http,
      access: accessPolicy({ listenHost: '127.0.0.1', corsOrigins: [] }),
      logger: silentLogger,
    });
  });

  after(async () => {
    for (const c of clients) await within(c.stop(), 'client stop').catch(() => undefined);
    for (const s of sockets) s.close();
    await server?.close();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
    store?.close();
  });

  function xmppClient(user: UserRecord, password: string, resource?: string): Client {
    const c = userPeer({ service: `xmpp://127.0.0.1:${server.tcpPort}`, domain: DOMAIN, appId: APP_ID, userId: user.id, password, resource, timeout: WAIT_MS });
    clients.push(c);
    return c;
  }

  /** Starts the client, sends the initial presence and waits until the server has made it available. */
  async function online(user: UserRecord, password: string, resource?: string): Promise<{ c: Client; jid: string }> {
    const c = xmppClient(user, password, resource);
    const jid = (await within(c.start(), `${user.login} start`)).toString();
    c.reconnect.stop();
    const available = nextEvent((e) => e.session === jid && e.detail === 'available');
    await c.send(xml('presence'));
    await available;
    return { c, jid };
  }

  function nextEvent(match: (event: StanzaDebugEvent) => boolean): Promise<StanzaDebugEvent> {
    return within(
      new Promise<StanzaDebugEvent>((resolve) => {
        const off = server.onStanza((event) => {
          if (!match(event)) return;
          off();
          resolve(event);
        });
      }),
      'server decision',
    );
  }

  function nextStanza(c: Client, match: (stanza: Element) => boolean): Promise<Element> {
    return within(
      new Promise<Element>((resolve) => {
        const listener = (stanza: Element) => {
          if (!match(stanza)) return;
          c.removeListener('stanza', listener);
          resolve(stanza);
        };
        c.on('stanza', listener);
      }),
      'stanza',
    );
  }

  let a: { c: Client; jid: string };
  let b: { c: Client; jid: string };

  it('authenticates two TCP clients with SASL PLAIN and binds generated resources', async () => {
    a = await online(alice, 'alice-secret');
    b = await online(bob, 'bob-secret');
    assert.match(a.jid, new RegExp(`^${bare(alice)}/.+`));
    assert.match(b.jid, new RegExp(`^${bare(bob)}/.+`));
  });

  it('answers the roster request with a <query/>', async () => {
    const query = await a.c.iqCaller.get(xml('query', { xmlns: NS.roster }));
    assert.ok(query.is('query', NS.roster));
  });

  it('answers ping and disco#info on the domain', async () => {
    await a.c.iqCaller.get(xml('ping', { xmlns: NS.ping }), DOMAIN);
    const info = await a.c.iqCaller.get(xml('query', { xmlns: NS.discoInfo }), DOMAIN);
    const features = info.getChildren('feature').map((f) => f.attrs.var);
    for (const feature of [NS.discoInfo, NS.ping]) assert.ok(features.includes(feature), feature);
  });

  it('routes a chat message with from = sender full JID and the same id, without storing it', async () => {
    const arrived = nextStanza(b.c, (s) => s.is('message') && s.attrs.id === 'plain-1');
    await a.c.send(xml('message', { to: bare(bob), type: 'chat', id: 'plain-1' }, xml('body', {}, 'hello bob')));
    const message = await arrived;
    assert.equal(message.attrs.from, a.jid);
    assert.equal(message.getChildText('body'), 'hello bob');
    assert.equal(message.getChild('extraParams'), undefined);
  });

  it('stores a save_to_history message and adds message_id, date_sent and dialog_id to the routed copy', async () => {
    const id = newObjectId();
    const arrived = nextStanza(b.c, (s) => s.is('message') && s.attrs.id === id);
    await a.c.send(
      xml(
        'message',
        { to: bare(bob), type: 'chat', id },
        xml('body', {}, 'saved hello'),
        xml('markable', { xmlns: NS.markers }),
        xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'), xml('custom_param', {}, 'cp1')),
      ),
    );
    const message = await arrived;
    assert.equal(message.attrs.from, a.jid);
    const { params } = readExtraParams(message);
    assert.equal(params.message_id, id);
    assert.ok(Math.abs(Number(params.date_sent) - Date.now() / 1000) < 10);
    assert.equal(params.dialog_id, store.findPrivateDialog(alice.id, bob.id)?.id);
    const [stored] = store.listMessages(params.dialog_id, { limit: 10, skip: 0 });
    assert.equal(stored.id, id);
    assert.equal(stored.body, 'saved hello');
    assert.equal(stored.senderId, alice.id);
    assert.equal(stored.customParams.custom_param, 'cp1');
  });

  it('answers a message to an unknown user with <service-unavailable/> and the original id', async () => {
    const bounced = nextStanza(a.c, (s) => s.is('message') && s.attrs.type === 'error');
    await a.c.send(xml('message', { to: `999999-${APP_ID}@${DOMAIN}`, type: 'chat', id: 'nobody-1' }, xml('body', {}, 'hi')));
    const error = await bounced;
    assert.equal(error.attrs.id, 'nobody-1');
    assert.ok(error.getChild('error')?.getChild('service-unavailable', NS.stanzas));
  });

  it('reports a message to an offline user as queued offline and stores it when asked', async () => {
    const dropped = nextEvent((e) => e.decision === 'queued');
    const id = newObjectId();
    await a.c.send(
      xml(
        'message',
        { to: bare(carol), type: 'chat', id },
        xml('body', {}, 'are you there?'),
        xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1')),
      ),
    );
    assert.equal((await dropped).session, a.jid);
    assert.equal(store.getMessage(id)?.body, 'are you there?');
  });

  it('rejects a wrong password with not-authorized and the real server\'s text', async () => {
    const c = xmppClient(alice, 'wrong-password');
    c.reconnect.stop();
    await assert.rejects(within(c.start(), 'failing start'), (error: Error & { condition?: string; text?: string }) => {
      assert.equal(error.condition, 'not-authorized');
      assert.equal(error.text, 'Password not verified');
      return true;
    });
  });

  it('serves RFC 7395 WebSocket clients, which get chat to the bare JID next to the TCP resource', async () => {
    const port = (http.address() as AddressInfo).port;
    const ws = new FrameClient(`ws://127.0.0.1:${port}/ws`);
    sockets.push(ws);
    await ws.opened;
    assert.equal(ws.protocol, 'xmpp');

    ws.send(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    assert.match(await ws.next(), new RegExp(`^<open [^>]*xmlns="${NS.framing}"[^>]*version="1.0"`));
    assert.match(await ws.next(), /^<stream:features[^>]*><mechanisms[^>]*><mechanism>PLAIN<\/mechanism>/);
    // Strophe's form: no authzid.
    ws.send(`<auth xmlns="${NS.sasl}" mechanism="PLAIN">${Buffer.from(`\0${login(bob)}\0bob-secret`).toString('base64')}</auth>`);
    assert.match(await ws.next(), /^<success /);
    ws.send(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    assert.match(await ws.next(), /^<open /);
    assert.match(await ws.next(), /<bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"\/><session /);
    ws.send(`<iq xmlns="${NS.client}" type="set" id="_bind_auth_2"><bind xmlns="${NS.bind}"><resource>browser</resource></bind></iq>`);
    assert.match(await ws.next(), new RegExp(`<jid>${bare(bob)}/browser</jid>`));
    const available = nextEvent((e) => e.session === `${bare(bob)}/browser` && e.detail === 'available');
    ws.send(`<presence xmlns="${NS.client}"/>`);
    await available;

    const tcpCopy = nextStanza(b.c, (s) => s.attrs.id === 'fanout-1');
    await a.c.send(xml('message', { to: bare(bob), type: 'chat', id: 'fanout-1' }, xml('body', {}, 'to all of bob')));
    // Presences (its own, echoed; bob's other resource) come first (RFC 6121 §4.2.2).
    const frame = await nextFrameMatching(ws, /^<message /);
    assert.match(frame, /^<message [^>]*xmlns="jabber:client"/);
    assert.match(frame, /id="fanout-1"/);
    assert.match(frame, /<body>to all of bob<\/body>/);
    await tcpCopy;

    ws.send(`<close xmlns="${NS.framing}"/>`);
    assert.match(await nextFrameMatching(ws, /^<(close|message) /), /^<close /);
    await ws.closed;
  });

  /** A WebSocket client (Strophe's wire form) logged in, bound and available. */
  async function wsOnline(user: UserRecord, password: string, resource: string): Promise<FrameClient> {
    const port = (http.address() as AddressInfo).port;
    const ws = new FrameClient(`ws://127.0.0.1:${port}/ws`);
    sockets.push(ws);
    await ws.opened;
    ws.send(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    await ws.next();
    await ws.next();
    ws.send(`<auth xmlns="${NS.sasl}" mechanism="PLAIN">${Buffer.from(`\0${login(user)}\0${password}`).toString('base64')}</auth>`);
    assert.match(await ws.next(), /^<success /);
    ws.send(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    await ws.next();
    await ws.next();
    ws.send(`<iq xmlns="${NS.client}" type="set" id="b"><bind xmlns="${NS.bind}"><resource>${resource}</resource></bind></iq>`);
    await ws.next();
    const available = nextEvent((e) => e.session === `${bare(user)}/${resource}` && e.detail === 'available');
    ws.send(`<presence xmlns="${NS.client}"/>`);
    await available;
    return ws;
  }

  it('answers a message the server fails on with <internal-server-error/> on TCP and WebSocket, and keeps both streams', async () => {
    const ws = await wsOnline(carol, 'carol-secret', 'tab');
    const getUser = store.getUser.bind(store);
    store.getUser = () => {
      throw new Error('simulated store failure');
    };
    try {
      const tcpError = nextStanza(a.c, (s) => s.attrs.id === 'fails-tcp' && s.attrs.type === 'error');
      await a.c.send(xml('message', { to: bare(bob), type: 'chat', id: 'fails-tcp' }, xml('body', {}, 'x')));
      assert.ok((await tcpError).getChild('error')?.getChild('internal-server-error', NS.stanzas));
      ws.send(`<message xmlns="${NS.client}" to="${bare(bob)}" type="chat" id="fails-ws"><body>x</body></message>`);
      const frame = await nextFrameMatching(ws, /id="fails-ws"/);
      assert.match(frame, /type="error"/);
      assert.match(frame, /id="fails-ws"/);
      assert.match(frame, /<internal-server-error /);
    } finally {
      store.getUser = getUser;
    }
    const arrived = nextStanza(b.c, (s) => s.attrs.id === 'after-failure');
    await a.c.send(xml('message', { to: bare(bob), type: 'chat', id: 'after-failure' }, xml('body', {}, 'still here')));
    await arrived;
    ws.send(`<message xmlns="${NS.client}" to="${bare(bob)}" type="chat" id="after-failure-ws"><body>me too</body></message>`);
    await nextStanza(b.c, (s) => s.attrs.id === 'after-failure-ws');
  });

  it('answers an upgrade to another path with 404, and a foreign page’s /ws upgrade with 403', async () => {
    const port = (http.address() as AddressInfo).port;
    const upgrade = (path: string, extra = '') =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n${extra}\r\n`;
    for (const [request, status, refused] of [
      [upgrade('/other'), /^HTTP\/1.1 404 /, true],
      [upgrade('/ws', 'Origin: https://evil.example\r\n'), /^HTTP\/1.1 403 /, true],
      [upgrade('/ws', `Origin: http://localhost:${port}\r\n`), /^HTTP\/1.1 101 /, false],
    ] as const) {
      const raw = new RawTcp(port);
      sockets.push(raw);
      await raw.connected;
      raw.write(request);
      await raw.waitFor(status);
      // A refused upgrade is closed by the server; the accepted one is closed here.
      if (refused) await raw.closed;
      raw.close();
    }
  });

  it('ends a WebSocket stream whose frame holds two elements with <not-well-formed/>', async () => {
    const port = (http.address() as AddressInfo).port;
    const ws = new FrameClient(`ws://127.0.0.1:${port}/ws`);
    sockets.push(ws);
    await ws.opened;
    ws.send(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    await ws.next();
    await ws.next();
    ws.send(`<presence xmlns="${NS.client}"/><presence xmlns="${NS.client}"/>`);
    assert.match(await ws.next(), /^<stream:error xmlns:stream="http:\/\/etherx.jabber.org\/streams"><not-well-formed /);
    assert.match(await ws.next(), /^<close /);
    await ws.closed;
  });

  it('ends a malformed stream with <not-well-formed/> and keeps the other users connected', async () => {
    const raw = new RawTcp(server.tcpPort);
    sockets.push(raw);
    await raw.connected;
    // Whitespace around the XML declaration is legal and must not count as malformed.
    raw.write(`\n<?xml version='1.0'?>\n<stream:stream xmlns="jabber:client" xmlns:stream="${NS.stream}" to="${DOMAIN}" version="1.0">`);
    await raw.waitFor(/<\/stream:features>/);
    raw.write('<message><body>oops</message>');
    await raw.waitFor(/<stream:error><not-well-formed xmlns="urn:ietf:params:xml:ns:xmpp-streams"\/>/);
    await raw.closed;

    const arrived = nextStanza(b.c, (s) => s.attrs.id === 'after-malformed');
    await a.c.send(xml('message', { to: bare(bob), type: 'chat', id: 'after-malformed' }, xml('body', {}, 'still here')));
    await arrived;
  });

  it('refuses stanzas before authentication with <not-authorized/> and oversize stanzas with <policy-violation/>', async () => {
    const early = new RawTcp(server.tcpPort);
    sockets.push(early);
    await early.connected;
    early.write(`<stream:stream xmlns="jabber:client" xmlns:stream="${NS.stream}" to="${DOMAIN}" version="1.0">`);
    early.write(`<message to="${bare(bob)}" type="chat"><body>sneaky</body></message>`);
    await early.waitFor(/<stream:error><not-authorized /);
    await early.closed;

    const big = new RawTcp(server.tcpPort);
    sockets.push(big);
    await big.connected;
    big.write(`<stream:stream xmlns="jabber:client" xmlns:stream="${NS.stream}" to="${DOMAIN}" version="1.0">`);
    big.write(`<message><body>${'x'.repeat(300 * 1024)}</body></message>`);
    await big.waitFor(/<stream:error><policy-violation /);
    await big.closed;
  });
});

/** A TCP connection that collects what the server writes. */
class RawTcp {
  readonly connected: Promise<void>;
  readonly closed: Promise<void>;
  private received = '';
  private readonly socket: Socket;
  private readonly waiters = new Set<() => void>();

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.connected = within(new Promise((resolve) => this.socket.once('connect', () => resolve())), 'tcp connect');
    this.closed = within(new Promise((resolve) => this.socket.once('close', () => resolve())), 'tcp close');
    this.closed.catch(() => undefined);
    this.socket.setEncoding('utf8');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (data: string) => {
      this.received += data;
      for (const wake of this.waiters) wake();
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  waitFor(pattern: RegExp): Promise<void> {
    return within(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!pattern.test(this.received)) return;
          this.waiters.delete(check);
          resolve();
        };
        this.waiters.add(check);
        check();
      }),
      `server output matching ${pattern} (got ${this.received.slice(-300)})`,
    );
  }

  close(): void {
    this.socket.destroy();
  }
}
