import * as assert from 'node:assert/strict';
import { xml, type Element } from '@xmpp/xml';
import { chatStateFromStanza, correctionFromStanza, markerFromStanza, systemNotificationFromStanza } from '../../src/client/chatSignals';
import { chatStateStanza, correctionStanza, markerStanza, systemNotificationStanza } from '../../src/client/outgoingMessage';
import { NS } from '../../src/shared/stanza';

const DIALOG = '5f1c7a0e2b3c4d5e6f708192';
const MSG = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ME = 1002;
const MARKERS = 'urn:xmpp:chat-markers:0';
const STATES = 'http://jabber.org/protocol/chatstates';

function message(attrs: Record<string, string>, ...children: Element[]): Element {
  return xml('message', { type: 'chat', from: '1001-1@localhost/res', to: '1002-1@localhost', ...attrs }, ...children);
}

function dialogParam(): Element {
  return xml('extraParams', { xmlns: 'jabber:client' }, xml('dialog_id', {}, DIALOG));
}

describe('client: chat markers and chat states', () => {
  describe('markerFromStanza', () => {
    it('reads <displayed/> as read and <received/> as delivered, with the sender and the dialog', () => {
      assert.deepEqual(markerFromStanza(message({ id: 'x1' }, xml('displayed', { xmlns: MARKERS, id: MSG }), dialogParam()), ME), {
        status: 'read',
        messageId: MSG,
        userId: 1001,
        dialogId: DIALOG,
      });
      assert.deepEqual(markerFromStanza(message({}, xml('received', { xmlns: MARKERS, id: MSG })), ME), {
        status: 'delivered',
        messageId: MSG,
        userId: 1001,
        dialogId: '',
      });
    });

    it('ignores our own markers, groupchat, other namespaces, markable and a marker without id', () => {
      const marker = xml('displayed', { xmlns: MARKERS, id: MSG });
      assert.equal(markerFromStanza(message({ from: '1002-1@localhost/other' }, marker), ME), undefined, 'from ourselves');
      assert.equal(markerFromStanza(message({ from: '' }, marker), ME), undefined, 'no from');
      assert.equal(markerFromStanza(message({ type: 'groupchat' }, marker), ME), undefined, 'groupchat');
      assert.equal(markerFromStanza(message({}, xml('displayed', { xmlns: 'urn:other', id: MSG })), ME), undefined, 'namespace');
      assert.equal(markerFromStanza(message({}, xml('displayed', { xmlns: MARKERS })), ME), undefined, 'no id');
      assert.equal(markerFromStanza(message({}, xml('body', {}, 'hi'), xml('markable', { xmlns: MARKERS })), ME), undefined, 'markable');
      assert.equal(markerFromStanza(xml('presence', { from: '1001-1@localhost' }, marker), ME), undefined, 'not a message');
    });
  });

  describe('chatStateFromStanza', () => {
    it('reads each chat state from the other user', () => {
      for (const state of ['composing', 'paused', 'active', 'inactive', 'gone'] as const) {
        assert.deepEqual(chatStateFromStanza(message({}, xml(state, { xmlns: STATES })), ME), { state, userId: 1001, dialogId: '' });
      }
      assert.deepEqual(chatStateFromStanza(message({}, xml('composing', { xmlns: STATES }), dialogParam()), ME), {
        state: 'composing',
        userId: 1001,
        dialogId: DIALOG,
      });
    });

    it('reads a room\'s chat state as the occupant\'s in the room\'s dialog', () => {
      const fromRoom = (nick: string) => message({ type: 'groupchat', from: `1_${DIALOG}@muc.localhost/${nick}`, to: '1002-1@localhost/res' }, xml('composing', { xmlns: STATES }));
      assert.deepEqual(chatStateFromStanza(fromRoom('1001'), ME), { state: 'composing', userId: 1001, dialogId: DIALOG });
      assert.equal(chatStateFromStanza(fromRoom(String(ME)), ME), undefined, 'our own, reflected by the room');
      assert.equal(chatStateFromStanza(fromRoom('carol'), ME), undefined, 'a nick that is no user id');
    });

    it('ignores our own, groupchat from no room, unknown states and other namespaces', () => {
      const composing = xml('composing', { xmlns: STATES });
      assert.equal(chatStateFromStanza(message({ from: '1002-1@localhost/r' }, composing), ME), undefined);
      assert.equal(chatStateFromStanza(message({ type: 'groupchat', from: 'room@muc.localhost/1001' }, composing), ME), undefined);
      assert.equal(chatStateFromStanza(message({ type: 'groupchat' }, composing), ME), undefined, 'groupchat from a user JID');
      assert.equal(chatStateFromStanza(message({}, xml('dancing', { xmlns: STATES })), ME), undefined);
      assert.equal(chatStateFromStanza(message({}, xml('composing', { xmlns: 'urn:other' })), ME), undefined);
      assert.equal(chatStateFromStanza(message({}, xml('body', {}, 'hi')), ME), undefined);
    });
  });

  describe('correctionFromStanza', () => {
    it('reads the corrected id, the new text, the sender and the dialog', () => {
      const stanza = message({ id: 'c1' }, xml('body', {}, 'new text'), xml('replace', { xmlns: NS.correction, id: MSG }), dialogParam());
      assert.deepEqual(correctionFromStanza(stanza, ME), { messageId: MSG, userId: 1001, text: 'new text', dialogId: DIALOG });
    });

    it('ignores our own, groupchat, no id, no body, another namespace and plain messages', () => {
      const replace = xml('replace', { xmlns: NS.correction, id: MSG });
      const body = xml('body', {}, 'x');
      assert.equal(correctionFromStanza(message({ from: '1002-1@localhost/r' }, body, replace), ME), undefined, 'ours');
      assert.equal(correctionFromStanza(message({ type: 'groupchat', from: 'r@muc.localhost/1001' }, body, replace), ME), undefined, 'groupchat');
      assert.equal(correctionFromStanza(message({}, body, xml('replace', { xmlns: NS.correction })), ME), undefined, 'no id');
      assert.equal(correctionFromStanza(message({}, replace), ME), undefined, 'no body');
      assert.equal(correctionFromStanza(message({}, body, xml('replace', { xmlns: 'urn:other', id: MSG })), ME), undefined, 'namespace');
      assert.equal(correctionFromStanza(message({}, body), ME), undefined, 'a plain message');
    });
  });

  describe('systemNotificationFromStanza', () => {
    const NOW = Date.UTC(2025, 0, 1);
    const headline = (attrs: Record<string, string>, ...children: Element[]) =>
      xml('message', { type: 'headline', from: '1001-1@localhost/res', to: '1002-1@localhost', ...attrs }, ...children);
    const extra = (module: string, ...params: [string, string][]) =>
      xml('extraParams', { xmlns: 'jabber:client' }, xml('moduleIdentifier', {}, module), ...params.map(([k, v]) => xml(k, {}, v)));

    it('reads a SystemNotifications headline: sender, body, parameters, its dialog', () => {
      const stanza = headline({ id: 'n1' }, xml('body', {}, 'ring'), extra('SystemNotifications', ['dialog_id', DIALOG], ['kind', 'call']));
      assert.deepEqual(systemNotificationFromStanza(stanza, ME, NOW), {
        notice: { id: 'n1', senderId: 1001, body: 'ring', dateSent: NOW / 1000, params: { dialog_id: DIALOG, kind: 'call' } },
        dialogId: DIALOG,
      });
      const bare = systemNotificationFromStanza(headline({}, extra('SystemNotifications')), ME, NOW);
      assert.equal(bare?.notice.body, null);
      assert.equal(bare?.dialogId, '');
      assert.match(bare?.notice.id ?? '', /^[0-9a-f]{24}$/, 'an id of its own when the stanza has none');
    });

    it('ignores WebRTC signalling, headlines without extraParams, chat messages and our own', () => {
      assert.equal(systemNotificationFromStanza(headline({}, extra('WebRTCVideoChat')), ME), undefined);
      assert.equal(systemNotificationFromStanza(headline({}, xml('body', {}, 'x')), ME), undefined);
      assert.equal(systemNotificationFromStanza(headline({ type: 'chat' }, extra('SystemNotifications')), ME), undefined);
      assert.equal(systemNotificationFromStanza(headline({ from: '1002-1@localhost/r' }, extra('SystemNotifications')), ME), undefined);
    });

    it('reads what systemNotificationStanza builds', () => {
      const sent = systemNotificationStanza({ to: '1002-1@localhost', id: 'n2', body: 'hi', extraParams: { dialog_id: DIALOG } });
      sent.attrs.from = '1001-1@localhost/r';
      assert.deepEqual(systemNotificationFromStanza(sent, ME, NOW)?.notice, { id: 'n2', senderId: 1001, body: 'hi', dateSent: NOW / 1000, params: { dialog_id: DIALOG } });
    });
  });

  describe('outgoing', () => {
    it('builds markers as the SDK does: type chat to the sender, the marked id, dialog_id in extraParams', () => {
      const stanza = markerStanza({ to: '1001-1@localhost', id: 'bbbbbbbbbbbbbbbbbbbbbbbb', kind: 'displayed', messageId: MSG, dialogId: DIALOG });
      assert.equal(
        stanza.toString(),
        `<message type="chat" to="1001-1@localhost" id="bbbbbbbbbbbbbbbbbbbbbbbb"><displayed xmlns="${MARKERS}" id="${MSG}"/>` +
          `<extraParams xmlns="jabber:client"><dialog_id>${DIALOG}</dialog_id></extraParams></message>`,
      );
      // What we send, read back as the other side would.
      const received = markerStanza({ to: '1002-1@localhost', id: 'c', kind: 'received', messageId: MSG, dialogId: DIALOG });
      received.attrs.from = '1001-1@localhost/r';
      assert.deepEqual(markerFromStanza(received, ME), { status: 'delivered', messageId: MSG, userId: 1001, dialogId: DIALOG });
    });

    it('builds a correction: type chat, the new body, <replace id/>, save_to_history=0 and the dialog', () => {
      const stanza = correctionStanza({ to: '1001-1@localhost', id: 'c2', replaces: MSG, body: 'fixed', dialogId: DIALOG });
      assert.equal(
        stanza.toString(),
        `<message type="chat" to="1001-1@localhost" id="c2"><body>fixed</body><replace xmlns="${NS.correction}" id="${MSG}"/>` +
          `<extraParams xmlns="jabber:client"><save_to_history>0</save_to_history><dialog_id>${DIALOG}</dialog_id></extraParams></message>`,
      );
      stanza.attrs.from = '1001-1@localhost/r';
      assert.deepEqual(correctionFromStanza(stanza, ME), { messageId: MSG, userId: 1001, text: 'fixed', dialogId: DIALOG });
    });

    it('builds chat states without id or body', () => {
      assert.equal(chatStateStanza('1001-1@localhost', 'composing').toString(), `<message type="chat" to="1001-1@localhost"><composing xmlns="${STATES}"/></message>`);
      assert.equal(
        chatStateStanza(`1_${DIALOG}@muc.localhost`, 'composing', 'groupchat').toString(),
        `<message type="groupchat" to="1_${DIALOG}@muc.localhost"><composing xmlns="${STATES}"/></message>`,
        'to a room, as the SDK sends it',
      );
      const paused = chatStateStanza('1002-1@localhost', 'paused');
      paused.attrs.from = '1001-1@localhost/r';
      assert.deepEqual(chatStateFromStanza(paused, ME), { state: 'paused', userId: 1001, dialogId: '' });
    });
  });
});
