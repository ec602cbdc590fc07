import { randomBytes } from 'node:crypto';

// MongoDB-style ObjectId: 4-byte seconds, 5 random bytes fixed per process, 3-byte counter.
// QuickBlox dialog and message ids have this shape; the SDK generates stanza ids the same way.
const processUnique = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

export function newObjectId(nowMs: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return seconds + processUnique + counter.toString(16).padStart(6, '0');
}

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value);
}
