import * as assert from 'node:assert/strict';
import { xml } from '@xmpp/xml';
import { stanzaRecord } from '../../src/client/stanzaRecord';
import { isLoopbackService } from '../../src/client/xmppSession';

describe('client: stanza records', () => {
  it('hides the SASL PLAIN payload without touching the element being sent', () => {
    const auth = xml('auth', { xmlns: 'urn:ietf:params:xml:ns:xmpp-sasl', mechanism: 'PLAIN' }, 'AHVzZXIAdG9rZW4=');
    const record = stanzaRecord(auth, 'out', '1-1@localhost', 7, 1000);
    assert.equal(record.xml, '<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN"><hidden xmlns="xmpp.js"/></auth>');
    assert.equal(auth.getText(), 'AHVzZXIAdG9rZW4=');
    assert.deepEqual({ ...record, xml: '' }, { seq: 7, time: 1000, direction: 'out', connection: '1-1@localhost', kind: 'other', xml: '' });
  });

  it('keeps stanzas as they are and classifies them', () => {
    const message = xml('message', { to: '2-1@localhost', type: 'chat' }, xml('body', {}, 'hi'));
    const record = stanzaRecord(message, 'in', '1-1@localhost', 1);
    assert.equal(record.kind, 'message');
    assert.equal(record.xml, message.toString());
  });

  it('allows PLAIN in the clear only to this machine', () => {
    assert.equal(isLoopbackService('xmpp://127.0.0.1:5222'), true);
    assert.equal(isLoopbackService('xmpp://localhost:5222'), true);
    assert.equal(isLoopbackService('ws://[::1]:8080/ws'), true);
    assert.equal(isLoopbackService('xmpp://chat.example.com:5222'), false);
  });
});
