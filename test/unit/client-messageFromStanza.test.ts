import * as assert from 'node:assert/strict';
import { xml } from '@xmpp/xml';
import { messageFromStanza } from '../../src/client/messageFromStanza';
import { NS } from '../../src/shared/stanza';

const DIALOG = '5f1c7a0e2b3c4d5e6f708192';
const now = Date.UTC(2025, 0, 2, 3, 4, 5);

function chat(attrs: Record<string, string>, ...children: ReturnType<typeof xml>[]) {
  return xml('message', { type: 'chat', ...attrs }, ...children);
}

describe('client: stanza → QBMessage', () => {
  it('reads a stored 1:1 message with server-injected extraParams', () => {
    const stanza = chat(
      { from: '1001-1@localhost/res', to: '1002-1@localhost', id: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
      xml('body', {}, 'hello'),
      xml('markable', { xmlns: 'urn:xmpp:chat-markers:0' }),
      xml(
        'extraParams',
        { xmlns: 'jabber:client' },
        xml('save_to_history', {}, '1'),
        xml('dialog_id', {}, DIALOG),
        xml('message_id', {}, 'bbbbbbbbbbbbbbbbbbbbbbbb'),
        xml('date_sent', {}, '1700000000.9'),
        xml('custom_param', {}, 'cp1'),
        xml('message', {}, 'must not overwrite the body'),
        xml('attachment', { type: 'image', id: 'f1', url: 'http://x/f1', size: '42' }),
      ),
    );
    assert.deepEqual(messageFromStanza(stanza, { myUserId: 1002, now }), {
      _id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      chat_dialog_id: DIALOG,
      message: 'hello',
      date_sent: 1700000000,
      sender_id: 1001,
      recipient_id: 1002,
      read_ids: [1001],
      delivered_ids: [1001],
      attachments: [{ type: 'image', id: 'f1', url: 'http://x/f1', size: 42 }],
      created_at: '2023-11-14T22:13:20.000Z',
      updated_at: '2023-11-14T22:13:20.000Z',
      markable: 1,
      custom_param: 'cp1',
    });
  });

  it('falls back to the stanza id, now, and an empty dialog id', () => {
    const stanza = chat({ from: '1001-1@localhost', to: '1002-1@localhost', id: 'stanza-id' }, xml('body', {}, 'hi'));
    const message = messageFromStanza(stanza, { myUserId: 1002, now });
    assert.equal(message?._id, 'stanza-id');
    assert.equal(message?.date_sent, Math.floor(now / 1000));
    assert.equal(message?.chat_dialog_id, '');
    assert.equal(message?.markable, undefined);
    assert.equal(message?.save_to_history, 0, 'no save_to_history=1: never stored, so marked unsaved');
  });

  it('uses a <delay> stamp when there is no date_sent', () => {
    const stanza = chat(
      { from: '1001-1@localhost', id: 'x' },
      xml('body', {}, 'late'),
      xml('delay', { xmlns: 'urn:xmpp:delay', stamp: '2024-05-06T07:08:09Z' }),
    );
    assert.equal(messageFromStanza(stanza, { myUserId: 1002, now })?.date_sent, Date.UTC(2024, 4, 6, 7, 8, 9) / 1000);
  });

  it('treats an outgoing stanza (no from) as ours', () => {
    const stanza = chat({ to: '1002-1@localhost', id: 'out' }, xml('body', {}, 'mine'));
    const message = messageFromStanza(stanza, { myUserId: 1001, now });
    assert.equal(message?.sender_id, 1001);
    assert.equal(message?.recipient_id, 1002);
  });

  it('reads groupchat sender and dialog from the room JID', () => {
    const stanza = xml('message', { type: 'groupchat', from: `1_${DIALOG}@muc.localhost/1003`, id: 'g' }, xml('body', {}, 'all'));
    const message = messageFromStanza(stanza, { myUserId: 1001, now });
    assert.equal(message?.sender_id, 1003);
    assert.equal(message?.recipient_id, 0);
    assert.equal(message?.chat_dialog_id, DIALOG);
  });

  it('ignores markers, chat states, corrections, headlines and errors', () => {
    const from = { from: '1001-1@localhost' };
    assert.equal(messageFromStanza(chat(from, xml('received', { xmlns: 'urn:xmpp:chat-markers:0', id: 'x' })), { myUserId: 1 }), undefined);
    assert.equal(messageFromStanza(chat(from, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })), { myUserId: 1 }), undefined);
    assert.equal(messageFromStanza(xml('message', { type: 'headline', ...from }, xml('body', {}, 'x')), { myUserId: 1 }), undefined);
    assert.equal(messageFromStanza(xml('message', { type: 'error', ...from }, xml('body', {}, 'x')), { myUserId: 1 }), undefined);
    // A correction carries a body, but it is new text for an earlier message, not a message.
    const correction = chat(from, xml('body', {}, 'fixed'), xml('replace', { xmlns: NS.correction, id: 'm1' }));
    assert.equal(messageFromStanza(correction, { myUserId: 1 }), undefined);
  });

  it('keeps a message that has only attachments', () => {
    const stanza = chat(
      { from: '1001-1@localhost', id: 'a' },
      xml('extraParams', { xmlns: 'jabber:client' }, xml('attachment', { type: 'file', id: 'f' })),
    );
    const message = messageFromStanza(stanza, { myUserId: 1, now });
    assert.equal(message?.message, null);
    assert.deepEqual(message?.attachments, [{ type: 'file', id: 'f' }]);
  });
});
