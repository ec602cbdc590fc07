// The local server's XMPP side: c2s over TCP (the Node SDK) and WebSocket on the REST server's
// `/ws` (the browser SDK), both feeding one router. Features live in modules/, one per XEP.
import type { Server } from 'node:http';
import type { Logger } from '../../shared/logger';
import type { AccessPolicy } from '../access';
import type { ChatDelivery } from '../delivery';
import type { ChatStore } from '../store/chatStore';
import { resolveLimits, type XmppLimits } from './limits';
import { MODULES, NONZA_MODULES } from './modules';
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
  /** Overrides of DEFAULT_LIMITS (limits.ts). */
  limits?: Partial<XmppLimits>;
}

export interface XmppServer {
  readonly tcpPort: number;
  /** Delivers REST-created messages (send_to_chat=1, system=1) to online users. */
  readonly delivery: ChatDelivery;
  /** What the server decided for each stanza (routed, stored, rejected, …); returns the unsubscribe. */
  onStanza(listener: (event: StanzaDebugEvent) => void): () => void;
  close(): Promise<void>;
}

export async function startXmppServer(options: XmppServerOptions): Promise<XmppServer> {
  const { store, domain, appId, logger } = options;
  const limits = resolveLimits(options.limits);
  const router = new Router(logger);
  const host = router.host(domain);
  const moduleContext = { router, host, store, appId, logger };
  for (const load of MODULES) load(moduleContext);
  const delivery = chatDelivery(moduleContext);

  const nonzaHandlers = NONZA_MODULES.map((load) => load({ router, limits, logger }));
  const nonzas = new Map(nonzaHandlers.map((handler) => [handler.xmlns, handler]));
  const context: StreamContext = { router, store, domain, appId, logger, limits, nonzas };
  const streams = new LiveStreams(limits);
  const tcp = await listenTcp({ host: options.host, port: options.tcpPort, context, streams });
  const websocket = attachWebSocket({ httpServer: options.httpServer, access: options.access, context, streams });

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
        // After the live streams: what outlives a connection (hibernating sessions) ends last.
        for (const handler of nonzaHandlers) handler.close?.();
        await stopped;
        router.debug.removeAllListeners();
        logger.info('xmpp server closed');
      })();
      return closing;
    },
  };
}
