// GET /_local/stanzas: what the XMPP router decided for every stanza (stored, routed, rejected and
// why), streamed as Server-Sent Events, so the workbench's stanza console can show it beside the
// stanzas. It reveals every user's traffic, so it follows /_local/info.json's rules (Host and Origin
// checks, never CORS headers) and on top answers only connections from this machine.
//
// It streams, which the JSON routes of router.ts cannot, so it is a request listener in front of them.
// The router starts after the HTTP server: `connect` hands it over once it exists.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/logger';
import { LOCAL_STANZAS_PATH } from '../../shared/serverDecisionWire';
import type { AccessPolicy } from '../access';
import type { StanzaDebugEvent } from '../xmpp';

/** Where the decisions come from: XmppServer.onStanza. */
export interface StanzaDecisionSource {
  onStanza(listener: (event: StanzaDebugEvent) => void): () => void;
}

export interface LocalStanzasEndpoint {
  /** Answers GET /_local/stanzas and returns true; false for any other request. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  connect(source: StanzaDecisionSource): void;
}

/** A comment line now and then, so that proxies and the client notice a dead connection. */
const KEEPALIVE_MS = 15_000;
/** A client this far behind is dropped rather than buffered without bound; it reconnects. */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

export function localStanzasEndpoint(options: { access: AccessPolicy; logger: Logger }): LocalStanzasEndpoint {
  const { access, logger } = options;
  let source: StanzaDecisionSource | undefined;
  return {
    connect(next) {
      source = next;
    },
    serve(req, res) {
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path !== LOCAL_STANZAS_PATH) return false;
      const refusal = refusalOf(req, access);
      if (refusal) {
        logger.warn(`REST ${req.method} ${path} refused: ${refusal}`);
        writeError(res, 403, refusal);
      } else if (req.method !== 'GET') {
        writeError(res, 405, `${req.method} is not supported on ${path}; use GET.`);
      } else if (!source) {
        writeError(res, 503, 'The XMPP server is still starting; try again in a moment.');
      } else {
        stream(source, res, logger);
      }
      return true;
    },
  };
}

function refusalOf(req: IncomingMessage, access: AccessPolicy): string | undefined {
  const { host, origin } = req.headers;
  if (!access.allowsHost(host)) return `Host "${host ?? ''}" does not name this server (a guard against DNS rebinding).`;
  if (!access.allowsOrigin(origin)) return `Pages from ${origin ?? ''} may not call this server.`;
  if (!isLoopback(req.socket.remoteAddress)) return 'The stanza stream is served to this machine only.';
  return undefined;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

function stream(source: StanzaDecisionSource, res: ServerResponse, logger: Logger): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  // Says "connected" at once: a client knows the stream is up before the first decision.
  res.write(': decisions of the local XMPP router\n\n');
  const unsubscribe = source.onStanza((event) => {
    if (res.writableLength > MAX_BACKLOG_BYTES) {
      logger.warn(`${LOCAL_STANZAS_PATH}: a client fell ${res.writableLength} bytes behind; dropping it`);
      res.destroy();
      return;
    }
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  res.on('close', () => {
    clearInterval(keepalive);
    unsubscribe();
  });
}

function writeError(res: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ errors: [message] });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
