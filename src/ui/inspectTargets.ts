// What an "Inspect … JSON" document shows, named by its URI path, and as which signed-in user it is
// fetched, named by its query; so a document VS Code reopens (history, split, reload of the
// provider) can be fetched again without any state of ours; and the stanzas of a message, found in
// the stanza log. No `vscode` import: tested in plain Node.
import type { StanzaRecord } from '../shared/protocol';
import { isObjectId } from '../shared/objectId';

export type InspectTarget =
  | { kind: 'dialog'; dialogId: string }
  | { kind: 'message'; dialogId: string; messageId: string }
  | { kind: 'stanza'; messageId: string };

/** The URI path: the file name is what the editor tab shows, its extension picks the language. */
export function inspectPath(target: InspectTarget): string {
  switch (target.kind) {
    case 'dialog':
      return `/dialog/${target.dialogId}.json`;
    case 'message':
      return `/message/${target.dialogId}/${target.messageId}.json`;
    case 'stanza':
      return `/stanza/${target.messageId}.xml`;
  }
}

/**
 * Whether a stanza id can name a message's stanzas: QuickBlox clients use the message's ObjectId, other
 * XMPP clients their own ids (random strings, UUIDs, `uuid:purpose`); never a path separator.
 */
export function isStanzaId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.:-]{1,200}$/.test(value);
}

/** The target a path names; undefined for any other path (a hand-made or damaged URI). */
export function parseInspectPath(path: string): InspectTarget | undefined {
  const parts = path.replace(/^\/+/, '').split('/');
  const ids = parts.slice(1).map((p) => p.replace(/\.(json|xml)$/, ''));
  if (parts[0] === 'stanza' && ids.length === 1 && path.endsWith('.xml')) return isStanzaId(ids[0]) ? { kind: 'stanza', messageId: ids[0] } : undefined;
  if (!ids.every((id) => isObjectId(id))) return undefined;
  if (parts[0] === 'dialog' && ids.length === 1 && path.endsWith('.json')) return { kind: 'dialog', dialogId: ids[0] };
  if (parts[0] === 'message' && ids.length === 2 && path.endsWith('.json')) return { kind: 'message', dialogId: ids[0], messageId: ids[1] };
  return undefined;
}

const USER_PARAM = 'as';

/** The URI query naming the user a document is fetched as, e.g. `as=1001`. */
export function inspectQuery(userId: number): string {
  return `${USER_PARAM}=${userId}`;
}

/**
 * The user a URI query names: `{ userId }`, with undefined for an empty query (a document opened
 * before several users could sign in: the profile's user); undefined when it names nothing usable.
 */
export function parseInspectQuery(query: string): { userId: number | undefined } | undefined {
  if (query === '') return { userId: undefined };
  const value = new URLSearchParams(query).get(USER_PARAM);
  return value !== null && /^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value)) ? { userId: Number(value) } : undefined;
}

/**
 * The message stanzas of a message: the stanza id is the message `_id` for what QuickBlox clients
 * send (the server keeps it), and the server adds `<message_id>` to what it routes.
 */
export function stanzasOfMessage(records: readonly StanzaRecord[], messageId: string): StanzaRecord[] {
  // Stanza ids may hold `.`, which a pattern would read as "any character".
  const rootId = new RegExp(`^<message\\b[^>]*\\sid=["']${messageId.replace(/[.]/g, '\\.')}["']`);
  const extraId = `<message_id>${messageId}</message_id>`;
  return records.filter((r) => r.kind === 'message' && (rootId.test(r.xml) || r.xml.includes(extraId)));
}

/** The stanza document: each stanza under a comment with direction, time and connection. */
export function stanzaDocument(records: readonly StanzaRecord[], messageId: string): string {
  if (records.length === 0) {
    return `<!-- No stanza of message ${messageId} in the stanza log: it holds only the latest stanzas, and a message loaded from history or sent over REST without send_to_chat never had one here. -->\n`;
  }
  return records
    .map((r) => `<!-- ${r.direction === 'in' ? 'received' : 'sent'} ${new Date(r.time).toISOString()} · ${r.connection} -->\n${r.xml}\n`)
    .join('\n');
}
