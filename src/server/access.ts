// Who may reach the local server from a browser. It hands out its credentials (GET /_local/info.json)
// and acts for any user with its API key, so a web page the user happens to visit must not be able
// to read from it: cross-origin reads only for loopback pages, VS Code webviews and origins the user
// named (--cors-origin), and no answer at all to a Host name that is not this machine's, which is
// what a DNS-rebinding page sends (its own domain, re-pointed at 127.0.0.1).
import { isIP } from 'node:net';

export interface AccessPolicy {
  /** Whether a request carrying this Origin may be served; no Origin means no browser, which is allowed. */
  allowsOrigin(origin: string | undefined): boolean;
  /** Whether the Host header names this server: a loopback name, an IP literal (cannot be rebound) or --host. */
  allowsHost(host: string | undefined): boolean;
}

export interface AccessOptions {
  /** The address the server listens on (--host), accepted as a Host name. */
  listenHost: string;
  /** Extra browser origins allowed, exactly as the browser sends them (`https://app.example:3000`). */
  corsOrigins: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function accessPolicy(options: AccessOptions): AccessPolicy {
  const extraOrigins = new Set(options.corsOrigins.map(normalizeOrigin));
  const listenHost = stripBrackets(options.listenHost.toLowerCase());
  return {
    allowsOrigin(origin) {
      if (origin === undefined) return true;
      if (extraOrigins.has(normalizeOrigin(origin))) return true;
      const url = parseUrl(origin);
      if (!url) return false;
      if (url.protocol === 'vscode-webview:') return true;
      return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname);
    },
    allowsHost(host) {
      if (host === undefined) return true;
      const name = hostName(host.toLowerCase());
      return name === 'localhost' || isIP(name) !== 0 || name === listenHost;
    },
  };
}

/** `name`, `name:port`, `[v6]` or `[v6]:port` → the name, brackets removed. */
function hostName(host: string): string {
  if (host.startsWith('[')) return stripBrackets(host.slice(0, host.indexOf(']') + 1));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
