// Protocol payloads for the webview tests, shaped like the host sends them.
import type { QBDialog, QBMessage } from '../../src/shared/models';
import type { ConsoleContext, ConsoleSnapshot, ConversationSnapshot, ServerDecision, StanzaRecord } from '../../src/shared/protocol';

export const DIALOG_ID = '6650a0000000000000000001';
export const ME = 1001;
export const ALICE = 1002;
export const BOB = 1003;
/** 2024-05-01T12:00:00Z, in QuickBlox's seconds. */
export const T0 = 1714564800;

export function dialog(overrides: Partial<QBDialog> = {}): QBDialog {
  return {
    _id: DIALOG_ID,
    user_id: ME,
    type: 2,
    name: 'Team chat',
    photo: null,
    xmpp_room_jid: null,
    occupants_ids: [ME, ALICE, BOB],
    last_message: null,
    last_message_date_sent: null,
    last_message_id: null,
    last_message_user_id: null,
    unread_messages_count: 0,
    created_at: '2024-05-01T00:00:00Z',
    updated_at: '2024-05-01T00:00:00Z',
    ...overrides,
  };
}

/** Message number `i`; ids sort like their numbers. */
export function message(i: number, overrides: Partial<QBMessage> = {}): QBMessage {
  return {
    _id: `m${String(i).padStart(6, '0')}`,
    chat_dialog_id: DIALOG_ID,
    message: `message number ${i}`,
    date_sent: T0 + i,
    sender_id: [ME, ALICE, BOB][i % 3],
    recipient_id: 0,
    read_ids: [],
    delivered_ids: [],
    attachments: [],
    created_at: '2024-05-01T12:00:00Z',
    updated_at: '2024-05-01T12:00:00Z',
    ...overrides,
  };
}

export function messages(from: number, count: number): QBMessage[] {
  return Array.from({ length: count }, (_, k) => message(from + k));
}

export function snapshot(overrides: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    dialog: dialog(),
    myUserId: ME,
    names: { [ME]: 'Me Myself', [ALICE]: 'Alice', [BOB]: 'Bob' },
    messages: [],
    hasMore: false,
    connection: 'online',
    ...overrides,
  };
}

/** 2024-05-01T12:34:56.789Z */
export const STANZA_T0 = Date.UTC(2024, 4, 1, 12, 34, 56, 789);

export function stanza(seq: number, overrides: Partial<StanzaRecord> = {}): StanzaRecord {
  return {
    seq,
    time: STANZA_T0 + seq,
    direction: seq % 2 === 0 ? 'out' : 'in',
    connection: '1001-1@localhost',
    kind: 'message',
    xml: `<message to="1002-1@localhost" id="s${seq}" type="chat"><body>hello ${seq}</body></message>`,
    ...overrides,
  };
}

export function stanzas(from: number, count: number): StanzaRecord[] {
  return Array.from({ length: count }, (_, k) => stanza(from + k));
}

export function consoleContext(overrides: Partial<ConsoleContext> = {}): ConsoleContext {
  return {
    connections: ['1001-1@localhost'],
    dialogs: {
      '1001-1@localhost': [
        { id: '5f0000000000000000000001', name: 'Alice', type: 'private', to: '1002-1@localhost', lastMessageId: '5f00000000000000000000aa' },
        { id: '5f0000000000000000000002', name: 'Team chat', type: 'group', to: '1_5f0000000000000000000002@muc.localhost' },
      ],
    },
    decisions: true,
    limit: 5000,
    ...overrides,
  };
}

export function consoleSnapshot(records: StanzaRecord[], decisions: ServerDecision[] = [], context = consoleContext()): ConsoleSnapshot {
  return { stanzas: records, decisions, context };
}
