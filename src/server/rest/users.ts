// /users: create, get by id / login / email, and the filtered, paged list (spec §3).
import type { QBUser } from '../../shared/models';
import { displayName as userDisplayName } from '../../shared/users';
import {
  StoreConflictError,
  type NewUser,
  type UserField,
  type UserFilter,
  type UserFilterOperator,
  type UserRecord,
} from '../store/chatStore';
import type { Reply, RequestContext, Route } from './context';
import { HttpError, invalidField, notFound } from './errors';
import { optionalInt, optionalList, optionalObject, optionalString, requiredString, type Params } from './params';
import { isoSeconds } from './time';

export function userJson(user: UserRecord): QBUser {
  return {
    id: user.id,
    full_name: user.fullName,
    email: user.email,
    login: user.login,
    phone: user.phone,
    website: user.website,
    created_at: isoSeconds(user.createdAt),
    updated_at: isoSeconds(user.updatedAt),
    last_request_at: user.lastRequestAt === null ? null : isoSeconds(user.lastRequestAt),
    external_user_id: user.externalUserId,
    facebook_id: user.facebookId,
    blob_id: user.blobId,
    custom_data: user.customData,
    user_tags: user.tags,
  };
}

/** The display name QuickBlox clients show, also used as a private dialog's name. */
export function displayName(user: UserRecord): string {
  return userDisplayName(userJson(user));
}

export const userRoutes: Route[] = [
  { method: 'POST', pattern: /^\/users\.json$/, handle: createUser },
  { method: 'GET', pattern: /^\/users\.json$/, handle: listUsers },
  { method: 'GET', pattern: /^\/users\/by_login\.json$/, handle: (ctx) => findOne(ctx, 'login') },
  { method: 'GET', pattern: /^\/users\/by_email\.json$/, handle: (ctx) => findOne(ctx, 'email') },
  { method: 'GET', pattern: /^\/users\/(\d+)\.json$/, handle: getUser },
];

const PASSWORD_LENGTH = { min: 8, max: 40 };

function createUser(ctx: RequestContext): Reply {
  ctx.caller(); // an application session may create users (spec §2.4)
  const user = optionalObject(ctx.params, 'user');
  if (!user) throw invalidField('user', 'is required: send user[login] (or user[email]) and user[password]');
  const input = newUserFrom(user);
  try {
    return { status: 201, body: { user: userJson(ctx.deps.store.createUser(input)) } };
  } catch (error) {
    if (error instanceof StoreConflictError) throw invalidField(error.field, 'has already been taken');
    throw error;
  }
}

function newUserFrom(user: Params): NewUser {
  // Trailing whitespace is trimmed from everything but the password (create-user reference).
  const text = (key: string) => optionalString(user, key, `user[${key}]`)?.trimEnd() || undefined;
  const login = text('login');
  const email = text('email');
  if (login === undefined && email === undefined) throw invalidField('base', 'user[login] or user[email] is required');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidField('email', 'is not a valid email address');
  const password = requiredString(user, 'password', 'user[password]');
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
    throw invalidField('password', `must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`);
  }
  const tags = optionalList(user, 'tag_list', 'user[tag_list]');
  return {
    login,
    email,
    password,
    fullName: text('full_name'),
    phone: text('phone'),
    website: text('website'),
    externalUserId: optionalInt(user, 'external_user_id', { min: 1 }, 'user[external_user_id]'),
    customData: optionalString(user, 'custom_data', 'user[custom_data]'),
    tags: tags?.length ? tags.join(',') : undefined,
  };
}

function getUser(ctx: RequestContext): Reply {
  ctx.caller();
  const id = Number(ctx.path[0]);
  const user = ctx.deps.store.getUser(id);
  if (!user) throw notFound(`There is no user with id ${id}. List users with GET /users.json.`);
  return { status: 200, body: { user: userJson(user) } };
}

function findOne(ctx: RequestContext, field: 'login' | 'email'): Reply {
  ctx.caller();
  const value = requiredString(ctx.params, field);
  const store = ctx.deps.store;
  const user = field === 'login' ? store.findUserByLogin(value) : store.findUserByEmail(value);
  if (!user) throw notFound(`There is no user with ${field} "${value}".`);
  return { status: 200, body: { user: userJson(user) } };
}

const USER_FIELDS: readonly UserField[] = [
  'id',
  'login',
  'email',
  'full_name',
  'phone',
  'website',
  'external_user_id',
  'created_at',
  'updated_at',
  'last_request_at',
];
const DATE_FIELDS: readonly UserField[] = ['created_at', 'updated_at', 'last_request_at'];
const OPERATORS: readonly UserFilterOperator[] = ['gt', 'lt', 'ge', 'le', 'eq', 'ne', 'between', 'in'];
const VALUE_TYPES = ['number', 'string', 'date', 'integer', 'float', 'boolean'];

function listUsers(ctx: RequestContext): Reply {
  ctx.caller();
  const page = optionalInt(ctx.params, 'page', { min: 1 }) ?? 1;
  const perPage = optionalInt(ctx.params, 'per_page', { min: 1, max: 100 }) ?? 10;
  const order = parseOrder(optionalString(ctx.params, 'order'));
  const { total, items } = ctx.deps.store.listUsers({
    limit: perPage,
    skip: (page - 1) * perPage,
    filters: parseFilters(ctx.params),
    ...order,
  });
  return {
    status: 200,
    body: { current_page: page, per_page: perPage, total_entries: total, items: items.map((u) => ({ user: userJson(u) })) },
  };
}

/**
 * `filter[]` values, `<type> <field> <operator> <value>`. The SDK comma-joins several filters into
 * one value, which collides with the commas of `in` lists, so the joined text is split again only
 * before a comma that starts a new `<type> <field> <operator>` triple.
 */
function parseFilters(params: Params): UserFilter[] {
  const raw = params.filter;
  if (raw === undefined) return [];
  const parts = Array.isArray(raw) ? raw : [raw];
  if (!parts.every((p) => typeof p === 'string')) throw invalidField('filter', 'must be text like "number id in 1,2"');
  const start = new RegExp(`,\\s*(?=(?:${VALUE_TYPES.join('|')})\\s+\\w+\\s+(?:${OPERATORS.join('|')})\\s)`);
  return (parts as string[])
    .join(',')
    .split(start)
    .map((text) => parseFilter(text.trim()));
}

function parseFilter(text: string): UserFilter {
  const match = /^(\w+)\s+(\w+)\s+(\w+)\s+(.*)$/s.exec(text);
  const hint = 'Use "<number|string|date> <field> <gt|lt|ge|le|eq|ne|between|in> <value>", e.g. "number id in 1001,1002".';
  if (!match) throw invalidField('filter', `"${text}" is not a filter. ${hint}`);
  const [, type, field, operator, value] = match;
  if (!VALUE_TYPES.includes(type)) throw invalidField('filter', `unknown value type "${type}". ${hint}`);
  if (!isUserField(field)) throw invalidField('filter', `cannot filter by "${field}"; use one of ${USER_FIELDS.join(', ')}`);
  if (!isOperator(operator)) throw invalidField('filter', `unknown operator "${operator}". ${hint}`);
  const texts = operator === 'in' || operator === 'between' ? value.split(',').map((v) => v.trim()) : [value.trim()];
  if (operator === 'between' && texts.length !== 2) throw invalidField('filter', `"between" needs two values, e.g. "number id between 1,9"`);
  const values = texts.map((v) => filterValue(v, type, field));
  return { field, operator, values };
}

function filterValue(text: string, type: string, field: UserField): string | number {
  if (DATE_FIELDS.includes(field) || type === 'date') {
    // Stored as unix ms; accept unix seconds or an ISO date.
    const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
    if (Number.isNaN(ms)) throw invalidField('filter', `"${text}" is not a date; use unix seconds or ISO 8601`);
    return ms;
  }
  if (type === 'string') return text;
  const number = Number(text);
  if (text === '' || Number.isNaN(number)) throw invalidField('filter', `"${text}" is not a number`);
  return number;
}

function parseOrder(order: string | undefined): { sortField?: UserField; sortAscending?: boolean } {
  if (order === undefined) return {};
  const match = /^(asc|desc)\s+\w+\s+(\w+)$/.exec(order.trim());
  if (!match || !isUserField(match[2])) {
    throw invalidField('order', `must look like "asc string full_name" with a field among ${USER_FIELDS.join(', ')}`);
  }
  return { sortField: match[2], sortAscending: match[1] === 'asc' };
}

function isUserField(value: string): value is UserField {
  return (USER_FIELDS as readonly string[]).includes(value);
}

function isOperator(value: string): value is UserFilterOperator {
  return (OPERATORS as readonly string[]).includes(value);
}

export function requireUserRecord(ctx: RequestContext, id: number, field: string): UserRecord {
  const user = ctx.deps.store.getUser(id);
  if (!user) throw new HttpError(422, { [field]: [`user ${id} does not exist`] });
  return user;
}
