import * as assert from 'node:assert/strict';
import { withDialogRead, withMessage } from '../../src/client/dialogList';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';

const ME = 1;
const OTHER = 2;

function dialog(id: string, unread: number, lastSent: number | null = 100): QBDialog {
  return {
    _id: id, user_id: ME, type: DialogTypes.private, name: null, photo: null, xmpp_room_jid: null,
    occupants_ids: [ME, OTHER], last_message: 'earlier', last_message_date_sent: lastSent,
    last_message_id: 'm0', last_message_user_id: OTHER, unread_messages_count: unread,
    created_at: '2024-05-01T00:00:00Z', updated_at: '2024-05-01T00:00:00Z',
  };
}

function message(senderId: number, dateSent: number): QBMessage {
  return {
    _id: `m${dateSent}`, chat_dialog_id: 'd1', message: 'text', date_sent: dateSent, sender_id: senderId,
    recipient_id: senderId === ME ? OTHER : ME, read_ids: [senderId], delivered_ids: [senderId], attachments: [],
    created_at: '', updated_at: '',
  };
}

describe('client: dialog list', () => {
  describe('withMessage', () => {
    it('counts a message from someone else as unread', () => {
      assert.equal(withMessage(dialog('d1', 2), message(OTHER, 200), ME).unread_messages_count, 3);
    });

    it('never counts our own messages, new or late', () => {
      const newer = withMessage(dialog('d1', 2), message(ME, 200), ME);
      assert.equal(newer.unread_messages_count, 2);
      assert.equal(newer.last_message_user_id, ME, 'still the last message');
      assert.equal(withMessage(dialog('d1', 0), message(ME, 50), ME).unread_messages_count, 0, 'a late delivery');
    });
  });

  describe('withDialogRead', () => {
    it('zeroes only that dialog and keeps the order and the other fields', () => {
      const list = [dialog('d1', 3), dialog('d2', 4, 90)];
      const next = withDialogRead(list, 'd1');
      assert.ok(next);
      assert.deepEqual(next.map((d) => [d._id, d.unread_messages_count]), [['d1', 0], ['d2', 4]]);
      assert.deepEqual({ ...next[0], unread_messages_count: 3 }, list[0]);
      assert.equal(list[0].unread_messages_count, 3, 'the given list is not mutated');
    });

    it('says nothing changed for a dialog already read or not in the list', () => {
      const list = [dialog('d1', 0), dialog('d2', 1)];
      assert.equal(withDialogRead(list, 'd1'), undefined);
      assert.equal(withDialogRead(list, 'nope'), undefined);
    });
  });
});
