// Where the local server's TLS material comes from: the user's own PEM files (--tls-cert/--tls-key), or
// a self-signed certificate (--tls) made once into `<data folder>/tls/` and reused on later starts, so
// that trusting it once (NODE_EXTRA_CA_CERTS, a browser's certificate store) lasts.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../../shared/logger';
import { createSelfSignedCertificate, ipAddressBytes } from './selfSigned';
import { errorMessage } from '../../shared/errors';

export type TlsOption = { certFile: string; keyFile: string } | { selfSigned: true };

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The certificate's file: what a client trusts. */
  certPath: string;
}

export interface TlsPlace {
  /** The database file, beside which `tls/` is kept; undefined for an in-memory server. */
  dataPath?: string;
  /** The address the server listens on; covered by a new certificate besides the loopback names. */
  listenHost: string;
  logger: Logger;
}

/** The names every self-signed certificate covers: what a local client calls the server by. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;
const VALID_DAYS = 365;
/** A certificate this close to its end is replaced rather than reused. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

export function loadTls(option: TlsOption, place: TlsPlace): TlsMaterial {
  if ('certFile' in option) {
    const material = { cert: readPem(option.certFile, 'certificate'), key: readPem(option.keyFile, 'key'), certPath: option.certFile };
    place.logger.info(`TLS: serving HTTPS and WSS with the certificate ${option.certFile}`);
    return material;
  }
  return selfSignedIn(place.dataPath ? join(dirname(place.dataPath), 'tls') : memoryFolder(), certificateHosts(place.listenHost), place.logger);
}

function selfSignedIn(folder: string, hosts: string[], logger: Logger): TlsMaterial {
  const certPath = join(folder, 'localhost-cert.pem');
  const keyPath = join(folder, 'localhost-key.pem');
  const existing = reusable(certPath, keyPath, hosts);
  if (existing) {
    logger.info(`TLS: serving HTTPS and WSS with the self-signed certificate ${certPath} (made earlier; ${trustHint(certPath)})`);
    return existing;
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const { certPem, keyPem } = createSelfSignedCertificate({ hosts, validDays: VALID_DAYS });
  // Each file appears whole (rename), so a server starting at the same moment never reads half a PEM.
  writeAtomically(keyPath, keyPem, 0o600);
  writeAtomically(certPath, certPem, 0o644);
  logger.info(`TLS: made a self-signed certificate for ${hosts.join(', ')} at ${certPath}; ${trustHint(certPath)}`);
  return { cert: certPem, key: keyPem, certPath };
}

function trustHint(certPath: string): string {
  return `trust it with NODE_EXTRA_CA_CERTS=${certPath} (Node, the official SDK) or your browser's certificate settings`;
}

/** The stored pair when it is whole, matches, covers every host and is not about to expire. */
function reusable(certPath: string, keyPath: string, hosts: string[]): TlsMaterial | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const cert = readFileSync(certPath, 'utf8');
    const key = readFileSync(keyPath, 'utf8');
    const x509 = new X509Certificate(cert);
    const fresh = Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE_MS && Date.parse(x509.validFrom) <= Date.now();
    const covers = hosts.every((host) => (ipAddressBytes(host) ? x509.checkIP(host) : x509.checkHost(host)) !== undefined);
    return fresh && covers && x509.checkPrivateKey(createPrivateKey(key)) ? { cert, key, certPath } : undefined;
  } catch {
    return undefined; // unreadable or damaged: made anew
  }
}

/** Loopback names plus the listen address when it is a specific one (a LAN address, say). */
function certificateHosts(listenHost: string): string[] {
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '';
  const known: readonly string[] = LOOPBACK_HOSTS;
  return wildcard || known.includes(listenHost) ? [...LOOPBACK_HOSTS] : [...LOOPBACK_HOSTS, listenHost];
}

/**
 * An in-memory server keeps its certificate in a per-user folder under the temp directory, reused across
 * runs. A folder someone else owns (planted in a shared /tmp) would hand them the private key: refused.
 */
function memoryFolder(): string {
  const uid = process.getuid?.();
  const folder = join(tmpdir(), uid === undefined ? 'quickblox-workbench-tls' : `quickblox-workbench-tls-${uid}`);
  if (uid !== undefined && existsSync(folder)) {
    const stat = lstatSync(folder);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
      throw new Error(`${folder} is not a private folder of this user; remove it, or pass --tls-cert and --tls-key.`);
    }
  }
  return folder;
}

function readPem(path: string, what: 'certificate' | 'key'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Could not read the TLS ${what} ${path}: ${errorMessage(error)}`);
  }
}

function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, path);
}
