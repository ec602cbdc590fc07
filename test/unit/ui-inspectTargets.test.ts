import * as assert from 'node:assert/strict';
import type { StanzaRecord } from '../../src/shared/protocol';
import { inspectPath, inspectQuery, parseInspectPath, parseInspectQuery, stanzaDocument, stanzasOfMessage } from '../../src/ui/inspectTargets';

const D = '65f000000000000000000001';
const M = '65f0000000000000000000aa';

function record(seq: number, xml: string, kind: StanzaRecord['kind'] = 'message'): StanzaRecord {
  return { seq, time: 0, direction: 'in', connection: '1-1@localhost', kind, xml };
}

describe('ui: inspect targets', () => {
  it('round-trips dialog, message and stanza paths', () => {
    for (const target of [{ kind: 'dialog', dialogId: D }, { kind: 'message', dialogId: D, messageId: M }, { kind: 'stanza', messageId: M }] as const) {
      assert.deepEqual(parseInspectPath(inspectPath(target)), target);
    }
  });

  it('refuses paths that name nothing', () => {
    assert.equal(parseInspectPath('/dialog/not-an-id.json'), undefined);
    assert.equal(parseInspectPath(`/message/${D}.json`), undefined);
    assert.equal(parseInspectPath(`/stanza/${M}.json`), undefined);
  });

  it('names the user a document is fetched as, and refuses a query that names nobody', () => {
    assert.deepEqual(parseInspectQuery(inspectQuery(1002)), { userId: 1002 });
    assert.deepEqual(parseInspectQuery(''), { userId: undefined }, 'no query: the profile\'s user');
    for (const bad of ['as=', 'as=bob', 'as=-1', 'as=1.5', 'user=1002', 'as=99999999999999999999']) assert.equal(parseInspectQuery(bad), undefined, bad);
  });

  it('finds a message by its stanza id or the message_id the server added, not by a marker', () => {
    const records = [
      record(1, `<message to="x" type="chat" id="${M}"><body>a</body></message>`),
      record(2, `<message type="chat" id="other"><extraParams><message_id>${M}</message_id></extraParams></message>`),
      record(3, `<message type="chat" id="m3"><received xmlns="urn:xmpp:chat-markers:0" id="${M}"/></message>`),
      record(4, `<iq id="${M}"/>`, 'iq'),
    ];
    assert.deepEqual(stanzasOfMessage(records, M).map((r) => r.seq), [1, 2]);
  });

  it('names the stanzas of a message another client sent under its own stanza id, literally', () => {
    const id = 'f3a1.b2:purpose';
    assert.deepEqual(parseInspectPath(inspectPath({ kind: 'stanza', messageId: id })), { kind: 'stanza', messageId: id });
    assert.equal(parseInspectPath('/stanza/a%2Fb.xml'), undefined, 'no id smuggles a path in');
    const records = [record(1, `<message type="chat" id="${id}"><body>a</body></message>`), record(2, '<message type="chat" id="f3a1xb2:purpose"><body>b</body></message>')];
    assert.deepEqual(stanzasOfMessage(records, id).map((r) => r.seq), [1], 'a dot in the id is a dot, not any character');
  });

  it('says why there is no stanza', () => {
    assert.match(stanzaDocument([], M), /No stanza of message/);
    assert.match(stanzaDocument([record(1, '<message/>')], M), /^<!-- received 1970-01-01T00:00:00.000Z · 1-1@localhost -->\n<message\/>/);
  });
});
