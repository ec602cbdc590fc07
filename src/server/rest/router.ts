// The HTTP entry point: the access policy (Host and Origin), CORS, route lookup, body and parameters,
// authentication on demand, answers of cacheable routes given again while no data changed
// (responseCache.ts), and one JSON writer for every outcome. A handler that throws something
// unexpected yields a 500 JSON body; the server keeps serving.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth';
import { hasBody, readBody, requestParams } from './body';
import type { Caller, RequestContext, RestDeps, Route } from './context';
import { answerPreflight, setCorsHeaders } from './cors';
import { forbidden, HttpError } from './errors';
import { RawJson } from './rawJson';
import { ResponseCache } from './responseCache';
import { expirationDate } from './time';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Room for a few hundred full pages of messages or dialogs. */
const RESPONSE_CACHE_BYTES = 16 * 1024 * 1024;

export function createRouter(routes: Route[], deps: RestDeps): RequestHandler {
  const cache = new ResponseCache(RESPONSE_CACHE_BYTES);
  return (req, res) => {
    handle(routes, deps, cache, req, res).catch((error: unknown) => {
      // Only reachable when writing the response itself failed (e.g. the client went away).
      deps.logger.warn(`REST ${req.method} ${req.url}: could not answer: ${String(error)}`);
      res.destroy();
    });
  };
}

async function handle(routes: Route[], deps: RestDeps, cache: ResponseCache, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const refusal = accessRefusal(req, deps);
  if (refusal) {
    deps.logger.warn(`REST ${method} ${path} refused: ${refusal}`);
    return writeJson(res, 403, { errors: [refusal] }, {});
  }
  const origin = req.headers.origin;
  // /_local/* carries the server's secrets: no page reads it cross-origin, whatever its origin.
  if (origin !== undefined && !path.startsWith(LOCAL_PREFIX)) setCorsHeaders(res, origin);
  if (method === 'OPTIONS') return answerPreflight(res);
  const responseHeaders: Record<string, string> = {};
  try {
    const { route, match } = findRoute(routes, method, path);
    // A GET has no body to wait for; Node discards an unread (empty) one when the answer is sent.
    const body = hasBody(req) ? await readBody(req, deps.maxBodyBytes) : '';
    const params = requestParams(rawQuery, body, req.headers['content-type']);
    let caller: Caller | undefined;
    const ctx: RequestContext = {
      deps,
      params,
      path: match.slice(1),
      headers: req.headers,
      responseHeaders,
      caller() {
        if (!caller) {
          caller = authenticate(req.headers, params, deps);
          if (caller.kind === 'session') responseHeaders['QB-Token-ExpirationDate'] = expirationDate(caller.session.expiresAt);
        }
        return caller;
      },
      userId() {
        const { userId } = this.caller();
        if (userId === 0) {
          throw forbidden(
            'This needs a user: an application session may only create and read users. Log in with POST /login.json, ' +
              'create the session with user[login] and user[password], or send On-Behalf-Of with an API key.',
          );
        }
        return userId;
      },
    };
    // The caller is part of the key: the same request answers differently for another user.
    const { userId } = route.cacheable ? ctx.caller() : { userId: 0 };
    const key = userId === 0 ? undefined : `${userId}\n${url}\n${req.headers['content-type'] ?? ''}\n${body}`;
    const version = deps.store.dataVersion();
    const cached = key === undefined ? undefined : cache.get(key, version);
    if (cached) {
      deps.logger.debug(`REST ${method} ${path} → 200 (unchanged since last asked)`);
      return writeBytes(res, 200, cached, responseHeaders);
    }
    const reply = await route.handle(ctx);
    deps.logger.debug(`REST ${method} ${path} → ${reply.status}`);
    if (!('body' in reply)) return writeEmpty(res, reply.status, responseHeaders);
    const bytes = jsonBytes(reply.body);
    // Kept only if the handler wrote nothing: listing messages marks them read, and the next listing differs.
    if (key !== undefined && reply.status === 200 && deps.store.dataVersion() === version) cache.set(key, version, bytes);
    writeBytes(res, reply.status, bytes, responseHeaders);
  } catch (error) {
    if (error instanceof HttpError) {
      deps.logger.debug(`REST ${method} ${path} → ${error.status} ${error.message}`);
      writeJson(res, error.status, { errors: error.errors }, responseHeaders);
    } else {
      deps.logger.error(error instanceof Error ? error : String(error));
      const message = `Internal server error while handling ${method} ${path}: ${String(error)}. The server logged it and keeps running.`;
      writeJson(res, 500, { errors: [message] }, {});
    }
  }
}

const LOCAL_PREFIX = '/_local/';

/** Why the request may not be served at all, or undefined when it may. */
function accessRefusal(req: IncomingMessage, deps: RestDeps): string | undefined {
  const { host, origin } = req.headers;
  if (!deps.access.allowsHost(host)) {
    return `Host "${host ?? ''}" does not name this server (a guard against DNS rebinding). Call it by 127.0.0.1, localhost or its --host.`;
  }
  if (!deps.access.allowsOrigin(origin)) {
    return `Pages from ${origin ?? ''} may not call this server. Start it with --cors-origin ${origin ?? ''} to allow them.`;
  }
  return undefined;
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; match: RegExpExecArray } {
  let pathKnown = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method === method) return { route, match };
    pathKnown = true;
  }
  if (pathKnown) {
    const allowed = routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
    throw new HttpError(405, [`${method} is not supported on ${path}; use ${allowed.join(' or ')}.`]);
  }
  throw new HttpError(404, [`No such endpoint: ${method} ${path}. Paths end in .json, e.g. /chat/Dialog.json.`]);
}

/** An empty body, as the docs show for PUT /chat/Message (the SDK reads those answers as text). */
function writeEmpty(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': '0' });
  res.end();
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  writeBytes(res, status, jsonBytes(body), headers);
}

/** The body as UTF-8, encoded once for both its length and the socket. */
function jsonBytes(body: unknown): Buffer {
  return Buffer.from(body instanceof RawJson ? body.text : JSON.stringify(body));
}

function writeBytes(res: ServerResponse, status: number, bytes: Buffer, headers: Record<string, string>): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}
