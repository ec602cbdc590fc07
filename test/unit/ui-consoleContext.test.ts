import * as assert from 'node:assert/strict';
import type { ChatServiceApi } from '../../src/client/contracts';
import { DialogTypes, type QBDialog } from '../../src/shared/models';
import { consoleContext } from '../../src/ui/consoleContext';

const ALICE = 1001;
const BOB = 1002;

function dialog(id: string, type: QBDialog['type'], occupants: number[], name: string | null = null): QBDialog {
  return {
    _id: id, user_id: occupants[0], type, name, photo: null, xmpp_room_jid: null, occupants_ids: occupants, last_message: null,
    last_message_date_sent: null, last_message_id: null, last_message_user_id: null, unread_messages_count: 0, created_at: '', updated_at: '',
  };
}

function user(id: number, dialogs: QBDialog[], online = true): { service: ChatServiceApi } {
  const service = { connections: () => (online ? [`${id}-1@localhost`] : []), dialogs } as unknown as ChatServiceApi;
  return { service };
}

describe('ui: the stanza console\'s context with several users', () => {
  it('lists every connection, and per connection its user\'s dialogs addressed as that user sees them', () => {
    const both = dialog('d1', DialogTypes.private, [ALICE, BOB]);
    const group = dialog('d2', DialogTypes.group, [ALICE, BOB], 'Demo group');
    const bobsOwn = dialog('d3', DialogTypes.private, [BOB, 1003]);
    const entries = [user(ALICE, [both, group]), user(BOB, [both, group, bobsOwn])];
    const context = consoleContext({ list: () => entries as never, connections: () => entries.flatMap((e) => e.service.connections()), decisionStreamLive: true }, 5000);
    assert.deepEqual(context.connections, ['1001-1@localhost', '1002-1@localhost']);
    const addresses = Object.fromEntries(Object.entries(context.dialogs).map(([connection, list]) => [connection, list.map((d) => [d.id, d.to])]));
    assert.deepEqual(addresses, {
      // The private dialog goes to the other occupant: a different JID for each of them.
      '1001-1@localhost': [
        ['d1', '1002-1@localhost'],
        ['d2', '1_d2@muc.localhost'],
      ],
      '1002-1@localhost': [
        ['d1', '1001-1@localhost'],
        ['d2', '1_d2@muc.localhost'],
        ['d3', '1003-1@localhost'],
      ],
    });
    assert.deepEqual({ decisions: context.decisions, limit: context.limit }, { decisions: true, limit: 5000 });
  });

  it('leaves out the dialogs of a user whose connection is not live', () => {
    const entries = [user(ALICE, [dialog('d1', DialogTypes.private, [ALICE, BOB])], false)];
    const context = consoleContext({ list: () => entries as never, connections: () => [], decisionStreamLive: false }, 100);
    assert.deepEqual(context.dialogs, {});
  });
});
