// Follows the local server's stanza decisions (GET /_local/stanzas, Server-Sent Events) for the
// stanza console. Only a server on this machine offers the stream, so it is asked for only when the
// REST endpoint is loopback; a server without it (404) is left alone for good, a dropped stream is
// reopened with backoff until disposed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../shared/logger';
import { LOCAL_STANZAS_PATH, parseWireDecision, type WireDecision } from '../shared/serverDecisionWire';
import type { Disposable } from './contracts';
import { isLoopbackService } from './xmppSession';

export interface ServerDecisionsOptions {
  /** The REST base of the server, e.g. `http://127.0.0.1:8080/`. */
  restUrl: string;
  onDecision(decision: WireDecision): void;
  /** Whether the stream is up; the console says whether decisions are shown. */
  onLive(live: boolean): void;
  logger: Logger;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** Whether a REST endpoint is a server whose decisions can be followed (on this machine). */
export function offersServerDecisions(restUrl: string): boolean {
  return isLoopbackService(restUrl);
}

export function followServerDecisions(options: ServerDecisionsOptions): Disposable {
  const { logger } = options;
  const url = new URL(LOCAL_STANZAS_PATH, options.restUrl);
  let disposed = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let current: ReturnType<typeof httpRequest> | undefined;

  const retry = (why: string): void => {
    options.onLive(false);
    if (disposed) return;
    logger.debug(`server decisions: ${why}; retrying in ${retryMs} ms`);
    timer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  function open(): void {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // An attempt can fail twice (the response closes, then the request errors): retry once per attempt.
    let failed = false;
    const fail = (why: string): void => {
      if (failed) return;
      failed = true;
      retry(why);
    };
    current = request(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode === 404) {
        res.resume();
        logger.debug(`server decisions: ${url.origin} does not offer ${LOCAL_STANZAS_PATH}`);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        fail(`HTTP ${res.statusCode}`);
        return;
      }
      retryMs = FIRST_RETRY_MS;
      options.onLive(true);
      readEvents(res, (data) => {
        const decision = parseWireDecision(data);
        if (decision) options.onDecision(decision);
      });
      res.on('close', () => fail('the stream ended'));
    });
    current.on('error', (error) => fail(error.message));
    current.end();
  }

  open();
  return {
    dispose() {
      disposed = true;
      clearTimeout(timer);
      current?.destroy();
    },
  };
}

/** Calls `onData` with the `data:` payload of each event; comments (keepalives) are skipped. */
function readEvents(res: IncomingMessage, onData: (data: string) => void): void {
  res.setEncoding('utf8');
  let buffer = '';
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n');
      if (data) onData(data);
    }
  });
}
