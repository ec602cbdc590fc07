// The few ASN.1 DER encodings an X.509 certificate needs (X.690 §8, §10, §11). Node can sign but
// cannot build a certificate, and this is small enough not to warrant a dependency.

/** One DER element: tag, definite length, contents. */
export function element(tag: number, contents: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), encodeLength(contents.length), contents]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  // Long form: 0x80 | number of length bytes, then the length big-endian with no leading zero byte.
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.of(0x80 | bytes.length, ...bytes);
}

export const sequence = (...items: Uint8Array[]): Buffer => element(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => element(0x31, Buffer.concat(items));
export const octetString = (bytes: Uint8Array): Buffer => element(0x04, bytes);
export const utf8String = (text: string): Buffer => element(0x0c, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => element(0x01, Buffer.of(value ? 0xff : 0x00));

/** A BIT STRING of whole bytes (no unused bits), as signatures and keys are. */
export const bitString = (bytes: Uint8Array): Buffer => element(0x03, Buffer.concat([Buffer.of(0), bytes]));

/** [n] EXPLICIT: a constructed context-specific wrapper around one element. */
export const explicit = (n: number, inner: Uint8Array): Buffer => element(0xa0 | n, inner);

/** [n] IMPLICIT of a primitive type: the contents under a context-specific tag. */
export const implicitPrimitive = (n: number, contents: Uint8Array): Buffer => element(0x80 | n, contents);

/** A non-negative INTEGER from its big-endian magnitude. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  // A set high bit would read as negative, so it gets a leading zero byte.
  return element(0x02, trimmed[0] >= 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new Error(`Not an OID: ${dotted}`);
  const bytes: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    // Base 128, most significant group first, every byte but the last with the high bit set.
    const groups = [arc % 128];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift((rest % 128) | 0x80);
    bytes.push(...groups);
  }
  return element(0x06, Buffer.from(bytes));
}

/** UTCTime for 1950–2049 and GeneralizedTime after, as RFC 5280 §4.1.2.5 requires; always whole seconds in UTC. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2025-01-31T12:34:56.789Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, ''); // 20250131123456
  const year = date.getUTCFullYear();
  return year < 2050 ? element(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : element(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}
