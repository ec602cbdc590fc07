// `filter[]` and `order` of GET /users.json (spec §3.2): `<type> <field> <operator> <value>` and
// `<asc|desc> <type> <field>`, as store filters over a whitelist of user fields.
import type { UserField, UserFilter, UserFilterOperator } from '../store/chatStore';
import { invalidField } from './errors';
import type { Params } from './params';

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

/**
 * `filter[]` values, `<type> <field> <operator> <value>`. The SDK comma-joins several filters into
 * one value, which collides with the commas of `in` lists, so the joined text is split again only
 * before a comma that starts a new `<type> <field> <operator>` triple.
 */
export function parseFilters(params: Params): UserFilter[] {
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

export function parseOrder(order: string | undefined): { sortField?: UserField; sortAscending?: boolean } {
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

