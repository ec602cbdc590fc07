// One error type for every failed REST call: what was called, what came back, and what the user
// can do about it — the message is shown as is in VS Code notifications.
import type { QBErrorBody } from '../shared/models';

export class QuickBloxError extends Error {
  override readonly name = 'QuickBloxError';

  constructor(
    /** HTTP status; 0 when no response arrived (connection refused, timeout). */
    readonly status: number,
    /** `METHOD /path` as sent (without the base URL). */
    readonly request: string,
    /** The parsed `{"errors": …}` body, when the server sent one. */
    readonly body: QBErrorBody | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Flattens `["a"]` or `{"base": ["a"], "login": ["b"]}` into `a; base a; login b` style text. */
export function describeErrors(body: QBErrorBody | undefined): string {
  if (!body) return '';
  if (Array.isArray(body.errors)) return body.errors.join('; ');
  return Object.entries(body.errors)
    .map(([field, list]) => (field === 'base' ? list.join('; ') : `${field} ${list.join(', ')}`))
    .join('; ');
}

export function isErrorBody(value: unknown): value is QBErrorBody {
  if (typeof value !== 'object' || value === null || !('errors' in value)) return false;
  const errors = (value as { errors: unknown }).errors;
  return Array.isArray(errors) || (typeof errors === 'object' && errors !== null);
}

/** What to do about a status, phrased for the person at the keyboard. */
export function adviceFor(status: number): string {
  if (status === 0) return 'the server did not answer; check the API endpoint and that the server is running';
  if (status === 401) return 'session expired or credentials wrong; reconnect';
  if (status === 403) return 'not allowed for this user (not an occupant, or an application-only session)';
  if (status === 404) return 'not found; refresh the dialog list';
  if (status === 422) return 'the server rejected the parameters';
  if (status === 429) return 'rate limit exceeded; wait a moment and retry';
  if (status >= 500) return 'server error; check the server log';
  return 'unexpected response';
}
