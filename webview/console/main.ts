// The stanza console: a virtual list of stanzas in arrival order, live batches appended, Clear, and
// a follow-tail toggle that turns itself off when the user scrolls up to read.
import type { ConsoleNotifications, ConsoleRequests, StanzaRecord } from '../../src/shared/protocol';
import { appRoot, el } from '../common/dom';
import { errorMessage } from '../../src/shared/errors';
import { connectRpc } from '../common/rpc';
import { BOTTOM, VirtualList } from '../common/virtualList';
import { loadState, saveState } from '../common/vscodeApi';
import { isConsoleState } from './state';
import { renderStanza } from './stanzaRow';
import { createToolbar } from './toolbar';

const ESTIMATED_ROW_PX = 64;

let follow = loadState(isConsoleState)?.follow ?? true;
/** Highest seq shown: a batch overlapping the snapshot must not show stanzas twice. */
let lastSeq = -Infinity;

const toolbar = createToolbar({
  follow,
  onClear: () => {
    toolbar.showError('');
    rpc.request('clear', {}).then(
      () => showStanzas([]),
      (error: unknown) => toolbar.showError(`Clear failed: ${errorMessage(error)}`),
    );
  },
  onFollowChange: setFollow,
});
const viewport = el('div', {
  className: 'st-list',
  attrs: { tabindex: 0, role: 'list', 'aria-label': 'XMPP stanzas' },
});
const list = new VirtualList<StanzaRecord>({
  viewport,
  key: (stanza) => String(stanza.seq),
  render: renderStanza,
  estimatedRowHeight: ESTIMATED_ROW_PX,
  onRendered: () => {
    // Scrolling away from the end means the user wants to read: stop yanking them back.
    if (follow && !list.isAtBottom()) setFollow(false);
  },
});
appRoot().append(toolbar.element, viewport);

function setFollow(on: boolean): void {
  follow = on;
  toolbar.setFollow(on);
  saveState({ follow: on });
  if (on) list.scrollToEnd();
}

function showStanzas(stanzas: readonly StanzaRecord[]): void {
  lastSeq = stanzas.reduce((max, s) => Math.max(max, s.seq), -Infinity);
  list.setItems(stanzas, BOTTOM);
  toolbar.setCount(list.length);
}

function appendStanzas(stanzas: readonly StanzaRecord[]): void {
  const fresh = stanzas.filter((s) => s.seq > lastSeq);
  for (const s of fresh) lastSeq = Math.max(lastSeq, s.seq);
  list.append(fresh, follow);
  toolbar.setCount(list.length);
}

const rpc = connectRpc<ConsoleRequests, ConsoleNotifications>({
  snapshot: ({ stanzas }) => showStanzas(stanzas),
  stanzas: ({ stanzas }) => appendStanzas(stanzas),
});
