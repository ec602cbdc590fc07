// /session.json and /login.json (spec §2): signed session creation, optionally as a user in one
// call; login/logout turn the same token into a user or back into an application session.
import type { QBSession } from '../../shared/models';
import type { SessionRecord, UserRecord } from '../store/chatStore';
import { sameSecret } from './auth';
import type { Reply, RequestContext, Route } from './context';
import { HttpError, unauthorized } from './errors';
import { optionalObject, optionalString, requiredInt, requiredString, type Params } from './params';
import { signatureMatches } from './signature';
import { expirationDate, isoSeconds } from './time';
import { userJson } from './userJson';

/** Accepted distance between the client's timestamp and the server clock (spec §2.1). */
const TIMESTAMP_WINDOW_SECONDS = 60 * 60;

export const sessionRoutes: Route[] = [
  { method: 'POST', pattern: /^\/session\.json$/, handle: createSession },
  { method: 'GET', pattern: /^\/session\.json$/, handle: (ctx) => ({ status: 200, body: { session: sessionJson(sessionOf(ctx)) } }) },
  { method: 'DELETE', pattern: /^\/session\.json$/, handle: destroySession },
  { method: 'POST', pattern: /^\/login\.json$/, handle: login },
  { method: 'DELETE', pattern: /^\/login\.json$/, handle: logout },
];

function sessionJson(session: SessionRecord): QBSession {
  return {
    _id: String(session.id),
    application_id: session.appId,
    created_at: isoSeconds(session.createdAt),
    id: session.id,
    nonce: session.nonce,
    token: session.token,
    ts: session.ts,
    updated_at: isoSeconds(session.updatedAt),
    user_id: session.userId,
  };
}

async function createSession(ctx: RequestContext): Promise<Reply> {
  const { params, deps } = ctx;
  const appId = requiredInt(params, 'application_id');
  const authKey = requiredString(params, 'auth_key');
  const nonce = requiredInt(params, 'nonce');
  const timestamp = requiredInt(params, 'timestamp');
  const signature = requiredString(params, 'signature');
  if (appId !== deps.appId || !sameSecret(authKey, deps.authKey)) {
    throw unauthorized();
  }
  if (!signatureMatches(params, signature, deps.authSecret)) {
    // The cloud's words; the signing rules are in the protocol spec §2.1.
    throw new HttpError(422, { base: ['Unexpected signature'] });
  }
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
    throw new HttpError(422, {
      base: [`Timestamp ${timestamp} is more than 60 minutes away from the server time ${nowSeconds}. Send the current unix time in seconds.`],
    });
  }
  if (!deps.store.claimNonce(appId, nonce, timestamp)) {
    throw new HttpError(422, {
      base: ['This nonce was already used with this timestamp. Send a fresh random nonce with every session request.'],
    });
  }
  const user = optionalObject(params, 'user');
  const userId = user ? (await authenticateUser(ctx, user, 'user[login]')).id : 0;
  const session = deps.store.createSession(appId, userId, nonce, timestamp, deps.sessionTtlMs);
  ctx.responseHeaders['QB-Token-ExpirationDate'] = expirationDate(session.expiresAt);
  return { status: 201, body: { session: sessionJson(session) } };
}

/** The user for login/email + password, or 401 (the cloud's answer to wrong credentials). */
async function authenticateUser(ctx: RequestContext, credentials: Params, loginLabel: string): Promise<UserRecord> {
  const login = optionalString(credentials, 'login', loginLabel);
  const email = optionalString(credentials, 'email');
  const password = optionalString(credentials, 'password');
  if ((login === undefined && email === undefined) || password === undefined) {
    throw new HttpError(422, { base: [`Send ${loginLabel} (or email) and password to log in.`] });
  }
  const store = ctx.deps.store;
  const user = login !== undefined ? store.findUserByLogin(login) : store.findUserByEmail(email ?? '');
  if (!user || !(await store.verifyPassword(user.id, password))) {
    throw unauthorized();
  }
  return user;
}

function sessionOf(ctx: RequestContext): SessionRecord {
  const caller = ctx.caller();
  if (caller.kind !== 'session') {
    throw new HttpError(422, { base: ['An API key has no session. Send QB-Token with a token from POST /session.json.'] });
  }
  return caller.session;
}

function destroySession(ctx: RequestContext): Reply {
  ctx.deps.store.deleteSession(sessionOf(ctx).token);
  delete ctx.responseHeaders['QB-Token-ExpirationDate'];
  return { status: 200, body: {} };
}

async function login(ctx: RequestContext): Promise<Reply> {
  const { token } = sessionOf(ctx);
  const user = await authenticateUser(ctx, ctx.params, 'login');
  ctx.deps.store.setSessionUser(token, user.id);
  return { status: 200, body: { user: userJson(user) } };
}

function logout(ctx: RequestContext): Reply {
  const { token } = sessionOf(ctx);
  ctx.deps.store.setSessionUser(token, 0);
  return { status: 200, body: {} };
}
