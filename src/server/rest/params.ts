// Request parameters the way QuickBlox clients send them (protocol spec §1.4): form or JSON bodies
// on every verb, bracket keys raw (`user[login]`) or encoded (`user%5Blogin%5D`), `key[]=a,b` lists,
// query strings that may be just a bare `?`. Both encodings end up as one nested object, and the
// typed accessors below turn a wrong type into a 422 that names the field.
import { badRequest, invalidField } from './errors';

export type Params = Record<string, unknown>;

/** Parses `a=1&user[login]=x&filter[]=v`; a `key[]` collects one string per pair (split later by list()). */
export function parseFormEncoded(text: string): Params {
  const params: Params = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (key !== '') assign(params, key, value);
  }
  return params;
}

/** A JSON body must be an object; flat bracket keys in it (`"date_sent[gt]": 5`) are nested like form keys. */
export function parseJsonBody(text: string): Params {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`The JSON body is malformed (${(error as Error).message}). Send valid JSON, or form-encoded parameters.`);
  }
  if (!isPlainObject(value)) throw badRequest('The JSON body must be an object such as {"name": "value"}.');
  const params: Params = {};
  for (const [key, v] of Object.entries(value)) assign(params, key, v);
  return params;
}

function decode(text: string): string {
  // Most keys and values are plain (`chat_dialog_id=…&limit=100`): nothing to decode.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw badRequest(`Malformed percent-encoding in "${text}". Encode values with encodeURIComponent.`);
  }
}

const BRACKET_KEY = /^([^[\]]+)((?:\[[^[\]]*\])+)$/;

// Keys that would reach Object.prototype through `container[segment]` (prototype pollution).
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function assign(target: Params, key: string, value: unknown): void {
  const match = BRACKET_KEY.exec(key);
  const path = match ? [match[1], ...match[2].slice(1, -1).split('][')] : [key];
  if (path.some((segment) => UNSAFE_SEGMENTS.has(segment))) return;
  let container = target;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i];
    if (path[i + 1] === '' && i + 1 === path.length - 1) {
      // `key[]`: a list that repeated pairs extend.
      const existing = container[segment];
      container[segment] = Array.isArray(existing) ? [...(existing as unknown[]), value] : [value];
      return;
    }
    const next = container[segment];
    if (!isPlainObject(next)) container[segment] = {};
    container = container[segment] as Params;
  }
  container[path[path.length - 1]] = value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeParams(query: Params, body: Params): Params {
  return { ...query, ...body };
}

// ---- typed accessors; `label` is the name the client used, for the error message ----

export function optionalString(params: Params, key: string, label = key): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidField(label, 'must be a string');
}

export function requiredString(params: Params, key: string, label = key): string {
  const value = optionalString(params, key, label);
  if (value === undefined || value.trim() === '') throw invalidField(label, 'is required');
  return value;
}

export function optionalInt(params: Params, key: string, range: { min?: number; max?: number } = {}, label = key): number | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw invalidField(label, `must be an integer, got ${JSON.stringify(value)}`);
  if (range.min !== undefined && number < range.min) throw invalidField(label, `must be at least ${range.min}`);
  if (range.max !== undefined && number > range.max) throw invalidField(label, `must be at most ${range.max}`);
  return number;
}

export function requiredInt(params: Params, key: string, range: { min?: number; max?: number } = {}, label = key): number {
  const value = optionalInt(params, key, range, label);
  if (value === undefined) throw invalidField(label, 'is required');
  return value;
}

/** A list from `"a,b"`, `"a, b"`, `["a","b"]`, `key[]=a,b` or a single number; items trimmed, empties dropped. */
export function optionalList(params: Params, key: string, label = key): string[] | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (typeof item === 'number') return [String(item)];
    if (typeof item !== 'string') throw invalidField(label, 'must be a list of values, such as "1,2" or [1,2]');
    return item
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  });
}

export function optionalIntList(params: Params, key: string, label = key): number[] | undefined {
  return optionalList(params, key, label)?.map((item) => {
    const number = /^-?\d+$/.test(item) ? Number(item) : NaN;
    if (!Number.isSafeInteger(number) || number <= 0) throw invalidField(label, `must list positive integer ids, got "${item}"`);
    return number;
  });
}

export function optionalObject(params: Params, key: string, label = key): Params | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalidField(label, 'must be an object, e.g. ' + `${label}[field]=value`);
  return value;
}

/** `1`, `"1"`, `true` → true; absent → fallback. */
export function optionalFlag(params: Params, key: string, fallback: boolean, label = key): boolean {
  const value = params[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  throw invalidField(label, 'must be 0 or 1');
}
