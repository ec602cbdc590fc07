// Helpers for the XMPP integration tests: a server on loopback, stock @xmpp/client clients over TCP,
// RFC 7395 spoken by hand over `ws` (Node 20 has no global WebSocket; it is also Strophe's, the
// browser SDK's, wire form), and bounded waits for stanzas and server decisions.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import WebSocket from 'ws';
import { accessPolicy } from '../../src/server/access';
import type { ChatStore } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { startXmppServer, type StanzaDebugEvent, type XmppServer } from '../../src/server/xmpp';
import { silentLogger } from '../../src/shared/logger';
import { NS } from '../../src/shared/stanza';
import { plainXmppClient } from '../support/plainXmpp';

export const WAIT_MS = 5000;

export function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A WebSocket speaking the `xmpp` sub-protocol, frames queued in arrival order. */
export class FrameClient {
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  private readonly frames: string[] = [];
  private readonly waiters: ((frame: string) => void)[] = [];
  private readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url, 'xmpp');
    this.opened = within(new Promise((resolve) => this.ws.once('open', () => resolve())), 'websocket open');
    this.closed = within(new Promise((resolve) => this.ws.once('close', () => resolve())), 'websocket close');
    this.closed.catch(() => undefined);
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data) => {
      const frame = String(data);
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  send(frame: string): void {
    this.ws.send(frame);
  }

  next(): Promise<string> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return within(new Promise<string>((resolve) => this.waiters.push(resolve)), 'websocket frame');
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Frames until one matches; the others (presences, pushes the test does not look at) are skipped. */
export async function nextFrameMatching(ws: FrameClient, pattern: RegExp): Promise<string> {
  for (;;) {
    const frame = await ws.next();
    if (pattern.test(frame)) return frame;
  }
}

/** A real server on loopback (TCP and WebSocket) over an in-memory store. */
export interface TestXmpp {
  store: ChatStore;
  server: XmppServer;
  /** The HTTP port serving the WebSocket on /ws. */
  httpPort: number;
  close(): Promise<void>;
}

export async function startTestXmpp(domain: string, appId: number): Promise<TestXmpp> {
  const store = openSqliteChatStore();
  const http = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server = await startXmppServer({
    store,
    domain,
    appId,
    host: '127.0.0.1',
    tcpPort: 0,
    httpServer: http,
    access: accessPolicy({ listenHost: '127.0.0.1', corsOrigins: [] }),
    logger: silentLogger,
  });
  return {
    store,
    server,
    httpPort: (http.address() as AddressInfo).port,
    async close() {
      await server.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
    },
  };
}

/** A stock @xmpp/client over TCP, authenticating with PLAIN. */
export function tcpClient(server: XmppServer, domain: string, username: string, password: string, resource?: string): Client {
  const c = plainXmppClient({
    service: `xmpp://127.0.0.1:${server.tcpPort}`,
    domain,
    username,
    password,
    resource,
    timeout: WAIT_MS,
  });
  // Failures surface through start() and the waits; an unhandled 'error' event would throw.
  c.on('error', () => undefined);
  return c;
}

export function nextStanza(c: Client, match: (stanza: Element) => boolean, what = 'stanza'): Promise<Element> {
  let listener: ((stanza: Element) => void) | undefined;
  return within(
    new Promise<Element>((resolve) => {
      listener = (stanza: Element) => {
        if (match(stanza)) resolve(stanza);
      };
      c.on('stanza', listener);
    }),
    what,
  ).finally(() => listener && c.removeListener('stanza', listener));
}

export function nextEvent(server: XmppServer, match: (event: StanzaDebugEvent) => boolean): Promise<StanzaDebugEvent> {
  let off: (() => void) | undefined;
  return within(
    new Promise<StanzaDebugEvent>((resolve) => {
      off = server.onStanza((event) => {
        if (match(event)) resolve(event);
      });
    }),
    'server decision',
  ).finally(() => off?.());
}

/** A WebSocket client in Strophe's wire form, authenticated (PLAIN without authzid) and bound; no presence sent yet. */
export async function wsBound(httpPort: number, domain: string, username: string, password: string, resource: string): Promise<FrameClient> {
  const ws = new FrameClient(`ws://127.0.0.1:${httpPort}/ws`);
  await ws.opened;
  const open = `<open xmlns="${NS.framing}" to="${domain}" version="1.0"/>`;
  ws.send(open);
  await nextFrameMatching(ws, /<stream:features/);
  ws.send(`<auth xmlns="${NS.sasl}" mechanism="PLAIN">${Buffer.from(`\0${username}\0${password}`).toString('base64')}</auth>`);
  await nextFrameMatching(ws, /^<success /);
  ws.send(open);
  await nextFrameMatching(ws, /<stream:features/);
  ws.send(`<iq xmlns="${NS.client}" type="set" id="_bind_auth_2"><bind xmlns="${NS.bind}"><resource>${resource}</resource></bind></iq>`);
  await nextFrameMatching(ws, /<jid>/);
  return ws;
}
