// What a resource handler gets: its parameters, the server's dependencies, and the caller, resolved
// only when the handler asks (POST /session.json must work without any token).
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalServerInfo } from '../../shared/localServer';
import type { Logger } from '../../shared/logger';
import type { AccessPolicy } from '../access';
import type { ChatDelivery } from '../delivery';
import type { ChatStore, SessionRecord } from '../store/chatStore';
import type { Params } from './params';

export interface RestDeps {
  store: ChatStore;
  appId: number;
  authKey: string;
  authSecret: string;
  apiKey: string;
  domain: string;
  logger: Logger;
  /** The running server's addresses (known only once it listens). */
  info(): LocalServerInfo;
  /** Unix ms; injectable for tests. */
  now(): number;
  sessionTtlMs: number;
  maxBodyBytes: number;
  /** Which Host names and browser origins are served at all. */
  access: AccessPolicy;
  /** Hands messages to XMPP (send_to_chat=1, system=1). */
  delivery: ChatDelivery;
}

/** A session token (userId 0 for an application session), or the API key acting for userId (0: nobody). */
export type Caller =
  | { kind: 'session'; session: SessionRecord; userId: number }
  | { kind: 'apiKey'; userId: number };

export interface RequestContext {
  readonly deps: RestDeps;
  readonly params: Params;
  /** The route pattern's capture groups. */
  readonly path: string[];
  readonly headers: IncomingHttpHeaders;
  /** Authenticates (once) or throws 401. */
  caller(): Caller;
  /** The user acting, or 403 for an application session or an API key without On-Behalf-Of. */
  userId(): number;
  /** Extra response headers (QB-Token-ExpirationDate). */
  readonly responseHeaders: Record<string, string>;
}

/** A JSON answer, or (without body) an empty one. */
export type Reply = { status: 200 | 201; body: unknown } | { status: 200 };

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: HttpMethod;
  /** Matched against the whole path, e.g. /^\/users\/(\d+)\.json$/. */
  pattern: RegExp;
  /** Asynchronous only where it must wait (a password hash); everything else answers synchronously. */
  handle(ctx: RequestContext): Reply | Promise<Reply>;
  /**
   * Its answer depends only on the stored data, the calling user and the request (no clock, no
   * randomness): the router may give it again while the data is unchanged (see responseCache.ts).
   */
  cacheable?: boolean;
}
