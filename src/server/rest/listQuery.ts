// What the list endpoints (dialogs, messages) share: paging, sorting, and refusing the filters this
// server does not implement. A filter that is silently ignored returns more than was asked for, and
// on GET /chat/Message.json marks all of that read, so an unknown key is a 422 before anything runs.
import { invalidField } from './errors';
import { isPlainObject, optionalInt, optionalString, type Params } from './params';

/** Default and maximum page size of dialogs and messages (spec §6 limits). */
const LIMIT_MAX = 100;

export interface Paging {
  limit: number;
  skip: number;
}

export function pagingOf(params: Params): Paging {
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

/** How a parameter may be given: as a plain value, and/or with these `key[operator]` operators. */
export interface ParamShape {
  plain: boolean;
  operators?: readonly string[];
}

/** Keys every list accepts besides its filters. */
const COMMON: Record<string, ParamShape> = {
  limit: { plain: true },
  skip: { plain: true },
  sort_asc: { plain: true },
  sort_desc: { plain: true },
  token: { plain: true },
};

/** 422 naming the first key or `key[operator]` that `accepted` (plus paging, sorting, token) does not allow. */
export function rejectUnsupported(params: Params, accepted: Record<string, ParamShape>): void {
  for (const [key, value] of Object.entries(params)) {
    const shape = accepted[key] ?? COMMON[key];
    if (!shape) throw unsupported(key);
    if (!isPlainObject(value)) {
      if (!shape.plain) throw unsupported(key);
      continue;
    }
    const operator = Object.keys(value).find((op) => !shape.operators?.includes(op));
    if (operator !== undefined) throw unsupported(`${key}[${operator}]`);
  }
}

function unsupported(key: string) {
  return invalidField(key, 'is not supported by the local server yet');
}
