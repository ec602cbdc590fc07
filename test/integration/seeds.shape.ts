// "The documented shape": the same keys with the same JSON value types as the docs' example response,
// values aside (ids, dates and texts differ on every server).
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OBJECT_ID_KEY = /^[0-9a-f]{24}$/;

/**
 * What differs between the documented and the actual JSON, as readable paths ([] when the shape matches).
 * - A documented null says nothing about the type (the docs show unset fields as null), and an actual
 *   null is accepted for a documented string or number (QuickBlox sends null for what is not set yet).
 * - Array elements are compared with the documented elements merged: keys present in every documented
 *   element are required, keys in some are allowed.
 * - Keys that are object ids (unread counts per dialog) are compared as a map: any ids, same value types.
 * - Keys in `allowedExtra` may be there undocumented (at any depth): the request's own fields (custom
 *   message parameters come back), and fields other documented answers of the endpoint show.
 */
export function shapeDifferences(documented: Json, actual: Json, allowedExtra: ReadonlySet<string> = new Set(), path = '$'): string[] {
  if (documented === null) return [];
  if (actual === null) return typeof documented === 'string' || typeof documented === 'number' ? [] : [`${path}: null, documented ${kind(documented)}`];
  if (kind(documented) !== kind(actual)) return [`${path}: ${kind(actual)}, documented ${kind(documented)}`];
  if (Array.isArray(documented) && Array.isArray(actual)) {
    const element = mergeElements(documented);
    return element === undefined ? [] : actual.flatMap((item, i) => shapeDifferences(element, item, allowedExtra, `${path}[${i}]`));
  }
  if (isObject(documented) && isObject(actual)) return objectDifferences(documented, actual, allowedExtra, path);
  return [];
}

function objectDifferences(
  documented: { [key: string]: Json },
  actual: { [key: string]: Json },
  allowedExtra: ReadonlySet<string>,
  path: string,
): string[] {
  const differences: string[] = [];
  const idValues = (o: { [key: string]: Json }) => Object.entries(o).filter(([k]) => OBJECT_ID_KEY.test(k));
  const documentedIds = idValues(documented);
  if (documentedIds.length > 0) {
    const actualIds = idValues(actual);
    if (actualIds.length !== documentedIds.length) differences.push(`${path}: ${actualIds.length} id keys, documented ${documentedIds.length}`);
    for (const [key, value] of actualIds) differences.push(...shapeDifferences(documentedIds[0][1], value, allowedExtra, `${path}.${key}`));
  }
  const optional = OPTIONAL in documented ? new Set(documented[OPTIONAL] as string[]) : new Set<string>();
  for (const [key, value] of Object.entries(documented)) {
    if (key === OPTIONAL || OBJECT_ID_KEY.test(key)) continue;
    if (!(key in actual)) {
      if (!optional.has(key)) differences.push(`${path}.${key}: missing`);
      continue;
    }
    differences.push(...shapeDifferences(value, actual[key], allowedExtra, `${path}.${key}`));
  }
  for (const key of Object.keys(actual)) {
    if (!(key in documented) && !OBJECT_ID_KEY.test(key) && !allowedExtra.has(key)) differences.push(`${path}.${key}: not documented`);
  }
  return differences;
}

/** Marks, inside a documented object, the keys an actual one may lack. */
const OPTIONAL = '\u0000optional';

/** The documented object with `keys` made optional (fields that echo a request parameter this request lacks). */
export function withOptionalKeys(documented: Json, keys: readonly string[]): Json {
  return isObject(documented) && keys.length ? { ...documented, [OPTIONAL]: [...keys] } : documented;
}

function mergeElements(items: Json[]): Json | undefined {
  if (items.length === 0) return undefined;
  const objects = items.filter(isObject);
  if (objects.length !== items.length) return items[0];
  const merged: { [key: string]: Json } = {};
  const optional: string[] = [];
  for (const item of objects) {
    for (const [key, value] of Object.entries(item)) if (merged[key] === undefined || merged[key] === null) merged[key] = value;
  }
  for (const key of Object.keys(merged)) if (!objects.every((o) => key in o)) optional.push(key);
  if (optional.length) merged[OPTIONAL] = optional;
  return merged;
}

/** Every key anywhere in a JSON value. */
export function keysIn(value: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysIn(item, into);
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      keysIn(item, into);
    }
  }
  return into;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
