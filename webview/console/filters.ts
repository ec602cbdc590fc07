// The filter bar: direction (in, out, the server lane), stanza kind, connection, and a JID substring
// matched against `from` and `to`. It reports a whole new filter on every change.
import type { ConsoleFilter, ConsoleLane, StanzaKind } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { createCheckbox } from '../components/checkbox';
import { createIcon } from '../components/icon';
import { createSelect } from '../components/select';
import { createTextField } from '../components/textField';
import { KINDS, LANES } from './state';

const LANE_LABELS: Record<ConsoleLane, string> = { in: 'In', out: 'Out', server: 'Server' };
const KIND_LABELS: Record<StanzaKind, string> = { message: 'Message', presence: 'Presence', iq: 'IQ', sm: 'Stream mgmt', other: 'Other' };
const ALL_CONNECTIONS = '';

export interface FiltersHandle {
  element: HTMLElement;
  /** The connections to offer (those signed in, and any seen in the log). */
  setConnections(connections: readonly string[]): void;
}

export function createFilters(initial: ConsoleFilter, onChange: (filter: ConsoleFilter) => void): FiltersHandle {
  let filter: ConsoleFilter = { ...initial, lanes: [...initial.lanes], kinds: [...initial.kinds] };
  const update = (next: Partial<ConsoleFilter>) => {
    filter = { ...filter, ...next };
    onChange(filter);
  };
  // In the canonical order, whatever order the boxes were clicked in.
  const toggle = <T extends string>(all: readonly T[], list: readonly T[], value: T, on: boolean): T[] =>
    all.filter((v) => (v === value ? on : list.includes(v)));

  const lanes = LANES.map(
    (lane) =>
      createCheckbox({ label: LANE_LABELS[lane], checked: filter.lanes.includes(lane), onChange: (on) => update({ lanes: toggle(LANES, filter.lanes, lane, on) }) })
        .element,
  );
  const kinds = KINDS.map(
    (kind) =>
      createCheckbox({ label: KIND_LABELS[kind], checked: filter.kinds.includes(kind), onChange: (on) => update({ kinds: toggle(KINDS, filter.kinds, kind, on) }) })
        .element,
  );
  const connection = createSelect({
    ariaLabel: 'Connection',
    options: [{ value: ALL_CONNECTIONS, label: 'All connections' }],
    onChange: (value) => update({ connection: value }),
  });
  const jid = createTextField({
    ariaLabel: 'JID filter (from or to contains)',
    placeholder: 'JID (from/to contains)',
    value: filter.jid,
    onInput: (value) => update({ jid: value }),
  });
  const group = (label: string, children: HTMLElement[]) =>
    el('div', { className: 'st-filter-group', attrs: { role: 'group', 'aria-label': label } }, [el('span', { className: 'st-filter-label', text: label }), ...children]);

  let offered: readonly string[] = [];
  const handle: FiltersHandle = {
    element: el('div', { className: 'st-filters' }, [createIcon('filter', 'st-bar-icon'), group('Direction', lanes), group('Kind', kinds), connection.element, jid.element]),
    setConnections(connections) {
      // Keep a filtered connection on offer even when it has gone, so the choice stays visible.
      const list = [...new Set([...connections, ...(filter.connection ? [filter.connection] : [])])].sort();
      if (list.length === offered.length && list.every((c, i) => c === offered[i])) return;
      offered = list;
      connection.setOptions([{ value: ALL_CONNECTIONS, label: 'All connections' }, ...list.map((c) => ({ value: c, label: c }))]);
      connection.setValue(filter.connection);
    },
  };
  handle.setConnections([]);
  return handle;
}
