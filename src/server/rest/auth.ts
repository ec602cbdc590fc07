// Who is calling (spec §2.4–2.5): a QB-Token header (or the legacy `token` parameter) naming a
// live session, whose expiry slides forward with each use; or `Authorization: ApiKey …`, optionally
// acting for a user through On-Behalf-Of.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller, RestDeps } from './context';
import { HttpError, invalidField, notFound, sessionMissing, unauthorized } from './errors';
import { optionalString, type Params } from './params';

export function authenticate(headers: IncomingHttpHeaders, params: Params, deps: RestDeps): Caller {
  const authorization = headerValue(headers, 'authorization');
  if (authorization !== undefined) return apiKeyCaller(authorization, headerValue(headers, 'on-behalf-of'), deps);
  const token = headerValue(headers, 'qb-token') ?? optionalString(params, 'token');
  if (token === undefined || token === '') {
    // The cloud's words: QB-Token (or the legacy `token` parameter), or Authorization: ApiKey <key>.
    throw new HttpError(401, ['Token is required']);
  }
  const session = deps.store.touchSession(token, deps.sessionTtlMs);
  if (!session) throw sessionMissing();
  return { kind: 'session', session, userId: session.userId };
}

function apiKeyCaller(authorization: string, onBehalfOf: string | undefined, deps: RestDeps): Caller {
  const match = /^ApiKey\s+(\S+)$/i.exec(authorization.trim());
  if (!match || !sameSecret(match[1], deps.apiKey)) {
    throw unauthorized();
  }
  if (onBehalfOf === undefined) return { kind: 'apiKey', userId: 0 };
  if (!/^\d+$/.test(onBehalfOf.trim())) throw invalidField('On-Behalf-Of', 'must be a user id');
  const userId = Number(onBehalfOf);
  if (!deps.store.getUser(userId)) throw notFound(`On-Behalf-Of names user ${userId}, who does not exist. Use the id of an existing user.`);
  return { kind: 'apiKey', userId };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison, so the key cannot be guessed byte by byte from response times. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
