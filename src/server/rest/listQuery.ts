// What the chat list endpoints (dialogs, messages) share: paging, sorting, `count=1`, and refusing
// parameters they do not know. A filter that is silently ignored returns more than was asked for, and
// on GET /chat/Message.json marks all of that read, so an unknown key is a 422 before anything runs.
import { invalidField } from './errors';
import { optionalFlag, optionalInt, optionalString, type Params } from './params';

/** Default and largest page of dialogs and messages; a larger limit gets this many, as in the cloud. */
const LIMIT_MAX = 100;

export interface Paging {
  limit: number;
  skip: number;
}

/** Keys every list takes besides its filters. */
export const LIST_KEYS = ['limit', 'skip', 'sort_asc', 'sort_desc', 'count', 'token'] as const;

export function pagingOf(params: Params): Paging {
  // Negative, fractional or beyond-2^53 values are malformed (422); a large limit is merely capped.
  return {
    limit: Math.min(optionalInt(params, 'limit', { min: 1 }) ?? LIMIT_MAX, LIMIT_MAX),
    skip: optionalInt(params, 'skip', { min: 0 }) ?? 0,
  };
}

/** `sort_desc=<field>` or `sort_asc=<field>` among `fields`; undefined when neither is given. */
export function sortOf<F extends string>(params: Params, fields: readonly F[]): { field: F; ascending: boolean } | undefined {
  let sort: { field: F; ascending: boolean } | undefined;
  for (const [key, ascending] of [['sort_desc', false], ['sort_asc', true]] as const) {
    const value = optionalString(params, key);
    if (value === undefined) continue;
    const field = fields.find((f) => f === value);
    if (!field) throw invalidField(key, `can sort by ${fields.join(', ')}`);
    sort ??= { field, ascending };
  }
  return sort;
}

/** `count=1`: the answer is only the number of matches, as `{"items":{"count":N}}`. */
export function countOnly(params: Params): boolean {
  return optionalFlag(params, 'count', false);
}

export function countReply(count: number): { status: 200; body: { items: { count: number } } } {
  return { status: 200, body: { items: { count } } };
}

/** 422 naming the first parameter that is neither a list key nor in `known`. */
export function rejectUnknown(params: Params, known: readonly string[]): void {
  const unknown = Object.keys(params).find((key) => !known.includes(key) && !(LIST_KEYS as readonly string[]).includes(key));
  if (unknown !== undefined) throw invalidField(unknown, `is not a parameter of this list; it takes ${[...known, ...LIST_KEYS].join(', ')}`);
}
