// Ids in paths and parameters. Dialogs and messages have 24-hex ObjectIds; a path may list several
// (`/chat/Dialog/<a>,<b>.json`). A malformed id names nothing that could exist, hence 404 in a path.
import { isObjectId } from '../../shared/objectId';
import { invalidField, notFound } from './errors';

export function pathObjectIds(segment: string, what: 'dialog' | 'message'): string[] {
  const ids = segment.split(',').map((id) => id.trim());
  const bad = ids.find((id) => !isObjectId(id));
  if (bad !== undefined) throw notFound(`"${bad}" is not a ${what} id: ${what} ids are 24 hexadecimal characters.`);
  return ids.map((id) => id.toLowerCase());
}

export function objectIdParam(value: string, field: string, what: 'dialog' | 'message'): string {
  if (!isObjectId(value)) throw invalidField(field, `must be a 24-character hex ${what} id, got "${value}"`);
  return value.toLowerCase();
}

/** A user id in a path: digits that fit an integer, else 404 (no such user can exist). */
export function pathUserId(segment: string): number {
  const id = /^\d{1,15}$/.test(segment) ? Number(segment) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(`"${segment}" is not a user id: user ids are positive integers.`);
  return id;
}

/** Exactly one id in a path segment. */
export function pathObjectId(segment: string, what: 'dialog' | 'message'): string {
  const ids = pathObjectIds(segment, what);
  if (ids.length !== 1) throw notFound(`This path takes one ${what} id, got ${ids.length}.`);
  return ids[0];
}
