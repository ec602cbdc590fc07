// The stanza console: every stanza of every connection with what the local server decided about it,
// in a virtual list fed by live batches (applied once per animation frame), with filters, search,
// folding, pause, clear, export and a raw-XML editor. The host owns the buffers; this page keeps at
// most as many entries as they do.
import { ConsoleEntries, matchesFilter, type ConsoleEntry } from '../../src/shared/consoleEntries';
import { errorMessage } from '../../src/shared/errors';
import type { ConsoleContext, ConsoleNotifications, ConsoleRequests, ServerDecision, StanzaRecord } from '../../src/shared/protocol';
import { appRoot, el } from '../common/dom';
import { FrameQueue } from '../common/frameQueue';
import { connectRpc } from '../common/rpc';
import { BOTTOM, VirtualList } from '../common/virtualList';
import { loadState, saveState } from '../common/vscodeApi';
import { createFilters } from './filters';
import { createSearch } from './search';
import { createSendBox } from './sendBox';
import { isSaved, restoreState, type ConsoleState } from './state';
import { renderEntry } from './stanzaRow';
import { createToolbar } from './toolbar';

const ESTIMATED_ROW_PX = 64;
/** Rendered beyond each edge of the visible area: enough for smooth scrolling, few enough nodes. */
const OVERSCAN_PX = 300;

type Incoming = { kind: 'stanza'; record: StanzaRecord } | { kind: 'decision'; decision: ServerDecision } | { kind: 'tick' };

const state: ConsoleState = restoreState(loadState(isSaved));
let context: ConsoleContext = { connections: [], dialogs: {}, decisions: false, limit: 5000 };
let log = new ConsoleEntries();
/** The entries the filter lets through, in log order: the list's items. */
let shown: ConsoleEntry[] = [];
/** Highest seqs taken in: a batch overlapping the snapshot must not show anything twice. */
let lastStanzaSeq = -Infinity;
let lastDecisionSeq = -Infinity;
let paused = false;
let query = '';
/** Keys of the shown entries containing the query, in order, and which one the user stepped to. */
let matches: string[] = [];
let matchSet = new Set<string>();
let currentMatch = -1;
/** Fold overrides per entry key, kept while the row scrolls out and back. */
const folds = new Map<string, Map<string, boolean>>();
const seenConnections = new Set<string>();
const searchText = new WeakMap<ConsoleEntry, string>();
let expireTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  saveState(state);
}

const toolbar = createToolbar({
  follow: state.follow,
  onPause: setPaused,
  onClear: () => {
    toolbar.showError('');
    rpc.request('clear', {}).then(
      () => load([], [], context),
      (error: unknown) => toolbar.showError(`Clear failed: ${errorMessage(error)}`),
    );
  },
  onExport: (format) => {
    toolbar.showError('');
    rpc.request('export', { format, filter: state.filter }).then(
      (result) => toolbar.showStatus(result ? `Exported ${result.count} stanzas to ${result.path}` : ''),
      (error: unknown) => toolbar.showError(`Export failed: ${errorMessage(error)}`),
    );
  },
  onFollowChange: setFollow,
});
const filters = createFilters(state.filter, (filter) => {
  state.filter = filter;
  save();
  rebuild();
});
const decisionsNote = el('span', { className: 'st-decisions-note' });
const search = createSearch({ onQuery: setQuery, onStep: stepMatch });
const sendBox = createSendBox({
  draft: state.draft,
  history: state.history,
  validate: (xml) => rpc.request('validate', { xml }),
  send: async (xml, connection) => {
    await rpc.request('send', connection ? { xml, connection } : { xml });
  },
  onChange: (draft, history) => {
    state.draft = draft;
    state.history = [...history];
    save();
  },
});
const viewport = el('div', { className: 'st-list', attrs: { tabindex: 0, role: 'list', 'aria-label': 'XMPP stanzas' } });
const list = new VirtualList<ConsoleEntry>({
  viewport,
  key: (entry) => entry.key,
  render: (entry) =>
    renderEntry(entry, { query, folds: folds.get(entry.key), match: matchSet.has(entry.key), current: matches[currentMatch] === entry.key }),
  estimatedRowHeight: ESTIMATED_ROW_PX,
  overscanPx: OVERSCAN_PX,
  onRendered: () => {
    // Scrolling away from the end means the user wants to read: stop yanking them back.
    if (state.follow && !list.isAtBottom()) setFollow(false);
  },
});
filters.element.append(decisionsNote);
appRoot().append(toolbar.element, filters.element, search.element, toolbar.notice, viewport, sendBox.element);

const queue = new FrameQueue<Incoming>(ingest);

// Fold toggles, by click or by keyboard, through one listener for all rows.
function toggleFold(target: EventTarget | null): boolean {
  const fold = target instanceof Element ? target.closest('.x-fold') : null;
  const row = fold?.closest<HTMLElement>('.st-row');
  const key = row?.dataset.key;
  const path = fold instanceof HTMLElement ? fold.dataset.path : undefined;
  if (!fold || key === undefined || path === undefined) return false;
  const overrides = folds.get(key) ?? new Map<string, boolean>();
  overrides.set(path, fold.getAttribute('aria-expanded') === 'true');
  folds.set(key, overrides);
  list.refresh([key]);
  return true;
}
viewport.addEventListener('click', (event) => toggleFold(event.target));
viewport.addEventListener('keydown', (event) => {
  if ((event.key === 'Enter' || event.key === ' ') && toggleFold(event.target)) event.preventDefault();
});

function setFollow(on: boolean): void {
  state.follow = on;
  toolbar.setFollow(on);
  save();
  if (on) list.scrollToEnd();
}

function setPaused(on: boolean): void {
  paused = on;
  queue.hold(on);
  showPaused();
}

function showPaused(): void {
  toolbar.setPaused(paused ? queue.pending.filter((i) => i.kind === 'stanza').length : undefined);
}

function setContext(next: ConsoleContext): void {
  context = next;
  log.setConnections(next.connections);
  filters.setConnections([...next.connections, ...seenConnections]);
  sendBox.setContext(next);
  decisionsNote.textContent = next.decisions ? 'Server decisions: live' : 'Server decisions: off';
  decisionsNote.title = next.decisions
    ? 'The local server reports what it did with each stanza (stored, routed, queued, rejected)'
    : 'Only a local server on this machine reports its decisions';
}

function noteConnections(entries: readonly ConsoleEntry[]): void {
  const before = seenConnections.size;
  for (const entry of entries) seenConnections.add(entry.connection);
  if (seenConnections.size !== before) filters.setConnections([...context.connections, ...seenConnections]);
}

function textOf(entry: ConsoleEntry): string {
  let text = searchText.get(entry);
  if (text === undefined) {
    text = [entry.xml, ...entry.decisions.map((d) => `${d.decision} ${d.detail ?? ''}`)].join('\n').toLowerCase();
    searchText.set(entry, text);
  }
  return text;
}

function findMatches(): void {
  matches = query ? shown.filter((e) => textOf(e).includes(query)).map((e) => e.key) : [];
  matchSet = new Set(matches);
  currentMatch = -1;
  search.setStatus(currentMatch, matches.length, query);
}

function setQuery(text: string): void {
  query = text.trim().toLowerCase();
  findMatches();
  list.refresh();
}

function stepMatch(step: 1 | -1): void {
  if (matches.length === 0) return;
  const previous = matches[currentMatch];
  currentMatch = currentMatch === -1 ? (step === 1 ? 0 : matches.length - 1) : (currentMatch + step + matches.length) % matches.length;
  const key = matches[currentMatch];
  // A match inside a folded stanza is no use: unfold it.
  const overrides = folds.get(key) ?? new Map<string, boolean>();
  overrides.set('0', false);
  folds.set(key, overrides);
  if (state.follow) setFollow(false);
  list.refresh(previous === undefined ? [key] : [previous, key]);
  list.scrollToKey(key);
  search.setStatus(currentMatch, matches.length, query);
}

function updateCount(): void {
  toolbar.setCount(shown.length, log.entries.length);
}

/** Shows the log through the current filter, keeping the reader's place (or the tail when following). */
function rebuild(): void {
  shown = log.entries.filter((e) => matchesFilter(e, state.filter));
  list.setItems(shown, state.follow ? BOTTOM : list.anchor());
  findMatches();
  updateCount();
}

/** Replaces everything (a snapshot, or the reply to Clear). */
function load(stanzas: readonly StanzaRecord[], decisions: readonly ServerDecision[], next: ConsoleContext): void {
  queue.clear();
  folds.clear();
  setContext(next);
  log = ConsoleEntries.from(stanzas, decisions, next.connections);
  log.trim(next.limit);
  lastStanzaSeq = stanzas.reduce((max, s) => Math.max(max, s.seq), -Infinity);
  lastDecisionSeq = decisions.reduce((max, d) => Math.max(max, d.seq), -Infinity);
  noteConnections(log.entries);
  shown = log.entries.filter((e) => matchesFilter(e, state.filter));
  list.setItems(shown, BOTTOM);
  findMatches();
  updateCount();
  showPaused();
}

/** One frame's worth of live stanzas and decisions. */
function ingest(items: Incoming[]): void {
  const records: StanzaRecord[] = [];
  const decisions: ServerDecision[] = [];
  for (const item of items) {
    if (item.kind === 'stanza' && item.record.seq > lastStanzaSeq) {
      records.push(item.record);
      lastStanzaSeq = item.record.seq;
    } else if (item.kind === 'decision' && item.decision.seq > lastDecisionSeq) {
      decisions.push(item.decision);
      lastDecisionSeq = item.decision.seq;
    }
  }
  const now = Date.now();
  const added = log.addRecords(records);
  const { updated, added: serverAdded } = log.addDecisions(decisions, now);
  const fresh = [...added, ...serverAdded, ...log.expirePending(now)];
  const dropped = new Set(log.trim(context.limit));

  // The dropped are the oldest of the log, so the shown ones among them lead `shown`.
  let droppedShown = 0;
  while (droppedShown < shown.length && dropped.has(shown[droppedShown])) droppedShown++;
  if (droppedShown > 0) {
    for (const entry of shown.slice(0, droppedShown)) folds.delete(entry.key);
    shown.splice(0, droppedShown);
    list.removeFirst(droppedShown);
  }
  const freshShown = fresh.filter((e) => !dropped.has(e) && matchesFilter(e, state.filter));
  shown.push(...freshShown);
  list.append(freshShown, state.follow);
  const changed = updated.filter((e) => matchesFilter(e, state.filter)).map((e) => e.key);
  if (changed.length > 0) list.refresh(changed);

  if (query && (droppedShown > 0 || freshShown.length > 0 || changed.length > 0)) {
    const current = matches[currentMatch];
    for (const entry of updated) searchText.delete(entry);
    matches = shown.filter((e) => textOf(e).includes(query)).map((e) => e.key);
    matchSet = new Set(matches);
    currentMatch = current === undefined ? -1 : matches.indexOf(current);
    search.setStatus(currentMatch, matches.length, query);
  }
  noteConnections(fresh);
  updateCount();
  // Decisions waiting for their stanza get their own row once the grace period is over.
  clearTimeout(expireTimer);
  if (log.hasPending) expireTimer = setTimeout(() => queue.push({ kind: 'tick' }), 250);
}

function receive(items: Incoming[]): void {
  queue.push(...items);
  if (!paused) return;
  // Held while paused, bounded like the host's buffers.
  queue.trim(context.limit * 2);
  showPaused();
}

const rpc = connectRpc<ConsoleRequests, ConsoleNotifications>({
  snapshot: ({ stanzas, decisions, context: next }) => load(stanzas, decisions, next),
  stanzas: ({ stanzas }) => receive(stanzas.map((record) => ({ kind: 'stanza', record }))),
  decisions: ({ decisions }) => receive(decisions.map((decision) => ({ kind: 'decision', decision }))),
  context: setContext,
});
updateCount();
