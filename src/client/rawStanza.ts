// Raw XML from the console's editor, checked before it goes on the wire: well-formed, exactly one
// element, and that element a stanza (message, presence or iq) in the client namespace. Parsed with
// the same @xmpp/xml parser the connection uses, so what passes here is what the server will read.
import { Parser, type Element } from '@xmpp/xml';
import { NS } from '../shared/stanza';

const STANZAS = new Set(['message', 'presence', 'iq']);
/** A name no stanza uses, so the wrapper cannot be confused with the content. */
const WRAPPER = 'qbw-raw-stanza-wrapper';

/** Thrown with a message meant for the person who typed the XML. */
export class RawStanzaError extends Error {}

/** The one stanza in `text`, ready to send; throws RawStanzaError saying what is wrong otherwise. */
export function parseRawStanza(text: string): Element {
  if (!text.trim()) throw new RawStanzaError('Nothing to send: type a <message>, <presence> or <iq> stanza, or pick a template.');
  const elements = parseFragment(text);
  if (elements.length === 0) throw new RawStanzaError('No element found: a stanza is one <message>, <presence> or <iq> element.');
  if (elements.length > 1) {
    throw new RawStanzaError(`Found ${elements.length} top-level elements (${elements.map((e) => `<${e.name}>`).join(', ')}); send one stanza at a time.`);
  }
  const [stanza] = elements;
  if (!STANZAS.has(stanza.name)) {
    throw new RawStanzaError(`<${stanza.name}> is not a stanza: the root element must be <message>, <presence> or <iq>.`);
  }
  const xmlns = stanza.attrs.xmlns;
  if (xmlns !== undefined && xmlns !== NS.client) {
    throw new RawStanzaError(`A client stanza is in the ${NS.client} namespace (or none), not ${xmlns}.`);
  }
  if (stanza.name === 'iq' && (!stanza.attrs.id || !['get', 'set', 'result', 'error'].includes(stanza.attrs.type ?? ''))) {
    throw new RawStanzaError('An <iq> needs an id and a type of get, set, result or error.');
  }
  // Sent detached: it was a child of the wrapper only while parsing.
  stanza.parent = null;
  return stanza;
}

const BARE_AMPERSAND = /&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/;
const START_TAG = /<([^\s/>!?]+)([^>]*)>/g;
const ATTRIBUTE_NAME = /([^\s=/]+)\s*=\s*(?:"[^"]*"|'[^']*')/g;

/** What XML forbids and the parser lets through, which a server (or the other client) would refuse. */
function lexicalError(text: string): string | undefined {
  if (BARE_AMPERSAND.test(text)) return 'a bare "&" (write &amp; for the character, or a complete entity such as &lt;).';
  for (const [, name, rest] of text.matchAll(START_TAG)) {
    const seen = new Set<string>();
    for (const [, attr] of rest.matchAll(ATTRIBUTE_NAME)) {
      if (seen.has(attr)) return `<${name}> has the attribute ${attr} twice.`;
      seen.add(attr);
    }
  }
  return undefined;
}

/** The top-level elements of `text`; throws RawStanzaError when it is not well-formed. */
function parseFragment(text: string): Element[] {
  const lexical = lexicalError(text);
  if (lexical) throw new RawStanzaError(`Not well-formed XML: ${lexical}`);
  const parser = new Parser();
  const elements: Element[] = [];
  const errors: string[] = [];
  let root: Element | undefined;
  let ended = false;
  parser.on('start', (element: Element) => (root = element));
  parser.on('element', (element: Element) => elements.push(element));
  parser.on('end', () => (ended = true));
  parser.on('error', (error: Error) => errors.push(error.message));
  try {
    parser.write(`<${WRAPPER}>${text}</${WRAPPER}>`);
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  if (errors.length > 0) throw new RawStanzaError(`Not well-formed XML: ${errors[0]}`);
  // A tag left open swallows the wrapper's end tag, so the wrapper never ends.
  if (!ended) throw new RawStanzaError('Not well-formed XML: an element is not closed (or a tag is cut off).');
  const stray = root?.children.filter((c): c is string => typeof c === 'string' && c.trim() !== '') ?? [];
  if (stray.length > 0) throw new RawStanzaError(`Not well-formed XML: text "${stray[0].trim().slice(0, 40)}" outside the stanza element.`);
  return elements;
}
