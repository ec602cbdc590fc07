// One stanza as a list row: time, direction, connection, kind, then the XML as plain text.
import type { StanzaRecord } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { clockWithMillis } from '../common/time';

const DIRECTION = {
  in: { arrow: '← in', label: 'received' },
  out: { arrow: '→ out', label: 'sent' },
} as const;

export function renderStanza(stanza: StanzaRecord): HTMLElement {
  const direction = DIRECTION[stanza.direction];
  const meta = el('div', { className: 'st-meta' }, [
    el('time', { className: 'st-time', text: clockWithMillis(stanza.time), attrs: { datetime: new Date(stanza.time).toISOString() } }),
    el('span', { className: `st-dir st-${stanza.direction}`, text: direction.arrow, attrs: { title: direction.label } }),
    el('span', { className: 'st-conn', text: stanza.connection }),
    el('span', { className: 'st-kind', text: stanza.kind }),
  ]);
  return el(
    'div',
    { className: `st-row st-row-${stanza.direction}`, attrs: { role: 'listitem', 'data-seq': stanza.seq } },
    [meta, el('pre', { className: 'st-xml', text: stanza.xml })],
  );
}
