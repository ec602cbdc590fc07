import * as assert from 'node:assert/strict';
import { xml, type Element } from '@xmpp/xml';
import { chatStateFromStanza, markerFromStanza } from '../../src/client/chatSignals';
import { chatStateStanza, markerStanza } from '../../src/client/outgoingMessage';

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

    it('ignores our own, groupchat, unknown states and other namespaces', () => {
      const composing = xml('composing', { xmlns: STATES });
      assert.equal(chatStateFromStanza(message({ from: '1002-1@localhost/r' }, composing), ME), undefined);
      assert.equal(chatStateFromStanza(message({ type: 'groupchat', from: 'room@muc.localhost/1001' }, composing), ME), undefined);
      assert.equal(chatStateFromStanza(message({}, xml('dancing', { xmlns: STATES })), ME), undefined);
      assert.equal(chatStateFromStanza(message({}, xml('composing', { xmlns: 'urn:other' })), ME), undefined);
      assert.equal(chatStateFromStanza(message({}, xml('body', {}, 'hi')), ME), undefined);
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

    it('builds chat states without id or body', () => {
      assert.equal(chatStateStanza('1001-1@localhost', 'composing').toString(), `<message type="chat" to="1001-1@localhost"><composing xmlns="${STATES}"/></message>`);
      const paused = chatStateStanza('1002-1@localhost', 'paused');
      paused.attrs.from = '1001-1@localhost/r';
      assert.deepEqual(chatStateFromStanza(paused, ME), { state: 'paused', userId: 1001, dialogId: '' });
    });
  });
});
