// Error elements of RFC 6120 §4.9 (stream errors) and §8.3 (stanza errors). Stanza errors also carry
// the legacy numeric `code`, because the QuickBlox SDK reports `code` to the app (protocol spec §7.5).
import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../shared/stanza';

export type StreamErrorCondition =
  | 'bad-format'
  | 'conflict'
  | 'connection-timeout'
  | 'host-unknown'
  | 'internal-server-error'
  | 'invalid-namespace'
  | 'not-authorized'
  | 'not-well-formed'
  | 'policy-violation'
  | 'resource-constraint'
  | 'system-shutdown'
  | 'undefined-condition'
  | 'unsupported-stanza-type'
  | 'unsupported-version';

export type StanzaErrorCondition =
  | 'bad-request'
  | 'feature-not-implemented'
  | 'forbidden'
  | 'internal-server-error'
  | 'item-not-found'
  | 'jid-malformed'
  | 'not-acceptable'
  | 'not-allowed'
  | 'remote-server-not-found'
  | 'resource-constraint'
  | 'service-unavailable';

type ErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

const legacy: Record<StanzaErrorCondition, { code: number; type: ErrorType }> = {
  'bad-request': { code: 400, type: 'modify' },
  'feature-not-implemented': { code: 501, type: 'cancel' },
  forbidden: { code: 403, type: 'auth' },
  'internal-server-error': { code: 500, type: 'wait' },
  'item-not-found': { code: 404, type: 'cancel' },
  'jid-malformed': { code: 400, type: 'modify' },
  'not-acceptable': { code: 406, type: 'modify' },
  'not-allowed': { code: 405, type: 'cancel' },
  'remote-server-not-found': { code: 404, type: 'cancel' },
  // "wait": the sender may retry later, which is what a rate limit means.
  'resource-constraint': { code: 500, type: 'wait' },
  'service-unavailable': { code: 503, type: 'cancel' },
};

/**
 * RFC 6120 §8.3.1: whether a stanza may be answered with an error. Never an error (it would loop) nor
 * an iq result; presence errors are not sent back to clients either.
 */
export function isAnswerable(stanza: Element): boolean {
  const type = stanza.attrs.type;
  return stanza.name === 'iq' ? type === 'get' || type === 'set' : stanza.name === 'message' && type !== 'error';
}

/** `<stream:error>`; the transport adds the `stream` prefix declaration where the framing needs it. */
export function streamError(condition: StreamErrorCondition, text?: string): Element {
  return xml(
    'stream:error',
    {},
    xml(condition, { xmlns: NS.streams }),
    text ? xml('text', { xmlns: NS.streams, 'xml:lang': 'en' }, text) : undefined,
  );
}

/**
 * The error reply to `stanza` (RFC 6120 §8.3.1): same name and id, addresses swapped, type "error".
 * `from` defaults to the original `to`, which is what the sender addressed.
 */
export function stanzaError(stanza: Element, condition: StanzaErrorCondition, text?: string, from?: string): Element {
  const { code, type } = legacy[condition];
  return xml(
    stanza.name,
    { type: 'error', id: stanza.attrs.id, from: from ?? stanza.attrs.to, to: stanza.attrs.from },
    xml(
      'error',
      { type, code },
      xml(condition, { xmlns: NS.stanzas }),
      text ? xml('text', { xmlns: NS.stanzas, 'xml:lang': 'en' }, text) : undefined,
    ),
  );
}
