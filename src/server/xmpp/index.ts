// The local server's XMPP side: c2s over TCP (the Node SDK) and WebSocket on the REST server's
// `/ws` (the browser SDK), both feeding one router. Features live in modules/, one per XEP.
import type { Server } from 'node:http';
import type { Logger } from '../../shared/logger';
import type { AccessPolicy } from '../access';
import type { ChatDelivery } from '../delivery';
import type { ChatStore } from '../store/chatStore';
import { MODULES } from './modules';
import { chatDelivery } from './modules/delivery';
import { Router, type StanzaDebugEvent } from './router';
import type { StreamContext } from './stream';
import { LiveStreams } from './transports/liveStreams';
import { listenTcp } from './transports/tcp';
import { attachWebSocket } from './transports/websocket';

export type { StanzaDebugEvent, StanzaDecision } from './router';

export interface XmppServerOptions {
  store: ChatStore;
  domain: string;
  appId: number;
  host: string;
  /** 0 picks a free port; see XmppServer.tcpPort. */
  tcpPort: number;
  /** WebSocket upgrades on path /ws are served on it. */
  httpServer: Server;
  /** Which Host names and browser origins may open the WebSocket. */
  access: AccessPolicy;
  logger: Logger;
  /** Larger stanzas end the stream with <policy-violation/>; default 256 KiB. */
  maxStanzaBytes?: number;
  /** Connections that have not authenticated this long after connecting are closed; default 30 s. */
  preAuthTimeoutMs?: number;
}

export interface XmppServer {
  readonly tcpPort: number;
  /** Delivers REST-created messages (send_to_chat=1, system=1) to online users. */
  readonly delivery: ChatDelivery;
  /** What the server decided for each stanza (routed, stored, rejected, …); returns the unsubscribe. */
  onStanza(listener: (event: StanzaDebugEvent) => void): () => void;
  close(): Promise<void>;
}

const DEFAULT_MAX_STANZA_BYTES = 256 * 1024;
const DEFAULT_PRE_AUTH_TIMEOUT_MS = 30_000;

export async function startXmppServer(options: XmppServerOptions): Promise<XmppServer> {
  const { store, domain, appId, logger } = options;
  const maxStanzaBytes = options.maxStanzaBytes ?? DEFAULT_MAX_STANZA_BYTES;
  const router = new Router(logger);
  const host = router.host(domain);
  const moduleContext = { router, host, store, appId, logger };
  for (const load of MODULES) load(moduleContext);
  const delivery = chatDelivery(moduleContext);

  const preAuthTimeoutMs = options.preAuthTimeoutMs ?? DEFAULT_PRE_AUTH_TIMEOUT_MS;
  const context: StreamContext = { router, store, domain, appId, logger, preAuthTimeoutMs };
  const streams = new LiveStreams();
  const tcp = await listenTcp({ host: options.host, port: options.tcpPort, maxStanzaBytes, context, streams });
  const websocket = attachWebSocket({ httpServer: options.httpServer, access: options.access, maxStanzaBytes, context, streams });

  let closing: Promise<void> | undefined;
  return {
    tcpPort: tcp.port,
    delivery,
    onStanza(listener) {
      router.debug.on('stanza', listener);
      return () => router.debug.off('stanza', listener);
    },
    close() {
      closing ??= (async () => {
        // Stop accepting first, then end the live streams; both listeners finish once those are gone.
        const stopped = Promise.all([tcp.close(), websocket.close()]);
        await streams.shutdown();
        await stopped;
        router.debug.removeAllListeners();
        logger.info('xmpp server closed');
      })();
      return closing;
    },
  };
}
