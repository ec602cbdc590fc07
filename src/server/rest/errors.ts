// Every rejection leaves as `{"errors": …}` (protocol spec §6): a list of messages, or field → messages.
// Handlers validate before they write chat data, so a rejected request leaves messages and dialogs as
// they were; authenticating it may still have slid the session's expiry, and a session request refused
// for its credentials has used up its nonce.
import type { QBErrorBody } from '../../shared/models';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: QBErrorBody['errors'],
  ) {
    super(Array.isArray(errors) ? errors.join('; ') : Object.entries(errors).map(([k, v]) => `${k} ${v.join(', ')}`).join('; '));
  }
}

/** 422 for one field, the cloud's validation shape: `{"errors":{"login":["has already been taken"]}}`. */
export function invalidField(field: string, message: string): HttpError {
  return new HttpError(422, { [field]: [message] });
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, [message]);
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, [message]);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, [message]);
}

/** The exact body the SDK's session-expired hook looks for (spec §1.5). */
export function sessionMissing(): HttpError {
  return new HttpError(401, { base: ['Required session does not exist'] });
}

/** Wrong credentials (application, user or API key): the cloud's exact body (spec §2.1, §6). */
export function unauthorized(): HttpError {
  return new HttpError(401, ['Unauthorized']);
}
