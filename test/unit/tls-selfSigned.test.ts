// The self-signed certificate is checked by Node's own X.509 parser (OpenSSL), not by our encoder.
import * as assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/shared/logger';
import * as der from '../../src/server/tls/der';
import { loadTls } from '../../src/server/tls';
import { createSelfSignedCertificate, ipAddressBytes } from '../../src/server/tls/selfSigned';

describe('tls: DER encoding', () => {
  it('encodes lengths, integers and OIDs as X.690 says', () => {
    assert.equal(der.element(0x04, Buffer.alloc(0x7f)).subarray(0, 2).toString('hex'), '047f');
    assert.equal(der.element(0x04, Buffer.alloc(0x80)).subarray(0, 3).toString('hex'), '048180');
    assert.equal(der.element(0x04, Buffer.alloc(0x1234)).subarray(0, 4).toString('hex'), '04821234');
    assert.equal(der.unsignedInteger(Buffer.of(0x80)).toString('hex'), '02020080');
    assert.equal(der.unsignedInteger(Buffer.of(0, 0, 5)).toString('hex'), '020105');
    assert.equal(der.objectIdentifier('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
    assert.equal(der.time(new Date('2049-12-31T23:59:59Z')).toString('ascii', 2), '491231235959Z');
    assert.equal(der.time(new Date('2050-01-01T00:00:00Z')).toString('ascii', 2), '20500101000000Z');
  });

  it('turns IP addresses into their bytes and leaves names alone', () => {
    assert.equal(ipAddressBytes('127.0.0.1')?.toString('hex'), '7f000001');
    assert.equal(ipAddressBytes('::1')?.toString('hex'), '00000000000000000000000000000001');
    assert.equal(ipAddressBytes('fe80::1:2')?.toString('hex'), 'fe800000000000000000000000010002');
    assert.equal(ipAddressBytes('::ffff:10.0.0.1')?.toString('hex'), '00000000000000000000ffff0a000001');
    assert.equal(ipAddressBytes('localhost'), undefined);
  });
});

describe('tls: self-signed certificate', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const { certPem, keyPem } = createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1', '::1'], validDays: 365, now });
  const x509 = new X509Certificate(certPem);

  it('parses, is self-signed by its own key, and matches the private key', () => {
    assert.ok(x509.verify(x509.publicKey), 'signature verifies with its own public key');
    assert.ok(x509.checkIssued(x509), 'issuer equals subject');
    assert.ok(x509.checkPrivateKey(createPrivateKey(keyPem)));
    assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(x509.ca, false, 'an end-entity certificate, which every browser accepts for a server');
  });

  it('covers localhost, 127.0.0.1 and ::1, and nothing else', () => {
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x509.checkIP('::1'), '::1');
    assert.equal(x509.checkHost('example.com'), undefined);
    assert.equal(x509.checkIP('10.0.0.1'), undefined);
    assert.match(x509.subject, /CN=localhost/);
    assert.match(x509.subjectAltName ?? '', /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
  });

  it('is valid from a day before now for the asked days, for TLS servers', () => {
    assert.equal(Date.parse(x509.validFrom), now.getTime() - 24 * 3600_000);
    assert.equal(Date.parse(x509.validTo), now.getTime() + 365 * 24 * 3600_000);
    assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1']); // Node reports the extended key usage here
  });

  it('gets a fresh serial number each time', () => {
    const other = new X509Certificate(createSelfSignedCertificate({ hosts: ['localhost'], validDays: 1 }).certPem);
    assert.notEqual(other.serialNumber, x509.serialNumber);
  });
});

describe('tls: the certificate files of --tls', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qb-tls-unit-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('makes the pair once beside the data file, keeps the key private, and reuses it', () => {
    const place = { dataPath: join(folder, 'chat.db'), listenHost: '127.0.0.1', logger: silentLogger };
    const first = loadTls({ selfSigned: true }, place);
    assert.equal(first.certPath, join(folder, 'tls', 'localhost-cert.pem'));
    assert.equal(statSync(join(folder, 'tls', 'localhost-key.pem')).mode & 0o077, 0);
    const second = loadTls({ selfSigned: true }, place);
    assert.equal(second.cert, first.cert);
    assert.equal(second.key, first.key);
  });

  it('makes a new one that also covers a specific listen address the old one does not', () => {
    const first = loadTls({ selfSigned: true }, { dataPath: join(folder, 'chat.db'), listenHost: '127.0.0.1', logger: silentLogger });
    const widened = loadTls({ selfSigned: true }, { dataPath: join(folder, 'chat.db'), listenHost: '192.0.2.7', logger: silentLogger });
    assert.notEqual(widened.cert, first.cert);
    assert.equal(new X509Certificate(widened.cert).checkIP('192.0.2.7'), '192.0.2.7');
  });

  it('says which file it could not read', () => {
    assert.throws(
      () => loadTls({ certFile: join(folder, 'nope.pem'), keyFile: join(folder, 'nope-key.pem') }, { listenHost: '127.0.0.1', logger: silentLogger }),
      /Could not read the TLS certificate .*nope\.pem/,
    );
  });
});
