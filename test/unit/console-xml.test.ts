// The stanza console's pure parts: raw-XML validation before sending, pretty-printing for display,
// the join of stanzas with the server's decisions, the filters, and the export formats.
import assert from 'node:assert/strict';
import { parseRawStanza } from '../../src/client/rawStanza';
import { joinEntries, matchesFilter } from '../../src/shared/consoleEntries';
import type { ServerDecision, StanzaRecord } from '../../src/shared/protocol';
import { parseXmlTree, prettyLineCount, prettyXml } from '../../src/shared/xmlTree';
import { exportText } from '../../src/ui/consoleExport';

const record = (seq: number, over: Partial<StanzaRecord> = {}): StanzaRecord => ({
  seq,
  time: 1000 + seq * 10,
  direction: 'out',
  connection: '1001-1@localhost',
  kind: 'message',
  xml: `<message to="1002-1@localhost" id="m${seq}"><body>hi</body></message>`,
  ...over,
});
const decision = (seq: number, over: Partial<ServerDecision> = {}): ServerDecision => ({
  seq,
  time: 1000 + seq * 10 + 1,
  direction: 'in',
  session: '1001-1@localhost/r',
  stanza: `<message to="1002-1@localhost" id="m${seq}" from="1001-1@localhost/r"/>`,
  decision: 'stored',
  ...over,
});

describe('console: raw XML validation', () => {
  const error = (text: string) => {
    try {
      parseRawStanza(text);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('accepts one message, presence or iq, detached and ready to send', () => {
    const stanza = parseRawStanza('  <message to="a@b" type="chat"><body>a &amp; b</body></message>\n');
    assert.equal(stanza.toString(), '<message to="a@b" type="chat"><body>a &amp; b</body></message>');
    assert.equal(stanza.parent, null);
    assert.equal(parseRawStanza('<presence/>').name, 'presence');
    assert.equal(parseRawStanza('<iq type="get" id="1"><ping xmlns="urn:xmpp:ping"/></iq>').name, 'iq');
  });

  it('says what is wrong otherwise', () => {
    assert.match(error(''), /Nothing to send/);
    assert.match(error('<message><body>hi</message>'), /Not well-formed XML: body must be closed/);
    assert.match(error('<message>'), /Not well-formed XML: message must be closed|not closed/);
    assert.match(error('<message to=x/>'), /not closed|cut off/);
    assert.match(error('<message><body>a & b</body></message>'), /bare "&"/);
    assert.match(error('<message a="1" a="2"/>'), /attribute a twice/);
    assert.match(error('<message/><presence/>'), /2 top-level elements .*one stanza at a time/);
    assert.match(error('hello <presence/>'), /text "hello" outside the stanza/);
    assert.match(error('<stream:features/>'), /<stream:features> is not a stanza/);
    assert.match(error('<message xmlns="urn:other"/>'), /jabber:client/);
    assert.match(error('<iq type="get"/>'), /needs an id/);
  });
});

describe('console: pretty-printing', () => {
  it('indents elements, keeps text-only elements on one line and the text as written', () => {
    const tree = parseXmlTree('<iq type="result" id=\'a"b\'><query xmlns="jabber:iq:roster"><item jid="x@y"/>tail &lt;text&gt;</query></iq>');
    assert.ok(tree);
    assert.equal(
      prettyXml(tree),
      ['<iq type="result" id=\'a"b\'>', '  <query xmlns="jabber:iq:roster">', '    <item jid="x@y"/>', '    tail &lt;text&gt;', '  </query>', '</iq>'].join('\n'),
    );
    assert.equal(prettyLineCount(tree), 6);
    assert.equal(prettyXml(parseXmlTree('<message><body>a\nb</body></message>')!), '<message>\n  <body>a\nb</body>\n</message>');
    assert.equal(prettyLineCount(parseXmlTree('<message><body>a\nb</body></message>')!), 4);
  });

  it('gives up on anything that is not one element, so the console shows it as it came', () => {
    for (const text of ['<a><b></a>', '<a/><b/>', 'text', '<a>', '<stream:stream xmlns="jabber:client">']) assert.equal(parseXmlTree(text), undefined, text);
  });
});

describe('console: entries, filters and export', () => {
  it('attaches decisions to their stanza (our out is the server in) and gives the rest a server-lane entry, in time order', () => {
    const entries = joinEntries(
      [record(1), record(2, { direction: 'in', xml: '<message from="1002-1@localhost/x" id="m2"/>' }), record(3)],
      [
        decision(1),
        decision(2, { direction: 'out', decision: 'routed' }),
        decision(4, { session: '1009-1@localhost/z', stanza: '<presence from="1009-1@localhost/z"/>', decision: 'rejected', detail: 'forbidden' }),
      ],
    );
    assert.deepEqual(entries.map((e) => [e.key, e.lane, e.decisions.map((d) => d.decision).join()]), [
      ['s1', 'out', 'stored'],
      ['s2', 'in', 'routed'],
      ['s3', 'out', ''],
      ['d4', 'server', 'rejected'],
    ]);
    assert.equal(entries[3].kind, 'presence');
    assert.equal(entries[3].connection, '1009-1@localhost');
    const all = { lanes: ['in', 'out', 'server'] as const, kinds: ['message', 'presence', 'iq', 'sm', 'other'] as const };
    const filter = { lanes: [...all.lanes], kinds: [...all.kinds], connection: '', jid: '' };
    assert.equal(entries.filter((e) => matchesFilter(e, { ...filter, lanes: ['server'] })).length, 1);
    assert.equal(entries.filter((e) => matchesFilter(e, { ...filter, jid: '1002-1@LOCALHOST' })).length, 3);
    assert.equal(entries.filter((e) => matchesFilter(e, { ...filter, kinds: ['message'], connection: '1001-1@localhost' })).length, 3);
  });

  it('exports XML that parses, with times in comments that never contain "--", or JSON lines', () => {
    const entries = joinEntries([record(1)], [decision(1, { detail: 'x--' })]);
    const xml = exportText(entries, 'xml', 0);
    assert.ok(!/<!--(?:(?!-->).)*--(?!>)/s.test(xml), 'no "--" inside a comment');
    assert.match(xml, /<!-- 1970-01-01T00:00:01\.010Z out 1001-1@localhost server: stored \(x- -\) -->\n<message/);
    const lines = exportText(entries, 'jsonl').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].xml, record(1).xml);
    assert.equal((lines[0].server as { decision: string }[])[0].decision, 'stored');
  });
});
