// SASL PLAIN (RFC 4616), the only mechanism offered: QuickBlox clients may log in to chat with their
// REST session token as the password, which no challenge-response mechanism could check (protocol
// spec §7.2). The login is `<userId>-<appId>`; node-xmpp-client also sends the bare JID as authzid,
// Strophe leaves it empty, and both are accepted.
import { SESSION_TOKEN_PATTERN, SESSION_TTL_MS, type ChatStore } from '../store/chatStore';

export type SaslFailure = 'malformed-request' | 'invalid-authzid' | 'not-authorized';

export type SaslOutcome = { ok: true; userId: number } | { ok: false; condition: SaslFailure; text?: string };

export interface SaslRealm {
  store: ChatStore;
  appId: number;
  domain: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export async function authenticatePlain(initialResponse: string, realm: SaslRealm): Promise<SaslOutcome> {
  const encoded = initialResponse.trim();
  if (!encoded || !BASE64.test(encoded)) return { ok: false, condition: 'malformed-request' };
  const parts = Buffer.from(encoded, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return { ok: false, condition: 'malformed-request' };
  const [authzid, authcid, password] = parts;

  const login = /^(\d+)-(\d+)$/.exec(authcid);
  const userId = login ? Number(login[1]) : NaN;
  // The real server's wording, which apps match on (protocol spec §7.2).
  const denied: SaslOutcome = { ok: false, condition: 'not-authorized', text: 'Password not verified' };
  if (!login || Number(login[2]) !== realm.appId || !Number.isSafeInteger(userId)) return denied;
  if (authzid && authzid !== `${authcid}@${realm.domain}`) return { ok: false, condition: 'invalid-authzid' };

  // A token is checked first: it costs one indexed lookup, while the password hash is slow on purpose
  // and clients that log in with their REST token (the documented way) should not pay for it.
  if (SESSION_TOKEN_PATTERN.test(password)) {
    const session = realm.store.touchSession(password, SESSION_TTL_MS);
    if (session && session.userId === userId && session.appId === realm.appId) return { ok: true, userId };
  }
  return (await realm.store.verifyPassword(userId, password)) ? { ok: true, userId } : denied;
}
