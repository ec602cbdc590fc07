// The HTTP entry point: CORS, route lookup, body and parameters, authentication on demand, and
// one JSON writer for every outcome. A handler that throws something unexpected yields a 500 JSON
// body; the server keeps serving.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth';
import { requestParams, readBody } from './body';
import type { Caller, RequestContext, RestDeps, Route } from './context';
import { answerPreflight, setCorsHeaders } from './cors';
import { forbidden, HttpError } from './errors';
import { expirationDate } from './time';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createRouter(routes: Route[], deps: RestDeps): RequestHandler {
  return (req, res) => {
    handle(routes, deps, req, res).catch((error: unknown) => {
      // Only reachable when writing the response itself failed (e.g. the client went away).
      deps.logger.warn(`REST ${req.method} ${req.url}: could not answer: ${String(error)}`);
      res.destroy();
    });
  };
}

async function handle(routes: Route[], deps: RestDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setCorsHeaders(res);
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return answerPreflight(res);
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const responseHeaders: Record<string, string> = {};
  try {
    const { route, match } = findRoute(routes, method, path);
    const body = await readBody(req, deps.maxBodyBytes);
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
    const reply = route.handle(ctx);
    deps.logger.debug(`REST ${method} ${path} → ${reply.status}`);
    writeJson(res, reply.status, reply.body, responseHeaders);
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

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
