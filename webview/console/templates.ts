// Starting points for the raw-XML editor, shaped like the QuickBlox SDK's stanzas (protocol spec §7),
// filled with the selected dialog's address and ids. Values are escaped, so a dialog name or id can
// never change the XML's structure.
import type { ConsoleDialog } from '../../src/shared/protocol';

export type TemplateName = 'message' | 'groupchat' | 'marker' | 'typing' | 'system' | 'presence' | 'iq';

export const TEMPLATES: readonly { name: TemplateName; label: string }[] = [
  { name: 'message', label: 'Chat message' },
  { name: 'groupchat', label: 'Group chat message' },
  { name: 'marker', label: 'Read marker' },
  { name: 'typing', label: 'Typing' },
  { name: 'system', label: 'System notification' },
  { name: 'presence', label: 'Presence' },
  { name: 'iq', label: 'IQ (ping)' },
];

const MARKERS = 'urn:xmpp:chat-markers:0';
const CHAT_STATES = 'http://jabber.org/protocol/chatstates';

/** Where the template sends, when nothing is selected: placeholders the validator still accepts. */
const NOBODY: ConsoleDialog = { id: '000000000000000000000000', name: '', type: 'private', to: 'USER_ID-APP_ID@DOMAIN' };

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A fresh ObjectId-shaped stanza id (seconds, then random), as the SDK makes them. */
export function stanzaId(nowMs: number = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  return Math.floor(nowMs / 1000).toString(16).padStart(8, '0') + [...random].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The domain part of a JID: where an iq to the server goes. */
function domainOf(jid: string): string {
  const bare = jid.split('/', 1)[0];
  return bare.slice(bare.indexOf('@') + 1);
}

function extraParams(params: Record<string, string>): string {
  const children = Object.entries(params).map(([k, v]) => `    <${k}>${escapeXml(v)}</${k}>`);
  return ['  <extraParams xmlns="jabber:client">', ...children, '  </extraParams>'].join('\n');
}

export function fillTemplate(name: TemplateName, dialog: ConsoleDialog | undefined, me: string | undefined, id: string = stanzaId()): string {
  const d = dialog ?? NOBODY;
  const to = escapeXml(d.to);
  const dialogId = d.id;
  const seconds = String(Math.floor(Date.now() / 1000));
  switch (name) {
    case 'message':
      return [
        `<message to="${to}" type="chat" id="${id}">`,
        '  <body>Hello from the stanza console</body>',
        `  <markable xmlns="${MARKERS}"/>`,
        extraParams({ save_to_history: '1', dialog_id: dialogId, date_sent: seconds }),
        '</message>',
      ].join('\n');
    case 'groupchat':
      return [
        `<message to="${to}" type="groupchat" id="${id}">`,
        '  <body>Hello, room</body>',
        extraParams({ save_to_history: '1', dialog_id: dialogId, date_sent: seconds }),
        '</message>',
      ].join('\n');
    case 'marker':
      return [
        `<message to="${to}" type="chat" id="${id}">`,
        `  <displayed xmlns="${MARKERS}" id="${escapeXml(d.lastMessageId ?? 'MESSAGE_ID')}"/>`,
        extraParams({ dialog_id: dialogId }),
        '</message>',
      ].join('\n');
    case 'typing':
      return [`<message to="${to}" type="${d.type === 'private' ? 'chat' : 'groupchat'}" id="${id}">`, `  <composing xmlns="${CHAT_STATES}"/>`, '</message>'].join('\n');
    case 'system':
      return [
        `<message to="${to}" type="headline" id="${id}">`,
        '  <body>System notification</body>',
        extraParams({ moduleIdentifier: 'SystemNotifications', dialog_id: dialogId }),
        '</message>',
      ].join('\n');
    case 'presence':
      return [`<presence id="${id}">`, '  <status>Debugging in VS Code</status>', '</presence>'].join('\n');
    case 'iq':
      return [`<iq type="get" to="${escapeXml(domainOf(me ?? d.to))}" id="${id}">`, '  <ping xmlns="urn:xmpp:ping"/>', '</iq>'].join('\n');
  }
}
