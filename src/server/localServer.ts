// The whole local server in one call: store, REST on node:http (node:https with TLS, which also carries
// the XMPP WebSocket at /ws) and XMPP over TCP. Used by the CLI, the extension and the tests alike.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mucDomainOf } from '../shared/jid';
import { LOCAL_DEFAULTS, type LocalServerInfo } from '../shared/localServer';
import { silentLogger, type Logger } from '../shared/logger';
import { accessPolicy } from './access';
import { deliveryRelay } from './delivery';
import { seedDemo } from './demo';
import { createRestHandler } from './rest';
import { localStanzasEndpoint } from './rest/localStanzas';
import { SESSION_TTL_MS, type ChatStore } from './store/chatStore';
import { openSqliteChatStore } from './store/sqliteChatStore';
import { loadTls, type TlsOption } from './tls';
import { startXmppServer, type XmppServer } from './xmpp';
import type { XmppLimits } from './xmpp/limits';

export interface LocalServerOptions {
  host?: string;
  /** 0 picks a free port; the info reports the actual one. */
  httpPort?: number;
  xmppPort?: number;
  domain?: string;
  /** SQLite file; ignored when memory is set. One server per file. */
  dataPath?: string;
  memory?: boolean;
  /** Fill an empty store with demo users, dialogs and history. */
  demo?: boolean;
  appId?: number;
  authKey?: string;
  authSecret?: string;
  apiKey?: string;
  /** Browser origins allowed besides loopback pages and VS Code webviews (--cors-origin). */
  corsOrigins?: readonly string[];
  /** Serve HTTPS and WSS (XMPP over TCP stays plain): the given PEM files, or a self-signed certificate. */
  tls?: TlsOption;
  /** Overrides of the XMPP limits (xmpp/limits.ts, README "XMPP limits"). */
  xmppLimits?: Partial<XmppLimits>;
  logger?: Logger;
}

export interface RunningLocalServer {
  info: LocalServerInfo;
  store: ChatStore;
  /** Stops accepting, ends XMPP streams, closes the store; safe to call more than once. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startLocalServer(options: LocalServerOptions): Promise<RunningLocalServer> {
  const host = options.host ?? LOCAL_DEFAULTS.host;
  const domain = options.domain ?? LOCAL_DEFAULTS.domain;
  const appId = options.appId ?? LOCAL_DEFAULTS.appId;
  const authKey = options.authKey ?? LOCAL_DEFAULTS.authKey;
  const authSecret = options.authSecret ?? LOCAL_DEFAULTS.authSecret;
  const apiKey = options.apiKey ?? LOCAL_DEFAULTS.apiKey;
  const logger = options.logger ?? silentLogger;
  if (!options.memory && !options.dataPath) throw new Error('startLocalServer needs dataPath, or memory: true');

  const access = accessPolicy({ listenHost: host, corsOrigins: options.corsOrigins ?? [] });
  // Before the store opens: a bad certificate path fails fast and leaves no lock behind.
  const tls = options.tls && loadTls(options.tls, { dataPath: options.memory ? undefined : options.dataPath, listenHost: host, logger });
  const store = openSqliteChatStore({ path: options.memory ? undefined : options.dataPath });
  let httpServer: Server | undefined;
  let xmpp: XmppServer | undefined;
  try {
    const demoUsers = options.demo ? seedDemo(store, logger) : undefined;
    let info: LocalServerInfo | undefined;
    // REST hands send_to_chat / system messages to XMPP, which starts after the handler exists.
    const delivery = deliveryRelay();
    const handler = createRestHandler({
      store,
      appId,
      authKey,
      authSecret,
      apiKey,
      domain,
      logger,
      info: () => {
        if (!info) throw new Error('The server info is not known before it listens');
        return info;
      },
      now: Date.now,
      sessionTtlMs: SESSION_TTL_MS,
      maxBodyBytes: MAX_BODY_BYTES,
      access,
      delivery,
    });
    // The stanza decision stream answers its own path; every other request goes to the REST routes.
    const stanzas = localStanzasEndpoint({ access, logger });
    const listener: typeof handler = (req, res) => {
      if (!stanzas.serve(req, res)) handler(req, res);
    };
    httpServer = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
    const httpPort = await listen(httpServer, host, options.httpPort ?? LOCAL_DEFAULTS.httpPort);
    xmpp = await startXmppServer({
      store,
      domain,
      appId,
      host,
      tcpPort: options.xmppPort ?? LOCAL_DEFAULTS.xmppPort,
      httpServer,
      access,
      logger,
      limits: options.xmppLimits,
    });
    delivery.connect(xmpp.delivery);
    stanzas.connect(xmpp);
    const hostInUrl = host.includes(':') ? `[${host}]` : host;
    info = {
      rest: `${tls ? 'https' : 'http'}://${hostInUrl}:${httpPort}/`,
      websocket: `${tls ? 'wss' : 'ws'}://${hostInUrl}:${httpPort}/ws`,
      xmpp: `xmpp://${hostInUrl}:${xmpp.tcpPort}`,
      domain,
      muc: mucDomainOf(domain),
      appId,
      authKey,
      authSecret,
      apiKey,
      ...(demoUsers && { demoUsers }),
      ...(tls && { tls: { cert: tls.certPath } }),
    };
    logger.info(`local server listening: REST ${info.rest}, XMPP ${info.xmpp}, domain ${domain}`);
    const running = { info, store, close: once(() => shutdown(httpServer, xmpp, store, logger)) };
    return running;
  } catch (error) {
    await shutdown(httpServer, xmpp, store, logger);
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is already in use. Stop the other server or pick another --http-port (0 = any free port).`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function shutdown(httpServer: Server | undefined, xmpp: XmppServer | undefined, store: ChatStore, logger: Logger): Promise<void> {
  // Stop taking requests first, then end the XMPP streams, then flush and release the database.
  const httpClosed = httpServer?.listening
    ? new Promise<void>((resolve) => httpServer.close(() => resolve()))
    : Promise.resolve();
  httpServer?.closeIdleConnections();
  try {
    await xmpp?.close();
  } finally {
    httpServer?.closeAllConnections();
    await httpClosed;
    store.close();
    logger.info('local server stopped');
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
