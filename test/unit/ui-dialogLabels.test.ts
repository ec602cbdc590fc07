import * as assert from 'node:assert/strict';
import type { ChatServiceApi, Disposable } from '../../src/client/contracts';
import { DialogTypes, type QBDialog } from '../../src/shared/models';
import { DialogLabels } from '../../src/ui/dialogLabels';

const ME = 1;
const OTHER = 2;

const privateDialog: QBDialog = {
  _id: 'd1', user_id: ME, type: DialogTypes.private, name: null, photo: null, xmpp_room_jid: null,
  occupants_ids: [ME, OTHER], last_message: null, last_message_date_sent: null, last_message_id: null,
  last_message_user_id: null, unread_messages_count: 0, created_at: '', updated_at: '',
};

/** The part of the service DialogLabels uses; `names` is what the user lookup answers. */
function fakeService(names: () => Record<number, string>): ChatServiceApi {
  const none: Disposable = { dispose() {} };
  return {
    state: 'online',
    me: { id: ME } as ChatServiceApi['me'],
    on: () => none,
    userNames: async (ids: number[]) => Object.fromEntries(ids.map((id) => [id, names()[id] ?? `User ${id}`])),
  } as unknown as ChatServiceApi;
}

describe('ui: dialog labels', () => {
  it('names a private dialog after the other occupant once looked up', async () => {
    const labels = new DialogLabels(fakeService(() => ({ [OTHER]: 'Bob Demo' })));
    assert.equal(labels.label(privateDialog), 'User 2');
    assert.equal(await labels.resolve([privateDialog]), true);
    assert.equal(labels.label(privateDialog), 'Bob Demo');
    assert.equal(await labels.resolve([privateDialog]), false, 'nothing left to look up');
  });

  it('names a private dialog after the other occupant as each signed-in user sees it', async () => {
    const labels = new DialogLabels(fakeService(() => ({ [ME]: 'Alice Demo', [OTHER]: 'Bob Demo' })));
    await labels.resolve([privateDialog]);
    await labels.resolve([privateDialog], OTHER);
    assert.equal(labels.label(privateDialog), 'Bob Demo', 'the profile user sees Bob');
    assert.equal(labels.label(privateDialog, OTHER), 'Alice Demo', 'Bob sees Alice');
  });

  it('does not keep the placeholder of a failed lookup: the next resolve tries again', async () => {
    let lookupWorks = false;
    const labels = new DialogLabels(fakeService((): Record<number, string> => (lookupWorks ? { [OTHER]: 'Bob Demo' } : {})));
    assert.equal(await labels.resolve([privateDialog]), false, 'no name learnt');
    assert.equal(labels.label(privateDialog), 'User 2');
    lookupWorks = true;
    assert.equal(await labels.resolve([privateDialog]), true);
    assert.equal(labels.label(privateDialog), 'Bob Demo');
  });
});
