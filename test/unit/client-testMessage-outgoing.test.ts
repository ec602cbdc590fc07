import * as assert from 'node:assert/strict';
import { chatStanza, restMessageBody, systemNotificationStanza } from '../../src/client/outgoingMessage';

describe('client: outgoing message shapes (spec §7.5, §7.8, §5.2)', () => {
  it('builds a chat stanza as QB.chat.send does', () => {
    const stanza = chatStanza({
      to: '2-1@localhost',
      id: '65f000000000000000000001',
      body: 'hi',
      markable: true,
      extraParams: { save_to_history: 1, dialog_id: 'd', custom: 'x' },
      attachments: [{ type: 'image', id: '42' }],
    });
    assert.equal(
      stanza.toString(),
      '<message to="2-1@localhost" type="chat" id="65f000000000000000000001"><body>hi</body>' +
        '<markable xmlns="urn:xmpp:chat-markers:0"/><extraParams xmlns="jabber:client"><save_to_history>1</save_to_history>' +
        '<dialog_id>d</dialog_id><custom>x</custom><attachment type="image" id="42"/></extraParams></message>',
    );
  });

  it('leaves out <markable/> when markers are not asked for', () => {
    const stanza = chatStanza({ to: 'a@b', id: 'i', body: 'hi', markable: false, extraParams: { save_to_history: 0 } });
    assert.equal(stanza.getChild('markable'), undefined);
    assert.equal(stanza.getChild('extraParams')?.getChildText('save_to_history'), '0');
  });

  it('builds a headline system notification with moduleIdentifier first and no from', () => {
    const stanza = systemNotificationStanza({ to: '2-1@localhost', id: 'n1', body: 'ping', extraParams: { k: 'v' } });
    assert.equal(
      stanza.toString(),
      '<message type="headline" id="n1" to="2-1@localhost"><body>ping</body><extraParams xmlns="jabber:client">' +
        '<moduleIdentifier>SystemNotifications</moduleIdentifier><k>v</k></extraParams></message>',
    );
  });

  it('keeps <extraParams> on a notification without body or parameters (Node receivers need it)', () => {
    const stanza = systemNotificationStanza({ to: 'a@b', id: 'n2' });
    assert.equal(stanza.getChild('body'), undefined);
    assert.equal(stanza.getChild('extraParams')?.getChildText('moduleIdentifier'), 'SystemNotifications');
  });

  it('puts REST custom parameters at the top level, switches only when on', () => {
    assert.deepEqual(restMessageBody({ dialogId: 'd', text: 't', markable: false, sendToChat: true, customParams: { a: '1' } }), {
      a: '1',
      chat_dialog_id: 'd',
      message: 't',
      send_to_chat: 1,
    });
    assert.deepEqual(
      restMessageBody({ dialogId: 'd', text: 't', markable: true, sendToChat: false, attachments: [{ type: 'file', url: 'https://x/y' }] }),
      { chat_dialog_id: 'd', message: 't', markable: 1, attachments: [{ type: 'file', url: 'https://x/y' }] },
    );
  });
});
