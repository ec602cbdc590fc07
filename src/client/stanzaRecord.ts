// Turns a stanza seen on the XMPP connection into the console's StanzaRecord, hiding SASL
// credentials the way @xmpp/debug does: the element keeps its name and attributes (so the
// handshake stays readable) but its payload becomes `<hidden xmlns="xmpp.js"/>`.
import { xml, type Element } from '@xmpp/xml';
import type { StanzaRecord } from '../shared/protocol';
import { stanzaKind } from '../shared/stanza';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const SASL2 = 'urn:xmpp:sasl:2';

/** Elements whose text is a credential (PLAIN carries the password, here the session token). */
const SENSITIVE: ReadonlyArray<readonly [name: string, xmlns: string]> = [
  ['auth', SASL],
  ['challenge', SASL],
  ['response', SASL],
  ['success', SASL],
  ['authenticate', SASL2],
  ['challenge', SASL2],
  ['response', SASL2],
  ['success', SASL2],
];

export function isSensitive(element: Element): boolean {
  return element.children.length > 0 && SENSITIVE.some(([name, ns]) => element.is(name, ns));
}

/** A copy safe to show and store; the original (possibly about to be written) is not touched. */
export function redact(element: Element): Element {
  if (!isSensitive(element)) return element;
  const copy = xml(element.name, element.attrs);
  copy.append(xml('hidden', { xmlns: 'xmpp.js' }));
  return copy;
}

export class SequenceCounter {
  private value = 0;
  next(): number {
    return ++this.value;
  }
}

export function stanzaRecord(
  element: Element,
  direction: StanzaRecord['direction'],
  connection: string,
  seq: number,
  time: number = Date.now(),
): StanzaRecord {
  const safe = redact(element);
  return { seq, time, direction, connection, kind: stanzaKind(safe), xml: safe.toString() };
}
