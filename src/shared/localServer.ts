// The contract between the local server and whoever starts it: the CLI prints one line
// `ready {json}` when listening, and serves the same JSON at GET /_local/info.json so that a
// client can discover an already running server from its REST address alone.

export interface DemoUser {
  id: number;
  login: string;
  password: string;
  fullName: string;
}

export interface LocalServerInfo {
  rest: string; // http://127.0.0.1:8080/ (https:// with TLS)
  websocket: string; // ws://127.0.0.1:8080/ws (wss:// with TLS)
  xmpp: string; // xmpp://127.0.0.1:5222
  domain: string;
  muc: string;
  appId: number;
  authKey: string;
  authSecret: string;
  apiKey: string;
  demoUsers?: DemoUser[];
  /** Present when REST and WebSocket are served over TLS: the certificate file a client should trust. */
  tls?: { cert: string };
}

export const READY_PREFIX = 'ready ';
export const LOCAL_INFO_PATH = '/_local/info.json';

export function formatReadyLine(info: LocalServerInfo): string {
  return READY_PREFIX + JSON.stringify(info);
}

/** Returns the info when `line` is a ready line, otherwise undefined. */
export function parseReadyLine(line: string): LocalServerInfo | undefined {
  if (!line.startsWith(READY_PREFIX)) return undefined;
  const value: unknown = JSON.parse(line.slice(READY_PREFIX.length));
  return isLocalServerInfo(value) ? value : undefined;
}

export function isLocalServerInfo(value: unknown): value is LocalServerInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.rest === 'string' &&
    typeof v.websocket === 'string' &&
    typeof v.xmpp === 'string' &&
    typeof v.domain === 'string' &&
    typeof v.muc === 'string' &&
    typeof v.appId === 'number' &&
    typeof v.authKey === 'string' &&
    typeof v.authSecret === 'string' &&
    typeof v.apiKey === 'string' &&
    (v.demoUsers === undefined || Array.isArray(v.demoUsers)) &&
    (v.tls === undefined || (typeof v.tls === 'object' && v.tls !== null && typeof (v.tls as Record<string, unknown>).cert === 'string'))
  );
}

/** Defaults shared by the CLI and the extension's "Local server" profile, so they meet without setup. */
export const LOCAL_DEFAULTS = {
  host: '127.0.0.1',
  httpPort: 8080,
  xmppPort: 5222,
  domain: 'localhost',
  appId: 1,
  authKey: 'local-auth-key',
  authSecret: 'local-auth-secret',
  apiKey: 'local-api-key',
} as const;
