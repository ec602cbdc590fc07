// The two timestamp formats QuickBlox puts on the wire.

/** `2019-09-01T14:55:56Z`: ISO without milliseconds, as in every JSON body. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `2019-09-01 16:55:56 UTC` for QB-Token-ExpirationDate; the SDK cannot parse the ISO form there (spec §1.5). */
export function expirationDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}
