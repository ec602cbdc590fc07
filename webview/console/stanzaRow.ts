// One console entry as a list row: time, direction (or the server lane), connection, kind, what the
// local server decided, then the XML pretty-printed and foldable.
import type { ConsoleEntry } from '../../src/shared/consoleEntries';
import type { ConsoleLane, ServerDecision } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { clockWithMillis } from '../common/time';
import { renderXml, type XmlViewOptions } from './xmlView';

const LANE: Record<ConsoleLane, { arrow: string; label: string }> = {
  in: { arrow: '← in', label: 'received' },
  out: { arrow: '→ out', label: 'sent' },
  server: { arrow: '⇄ server', label: 'what the local server did with a stanza this window did not see' },
};

export interface RowOptions extends XmlViewOptions {
  /** The search's current match. */
  current: boolean;
  /** Contains the search text. */
  match: boolean;
}

function decisionChip(decision: ServerDecision): HTMLElement {
  const text = decision.detail ? `${decision.decision}: ${decision.detail}` : decision.decision;
  const who = decision.direction === 'in' ? `from ${decision.session}` : `to ${decision.session}`;
  return el('span', {
    className: `st-decision st-decision-${decision.decision}`,
    text: `server ${text}`,
    attrs: { title: `The local server, for the stanza ${who}: ${text}` },
  });
}

export function renderEntry(entry: ConsoleEntry, options: RowOptions): HTMLElement {
  const lane = LANE[entry.lane];
  const meta = el('div', { className: 'st-meta' }, [
    el('time', { className: 'st-time', text: clockWithMillis(entry.time), attrs: { datetime: new Date(entry.time).toISOString() } }),
    el('span', { className: `st-dir st-${entry.lane}`, text: lane.arrow, attrs: { title: lane.label } }),
    el('span', { className: 'st-conn', text: entry.connection }),
    el('span', { className: 'st-kind', text: entry.kind }),
    ...entry.decisions.map(decisionChip),
  ]);
  const classes = ['st-row', `st-row-${entry.lane}`];
  if (options.match) classes.push('st-match');
  if (options.current) classes.push('st-current');
  return el('div', { className: classes.join(' '), attrs: { role: 'listitem', 'data-key': entry.key, 'data-seq': entry.record?.seq } }, [
    meta,
    renderXml(entry.xml, options),
  ]);
}
