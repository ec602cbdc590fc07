// QuickBlox JIDs: users are `<userId>-<appId>@<domain>`, rooms `<appId>_<dialogId>@muc.<domain>`.

export interface UserAddress {
  userId: number;
  appId: number;
  domain: string;
  resource?: string;
}

export interface RoomAddress {
  appId: number;
  dialogId: string;
  mucDomain: string;
  nick?: string;
}

export function userJid(userId: number, appId: number, domain: string, resource?: string): string {
  return `${userId}-${appId}@${domain}${resource ? `/${resource}` : ''}`;
}

export function roomJid(appId: number, dialogId: string, mucDomain: string, nick?: string): string {
  return `${appId}_${dialogId}@${mucDomain}${nick ? `/${nick}` : ''}`;
}

export function mucDomainOf(domain: string): string {
  return `muc.${domain}`;
}

/** Splits `local@domain/resource`; the resource may itself contain `/`. */
export function splitJid(jid: string): { local: string; domain: string; resource?: string } | undefined {
  const slash = jid.indexOf('/');
  const bare = slash === -1 ? jid : jid.slice(0, slash);
  const resource = slash === -1 ? undefined : jid.slice(slash + 1);
  const at = bare.indexOf('@');
  if (at <= 0 || at === bare.length - 1) return undefined;
  return { local: bare.slice(0, at), domain: bare.slice(at + 1), resource: resource || undefined };
}

export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? jid : jid.slice(0, slash);
}

export function parseUserJid(jid: string): UserAddress | undefined {
  const parts = splitJid(jid);
  const m = parts && /^(\d+)-(\d+)$/.exec(parts.local);
  if (!parts || !m) return undefined;
  const userId = Number(m[1]);
  const appId = Number(m[2]);
  if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
  return { userId, appId, domain: parts.domain, resource: parts.resource };
}

export function parseRoomJid(jid: string): RoomAddress | undefined {
  const parts = splitJid(jid);
  const m = parts && /^(\d+)_([0-9a-f]{24})$/i.exec(parts.local);
  if (!parts || !m) return undefined;
  return { appId: Number(m[1]), dialogId: m[2], mucDomain: parts.domain, nick: parts.resource };
}
