// Shared by the stream-level integration tests (xmpp-sm, xmpp-limits, xmpp-csi): a real XMPP server
// on loopback with chosen limits, and a raw wire client that speaks TCP (RFC 6120) or WebSocket
// (RFC 7395) by hand, so tests control exactly what is sent and when a connection drops.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Parser, type Element } from '@xmpp/xml';
import WebSocket from 'ws';
import { accessPolicy } from '../../src/server/access';
import { silentLogger } from '../../src/shared/logger';
import { NS } from '../../src/shared/stanza';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { startXmppServer, type XmppServer } from '../../src/server/xmpp';
import type { XmppLimits } from '../../src/server/xmpp/limits';

export const DOMAIN = 'localhost';
export const APP_ID = 1;
export const WAIT_MS = 5000;
export type Transport = 'tcp' | 'websocket';

export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface TestServer {
  store: ChatStore;
  server: XmppServer;
  httpPort: number;
  user(login: string): UserRecord;
  bare(user: UserRecord): string;
  close(): Promise<void>;
}

export async function startTestServer(limits: Partial<XmppLimits> = {}): Promise<TestServer> {
  const store = openSqliteChatStore();
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server = await startXmppServer({
    store,
    domain: DOMAIN,
    appId: APP_ID,
    host: '127.0.0.1',
    tcpPort: 0,
    httpServer: http,
    access: accessPolicy({ listenHost: '127.0.0.1', corsOrigins: [] }),
    logger: silentLogger,
    limits,
  });
  return {
    store,
    server,
    httpPort: (http.address() as AddressInfo).port,
    user: (login) => store.createUser({ login, password: `${login}-secret` }),
    bare: (user) => `${user.id}-${APP_ID}@${DOMAIN}`,
    async close() {
      await server.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
    },
  };
}

/** One connection, raw: elements in arrival order, a way to wait for one, and an abrupt drop. */
export class WireClient {
  readonly closed: Promise<void>;
  private readonly received: Element[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly ws: WebSocket | undefined;
  private readonly socket: Socket | undefined;
  private parser = new Parser();
  private readonly ready: Promise<void>;
  private ended = false;

  constructor(
    readonly transport: Transport,
    t: TestServer,
  ) {
    if (transport === 'websocket') {
      const ws = new WebSocket(`ws://127.0.0.1:${t.httpPort}/ws`, 'xmpp');
      this.ws = ws;
      ws.on('error', () => undefined);
      ws.on('message', (data) => this.frame(String(data)));
      this.ready = within(new Promise((resolve) => ws.once('open', () => resolve())), 'websocket open');
      this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    } else {
      const socket = connect(t.server.tcpPort, '127.0.0.1');
      this.socket = socket;
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      this.listen();
      socket.on('data', (text: string) => {
        try {
          this.parser.write(text);
        } catch {
          // The server's output is well-formed; a test that sends garbage only looks at the error.
        }
      });
      this.ready = within(new Promise((resolve) => socket.once('connect', () => resolve())), 'tcp connect');
      this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    }
    this.closed.then(() => {
      this.ended = true;
      this.wake();
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  connected(): Promise<void> {
    return this.ready;
  }

  /** Raw text: one element (WebSocket frame) or any bytes (TCP). */
  write(text: string): void {
    if (this.ws) this.ws.send(text);
    else this.socket?.write(text);
  }

  /** A stanza in the client namespace, which WebSocket frames must declare (RFC 7395 §3.3.3). */
  stanza(text: string): void {
    this.write(this.ws ? text.replace(/^<(message|presence|iq)\b/, `<$1 xmlns="${NS.client}"`) : text);
  }

  open(): void {
    if (this.ws) this.write(`<open xmlns="${NS.framing}" to="${DOMAIN}" version="1.0"/>`);
    else {
      this.parser = new Parser();
      this.listen();
      this.write(`<stream:stream xmlns="jabber:client" xmlns:stream="${NS.stream}" to="${DOMAIN}" version="1.0">`);
    }
  }

  /** Waits for the first received element matching `match` (removing it and everything before it). */
  async next(match: (element: Element) => boolean = () => true, what = 'element'): Promise<Element> {
    return within(
      new Promise<Element>((resolve, reject) => {
        const check = () => {
          const index = this.received.findIndex(match);
          if (index !== -1) {
            this.waiters.delete(check);
            resolve(this.received.splice(0, index + 1)[index]);
          } else if (this.ended) {
            this.waiters.delete(check);
            reject(new Error(`${what}: connection closed (got ${this.received.map(String).join(' ')})`));
          }
        };
        this.waiters.add(check);
        check();
      }),
      `${what} (got ${this.received.map(String).join(' ').slice(-400)})`,
    );
  }

  /** Everything received and not yet taken. */
  take(): Element[] {
    return this.received.splice(0);
  }

  /** Authenticates and restarts the stream; returns the post-auth features. */
  async authenticate(user: UserRecord, password = `${user.login}-secret`): Promise<Element> {
    await this.ready;
    this.open();
    await this.next((e) => e.name === 'stream:features', 'features');
    this.write(`<auth xmlns="${NS.sasl}" mechanism="PLAIN">${Buffer.from(`\0${user.id}-${APP_ID}\0${password}`).toString('base64')}</auth>`);
    await this.next((e) => e.name === 'success', 'sasl success');
    this.open();
    return this.next((e) => e.name === 'stream:features', 'post-auth features');
  }

  /** Authenticates, binds `resource` and sends the initial presence; returns the full JID. */
  async online(user: UserRecord, resource: string): Promise<string> {
    await this.authenticate(user);
    this.stanza(`<iq type="set" id="bind"><bind xmlns="${NS.bind}"><resource>${resource}</resource></bind></iq>`);
    const bound = await this.next((e) => e.name === 'iq' && e.attrs.id === 'bind', 'bind result');
    const jid = bound.getChild('bind')?.getChildText('jid');
    assert.ok(jid, `bound: ${bound.toString()}`);
    this.stanza('<presence/>');
    // A ping round trip: the presence was handled before the answer.
    this.stanza(`<iq type="get" id="after-presence" to="${DOMAIN}"><ping xmlns="${NS.ping}"/></iq>`);
    await this.next((e) => e.attrs.id === 'after-presence', 'ping result');
    return jid;
  }

  /** The connection disappears without a closing tag, as when a network drops. */
  drop(): void {
    this.ws?.terminate();
    this.socket?.destroy();
  }

  private listen(): void {
    this.parser.on('element', (element: Element) => this.push(element));
    this.parser.on('error', () => undefined);
  }

  private frame(text: string): void {
    const parser = new Parser();
    parser.on('element', (element: Element) => this.push(element));
    parser.on('error', () => undefined);
    try {
      parser.write(`<frame>${text}</frame>`);
    } catch {
      // Ignored as for TCP.
    }
  }

  private push(element: Element): void {
    element.parent = null;
    this.received.push(element);
    this.wake();
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
