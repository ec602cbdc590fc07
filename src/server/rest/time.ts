// The two timestamp formats QuickBlox puts on the wire.

// Lists repeat the same seconds (a page of dialogs or messages made close together): each second is formatted once.
const isoCache = new Map<number, string>();
const ISO_CACHE_MAX = 4096;

/** `2019-09-01T14:55:56Z`: ISO without milliseconds, as in every JSON body. */
export function isoSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  let text = isoCache.get(seconds);
  if (text === undefined) {
    text = new Date(ms).toISOString().slice(0, 19) + 'Z';
    if (isoCache.size >= ISO_CACHE_MAX) isoCache.clear();
    isoCache.set(seconds, text);
  }
  return text;
}

// Every answer to a session carries its expiry, which moves only when the session slides (once a minute).
let lastExpiry = { ms: Number.NaN, text: '' };

/** `2019-09-01 16:55:56 UTC` for QB-Token-ExpirationDate; the SDK cannot parse the ISO form there (spec §1.5). */
export function expirationDate(ms: number): string {
  if (ms !== lastExpiry.ms) lastExpiry = { ms, text: new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' };
  return lastExpiry.text;
}
