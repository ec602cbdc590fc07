// The QuickBlox session signature (protocol spec §2.1), shared by the client (which signs
// `POST /session.json`) and the local server (which checks it), so both sides agree by construction.
import { createHmac } from 'node:crypto';

/** Session parameters as signed: scalars, or one level of sub-keys such as `user[login]`. */
export type SignatureParams = Record<string, string | number | Record<string, string | number> | undefined>;

export type SignatureAlgorithm = 'sha1' | 'sha256';

/**
 * The string that gets signed: every parameter except `signature` as raw (not URL-encoded)
 * `name=value`; an object contributes its `name[sub]=value` strings, sorted among themselves as one
 * item; the items are then sorted as whole strings and joined with `&`.
 */
export function signatureBaseString(params: SignatureParams): string {
  const items: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (name === 'signature' || value === undefined) continue;
    if (typeof value === 'object') {
      const group = Object.entries(value).map(([sub, v]) => `${name}[${sub}]=${v}`);
      items.push(group.sort().join('&'));
    } else {
      items.push(`${name}=${value}`);
    }
  }
  return items.sort().join('&');
}

/** Lower-case hex HMAC of the base string keyed with the application's auth secret. */
export function signSessionParams(params: SignatureParams, authSecret: string, algorithm: SignatureAlgorithm = 'sha1'): string {
  return createHmac(algorithm, authSecret).update(signatureBaseString(params)).digest('hex');
}
