// /users (spec §3.2): create (an application session may), get by id / login / email / full name /
// tags / facebook id / phone / external id, the filtered and paged list, update (a new password
// needs the old one) and delete, both of one's own account only.
import { StoreConflictError, type UserQuery, type UserRecord } from '../store/chatStore';
import type { Reply, RequestContext, Route } from './context';
import { forbidden, HttpError, invalidField, notFound } from './errors';
import { pathUserId } from './ids';
import { optionalInt, optionalList, optionalObject, optionalString, requiredString } from './params';
import { parseFilters, parseOrder } from './userFilters';
import { newUserFrom, userChangesFrom } from './userInput';
import { userJson } from './userJson';

export const userRoutes: Route[] = [
  { method: 'POST', pattern: /^\/users\.json$/, handle: createUser },
  { method: 'GET', pattern: /^\/users\.json$/, handle: listUsers },
  { method: 'GET', pattern: /^\/users\/by_login\.json$/, handle: (ctx) => oneUser(ctx, 'login', (v) => ctx.deps.store.findUserByLogin(v)) },
  { method: 'GET', pattern: /^\/users\/by_email\.json$/, handle: (ctx) => oneUser(ctx, 'email', (v) => ctx.deps.store.findUserByEmail(v)) },
  { method: 'GET', pattern: /^\/users\/by_facebook_id\.json$/, handle: (ctx) => oneUser(ctx, 'facebook_id', (v) => ctx.deps.store.findUserBy('facebook_id', v)) },
  // Twitter accounts do not exist here; the SDK still calls the path, so it answers "no such user".
  { method: 'GET', pattern: /^\/users\/by_twitter_id\.json$/, handle: (ctx) => oneUser(ctx, 'twitter_id', () => undefined) },
  { method: 'GET', pattern: /^\/users\/phone\.json$/, handle: (ctx) => oneUser(ctx, 'phone', (v) => ctx.deps.store.findUserBy('phone', v)) },
  { method: 'GET', pattern: /^\/users\/by_full_name\.json$/, handle: (ctx) => userList(ctx, { fullNameContains: requiredString(ctx.params, 'full_name') }) },
  { method: 'GET', pattern: /^\/users\/by_tags\.json$/, handle: (ctx) => userList(ctx, { anyTags: requiredTags(ctx) }) },
  { method: 'GET', pattern: /^\/users\/password\/reset\.json$/, handle: resetPassword },
  { method: 'GET', pattern: /^\/users\/external\/([^/]+)\.json$/, handle: (ctx) => ({ status: 200, body: { user: userJson(externalUser(ctx)) } }) },
  { method: 'DELETE', pattern: /^\/users\/external\/([^/]+)\.json$/, handle: (ctx) => deleteUser(ctx, externalUser(ctx)) },
  { method: 'GET', pattern: /^\/users\/([^/]+)\.json$/, handle: (ctx) => ({ status: 200, body: { user: userJson(userByPath(ctx)) } }) },
  { method: 'PUT', pattern: /^\/users\/([^/]+)\.json$/, handle: updateUser },
  { method: 'DELETE', pattern: /^\/users\/([^/]+)\.json$/, handle: (ctx) => deleteUser(ctx, userByPath(ctx)) },
];

function createUser(ctx: RequestContext): Reply {
  ctx.caller(); // an application session may create users (spec §2.4)
  const user = optionalObject(ctx.params, 'user');
  if (!user) throw invalidField('user', 'is required: send user[login] (or user[email]) and user[password]');
  const input = newUserFrom(user);
  return { status: 201, body: { user: userJson(withConflicts(() => ctx.deps.store.createUser(input))) } };
}

function listUsers(ctx: RequestContext): Reply {
  return userList(ctx, { filters: parseFilters(ctx.params), ...parseOrder(optionalString(ctx.params, 'order')) });
}

/** The list shape `{current_page, per_page, total_entries, items:[{user}]}`, paged by page / per_page. */
function userList(ctx: RequestContext, query: Omit<UserQuery, 'limit' | 'skip'>): Reply {
  ctx.caller();
  const page = optionalInt(ctx.params, 'page', { min: 1, max: 1_000_000_000 }) ?? 1;
  const perPage = optionalInt(ctx.params, 'per_page', { min: 1, max: 100 }) ?? 10;
  const { total, items } = ctx.deps.store.listUsers({ ...query, limit: perPage, skip: (page - 1) * perPage });
  return {
    status: 200,
    body: { current_page: page, per_page: perPage, total_entries: total, items: items.map((u) => ({ user: userJson(u) })) },
  };
}

function requiredTags(ctx: RequestContext): string[] {
  const tags = optionalList(ctx.params, 'tags');
  if (!tags?.length) throw invalidField('tags', 'is required, e.g. tags=friends,family');
  return tags;
}

function oneUser(ctx: RequestContext, field: string, find: (value: string) => UserRecord | undefined): Reply {
  ctx.caller();
  const value = requiredString(ctx.params, field);
  const user = find(value);
  if (!user) throw notFound(`There is no user with ${field} "${value}".`);
  return { status: 200, body: { user: userJson(user) } };
}

function userByPath(ctx: RequestContext): UserRecord {
  ctx.caller();
  const id = pathUserId(ctx.path[0]);
  const user = ctx.deps.store.getUser(id);
  if (!user) throw notFound(`There is no user with id ${id}. List users with GET /users.json.`);
  return user;
}

function externalUser(ctx: RequestContext): UserRecord {
  ctx.caller();
  const externalId = pathUserId(ctx.path[0]);
  const user = ctx.deps.store.findUserBy('external_user_id', externalId);
  if (!user) throw notFound(`There is no user with external_user_id ${externalId}.`);
  return user;
}

async function updateUser(ctx: RequestContext): Promise<Reply> {
  const target = userByPath(ctx);
  requireSelf(ctx, target, 'update');
  const user = optionalObject(ctx.params, 'user');
  if (!user) throw invalidField('user', 'is required: send the fields to change as user[field]=value');
  const { changes, oldPassword } = userChangesFrom(user);
  if (oldPassword !== undefined && !(await ctx.deps.store.verifyPassword(target.id, oldPassword))) {
    throw invalidField('old_password', 'is incorrect');
  }
  return { status: 200, body: { user: userJson(withConflicts(() => ctx.deps.store.updateUser(target.id, changes))) } };
}

function deleteUser(ctx: RequestContext, target: UserRecord): Reply {
  requireSelf(ctx, target, 'delete');
  ctx.deps.store.deleteUser(target.id);
  return { status: 200 };
}

/** Only the user themself changes an account; the API key without On-Behalf-Of acts as the administrator. */
function requireSelf(ctx: RequestContext, target: UserRecord, action: string): void {
  const caller = ctx.caller();
  if (caller.kind === 'apiKey' && caller.userId === 0) return;
  if (caller.userId !== target.id) throw forbidden(`Only user ${target.id} can ${action} their own account.`);
}

/** GET /users/password/reset.json?email=…: the local server sends no mail; it only checks the address is known. */
function resetPassword(ctx: RequestContext): Reply {
  ctx.caller();
  const email = requiredString(ctx.params, 'email');
  if (!ctx.deps.store.findUserByEmail(email)) throw notFound(`There is no user with email "${email}".`);
  return { status: 200 };
}

function withConflicts(write: () => UserRecord): UserRecord {
  try {
    return write();
  } catch (error) {
    if (error instanceof StoreConflictError) throw invalidField(error.field, 'has already been taken');
    throw error;
  }
}

export function requireUserRecord(ctx: RequestContext, id: number, field: string): UserRecord {
  const user = ctx.deps.store.getUser(id);
  if (!user) throw new HttpError(422, { [field]: [`user ${id} does not exist`] });
  return user;
}
