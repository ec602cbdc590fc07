// Query strings built the way the QuickBlox JS SDK builds them (protocol spec §1.4), so the local
// server and the cloud see the same shapes from us as from the SDK: pairs sorted, values
// `encodeURIComponent`-ed, an object becomes `key[sub]=v` with the brackets left raw, an array one
// comma-joined `key[]=a%2Cb` pair.

export type QueryScalar = string | number;
export type QueryValue = QueryScalar | QueryScalar[] | Record<string, QueryScalar> | undefined;
export type QueryParams = Record<string, QueryValue>;

export function encodeQuery(params: QueryParams): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      pairs.push(`${key}[]=${encodeURIComponent(value.join(','))}`);
    } else if (typeof value === 'object') {
      for (const [sub, v] of Object.entries(value)) pairs.push(`${key}[${sub}]=${encodeURIComponent(String(v))}`);
    } else {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.sort().join('&');
}

/** `<base>/<path>.json`, whatever trailing slash the configured endpoint has. */
export function restUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}.json`;
}
