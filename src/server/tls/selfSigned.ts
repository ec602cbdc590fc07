// A self-signed server certificate for the local server's `--tls`: EC P-256 signed with
// ecdsa-with-SHA256, built as DER here (RFC 5280) and signed with node:crypto, so no dependency.
// It is an end-entity certificate (no CA flag): Firefox refuses a CA certificate used as a server's,
// while OpenSSL (Node's `ca`, NODE_EXTRA_CA_CERTS) and browsers accept a self-signed leaf they trust.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import * as der from './der';

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
}

export interface SelfSignedOptions {
  /** DNS names and IP addresses the certificate is for; the first one is also the subject's CN. */
  hosts: readonly string[];
  validDays: number;
  now?: Date;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const ORGANIZATION = 'QuickBlox Chat Workbench local server';
const DAY_MS = 24 * 60 * 60 * 1000;

export function createSelfSignedCertificate(options: SelfSignedOptions): SelfSignedCertificate {
  if (options.hosts.length === 0) throw new Error('A certificate needs at least one host');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = options.now ?? new Date();
  const algorithm = der.sequence(der.objectIdentifier(OID.ecdsaWithSha256));
  const name = der.sequence(
    der.set(der.sequence(der.objectIdentifier(OID.organization), der.utf8String(ORGANIZATION))),
    der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(options.hosts[0]))),
  );
  const tbs = der.sequence(
    der.explicit(0, der.unsignedInteger(Buffer.of(2))), // version 3
    // 16 random bytes with the top bit clear: positive, unique, at most the 20 bytes RFC 5280 allows.
    der.unsignedInteger(Buffer.concat([Buffer.of(randomBytes(1)[0] & 0x7f), randomBytes(15)])),
    algorithm,
    name, // issuer: itself
    // Valid from a day back, so a client whose clock is a little behind accepts it at once.
    der.sequence(der.time(new Date(now.getTime() - DAY_MS)), der.time(new Date(now.getTime() + options.validDays * DAY_MS))),
    name,
    spki,
    der.explicit(3, der.sequence(...extensions(options.hosts, spki))),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = der.sequence(tbs, algorithm, der.bitString(signature));
  return {
    certPem: toPem('CERTIFICATE', certificate),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function extensions(hosts: readonly string[], spki: Buffer): Buffer[] {
  const extension = (oid: string, value: Buffer, critical = false) =>
    der.sequence(der.objectIdentifier(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
  // GeneralName: [2] dNSName (IA5String), [7] iPAddress (the address bytes).
  const altNames = hosts.map((host) => {
    const ip = ipAddressBytes(host);
    return ip ? der.implicitPrimitive(7, ip) : der.implicitPrimitive(2, Buffer.from(host, 'ascii'));
  });
  return [
    extension(OID.basicConstraints, der.sequence(), true), // cA defaults to FALSE
    extension(OID.extendedKeyUsage, der.sequence(der.objectIdentifier(OID.serverAuth))),
    extension(OID.subjectAltName, der.sequence(...altNames)),
    // RFC 5280 method 1: SHA-1 of the subjectPublicKey bits; some clients want it to build a chain.
    extension(OID.subjectKeyIdentifier, der.octetString(createHash('sha1').update(publicKeyBits(spki)).digest())),
  ];
}

/** The BIT STRING contents of a P-256 SubjectPublicKeyInfo: the last 65 bytes (0x04, X, Y). */
function publicKeyBits(spki: Buffer): Buffer {
  return spki.subarray(spki.length - 65);
}

/** The 4 or 16 bytes of an IP address, or undefined for a DNS name. */
export function ipAddressBytes(host: string): Buffer | undefined {
  if (isIPv4(host)) return Buffer.from(host.split('.').map(Number));
  if (!isIPv6(host)) return undefined;
  // isIPv6 has validated it: expand '::' and a trailing dotted IPv4 part into eight 16-bit groups.
  const [head, tail] = host.includes('::') ? host.split('::') : [host, undefined];
  const groups = (part: string | undefined): number[] =>
    !part
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [a * 256 + b, c * 256 + d];
        });
  const before = groups(head);
  const after = groups(tail);
  const all = tail === undefined ? before : [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

function toPem(label: string, derBytes: Buffer): string {
  const lines = derBytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
