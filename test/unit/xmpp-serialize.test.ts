// What the transports write: the fast serializer must give exactly the text ltx would (clients parse
// it), a room's fan-out must not mix up its copies' addresses, and a TCP connection writes once a tick.
import * as assert from 'node:assert/strict';
import { Parser, xml, type Element } from '@xmpp/xml';
import { serialize, serializeChildrenOnce } from '../../src/server/xmpp/serialize';
import { TickWriter } from '../../src/server/xmpp/transports/coalesce';

/** The first element of a stream of `children`, as a client's parser reads it. */
function parsed(children: string): Element {
  const parser = new Parser();
  let element: Element | undefined;
  parser.on('element', (e: Element) => (element ??= e));
  parser.write(`<stream:stream xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams">${children}`);
  assert.ok(element, `no element in ${children}`);
  return element;
}

describe('xmpp serialize', () => {
  const samples: [string, Element][] = [
    ['an empty element', xml('presence')],
    [
      'a routed chat message with extraParams',
      xml(
        'message',
        { to: '2-1@localhost', type: 'chat', id: '42', from: '1-1@localhost/load' },
        xml('body', {}, 'hello'),
        xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('date_sent', {}, '1763700000')),
      ),
    ],
    ['a numeric attribute', xml('error', { type: 'modify', code: 500 }, xml('bad-request', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))],
    ['markup characters in attributes and text', xml('message', { id: `a"b'c<d>&e` }, xml('body', {}, `1 < 2 & 3 > 2 "quoted" 'single'`))],
    ['mixed text and elements', xml('p', {}, 'before ', xml('b', {}, 'bold'), ' after')],
    ['non-ASCII text', xml('body', {}, 'Grüße, 你好 🙂')],
    ['a parsed stanza with entities', parsed('<message id="x&amp;y"><body>a &lt;b&gt; &amp; c</body><markable xmlns="urn:xmpp:chat-markers:0"/></message>')],
  ];

  for (const [what, element] of samples) {
    it(`writes ${what} exactly as ltx does`, () => {
      assert.equal(serialize(element), element.toString());
    });
  }

  it('writes a declaration the element lacks after its own attributes, escaped', () => {
    const element = xml('message', { to: 'a@b' }, xml('body', {}, 'x'));
    assert.equal(serialize(element, ['xmlns', 'jabber:client']), '<message to="a@b" xmlns="jabber:client"><body>x</body></message>');
    assert.equal(serialize(xml('open'), ['version', '1"0']), '<open version="1&quot;0"/>');
  });

  it('replaces a client\'s empty xmlns with the declaration, so the frame stays well-formed', () => {
    const element = parsed('<message xmlns="" to="victim@localhost"><body>x</body></message>');
    const text = serialize(element, ['xmlns', 'jabber:client']);
    assert.equal(text, '<message to="victim@localhost" xmlns="jabber:client"><body>x</body></message>');
    assert.equal(parsed(text).attrs.xmlns, 'jabber:client');
  });

  it('writes numeric children as text and skips empty ones, as ltx does', () => {
    const element = xml('body', {});
    (element.children as unknown[]).push(5, null, 'x');
    assert.equal(serialize(element), element.toString());
  });

  it('gives each fan-out copy its own address around children written once', () => {
    const routed = xml('message', { type: 'groupchat', from: 'room@muc.localhost/1' }, xml('body', {}, 'to all & everyone'));
    serializeChildrenOnce(routed.children);
    const copies = ['1-1@localhost/a', '2-1@localhost/b'].map((to) => {
      const copy = xml(routed.name, { ...routed.attrs, to });
      copy.children = routed.children;
      return copy;
    });
    assert.deepEqual(
      copies.map((copy) => serialize(copy)),
      copies.map((copy) => copy.toString()),
    );
    assert.match(serialize(copies[1]), /to="2-1@localhost\/b"><body>to all &amp; everyone<\/body>/);
  });
});

describe('xmpp TickWriter', () => {
  it('hands everything written in one tick to the socket as one string, in order, and nothing when idle', async () => {
    const writes: string[] = [];
    const out = new TickWriter((text) => writes.push(text));
    out.write('<a/>');
    out.write('<b/>');
    assert.deepEqual(writes, [], 'nothing is written before the tick ends');
    await new Promise<void>((resolve) => process.nextTick(resolve));
    assert.deepEqual(writes, ['<a/><b/>']);
    out.write('<c/>');
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['<a/><b/>', '<c/>']);
  });

  it('flushes what is pending at once when asked (before the closing tag), and only once', async () => {
    const writes: string[] = [];
    const out = new TickWriter((text) => writes.push(text));
    out.write('<message/>');
    out.flush();
    writes.push('</stream:stream>');
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['<message/>', '</stream:stream>']);
  });
});
