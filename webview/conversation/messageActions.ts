// The per-message toolbar: which actions a message allows, its buttons, and how the keyboard reaches
// them. Rows are not Tab stops (a long history would bury the composer under hundreds of them):
// from the list, Arrow Up / Down move between messages; a focused message shows its toolbar, whose
// buttons (and its custom-parameter toggle) are then the next Tab stops; Escape goes back to the
// message. Clicks are handled once for the whole list, so rows hold no listeners of their own.
import { isUnsaved } from '../../src/shared/messageFields';
import type { QBMessage } from '../../src/shared/models';
import { el } from '../common/dom';
import { createIconButton, type IconName } from '../components/icon';
import { isGroupEvent } from './messageParts';
import type { RowContext } from './messageRow';

export type MessageActionId = 'inspectJson' | 'inspectStanza' | 'copyId' | 'edit' | 'deleteForMe' | 'deleteForEveryone';

/** Each button is an icon; the label is its accessible name and the tooltip says what it does. */
const BUTTONS: Record<MessageActionId, { icon: IconName; label: string; title: string }> = {
  inspectJson: { icon: 'json', label: 'Inspect JSON', title: 'Inspect the message JSON' },
  inspectStanza: { icon: 'code', label: 'Show stanza', title: 'Show the raw stanza' },
  copyId: { icon: 'copy', label: 'Copy ID', title: 'Copy the message id' },
  edit: { icon: 'edit', label: 'Edit', title: 'Edit this message in the composer' },
  // Deleting for oneself only hides the message from one's own history: the others keep it.
  deleteForMe: { icon: 'eye-closed', label: 'Delete for me', title: 'Delete for me: the others keep it' },
  deleteForEveryone: { icon: 'trash', label: 'Delete for everyone', title: 'Delete for everyone' },
};

/** Which actions fit: only the sender edits its text; everyone deletes for themselves, the sender or the owner for all. */
export function actionsFor(message: QBMessage, context: RowContext): MessageActionId[] {
  // Never stored: no JSON, and nothing on the server to edit or delete.
  if (context.notice(message._id) || isUnsaved(message)) return ['inspectStanza', 'copyId'];
  const me = context.people.myUserId;
  const mine = message.sender_id === me;
  const event = isGroupEvent(message);
  // An attachment-only message has no text to edit.
  const editable = mine && !event && Boolean(message.message);
  return [
    'inspectJson',
    'inspectStanza',
    'copyId',
    ...(editable ? (['edit'] as const) : []),
    'deleteForMe',
    ...(mine || context.ownerId === me ? (['deleteForEveryone'] as const) : []),
  ];
}

export function renderToolbar(actions: readonly MessageActionId[]): HTMLElement {
  return el(
    'div',
    { className: 'msg-actions', attrs: { role: 'toolbar', 'aria-label': 'Message actions' } },
    actions.map((action) =>
      createIconButton({ ...BUTTONS[action], className: 'msg-action', attrs: { 'data-action': action, tabindex: -1 } }),
    ),
  );
}

function isAction(value: string | undefined): value is MessageActionId {
  return value !== undefined && Object.hasOwn(BUTTONS, value);
}

const ROW = '.msg';
/** What becomes a Tab stop while its row has focus. */
const CONTROLS = '.msg-action, .msg-params-summary';

function rowOf(node: EventTarget | null): HTMLElement | undefined {
  return node instanceof Element ? (node.closest<HTMLElement>(ROW) ?? undefined) : undefined;
}

function setControlsTabbable(row: HTMLElement | undefined, tabbable: boolean): void {
  for (const control of row?.querySelectorAll<HTMLElement>(CONTROLS) ?? []) control.tabIndex = tabbable ? 0 : -1;
}

/** Wires the keyboard and the toolbar clicks of every row of `viewport` (rendered now or later). */
export function handleRowActions(viewport: HTMLElement, onAction: (action: MessageActionId, messageId: string) => void): void {
  let active: HTMLElement | undefined;

  viewport.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLElement>('.msg-action') : null;
    const id = rowOf(button)?.dataset.id;
    const action = button?.dataset.action;
    if (id && isAction(action)) onAction(action, id);
  });

  viewport.addEventListener('focusin', (event) => {
    const row = rowOf(event.target);
    if (row === active) return;
    setControlsTabbable(active, false);
    active = row;
    setControlsTabbable(active, true);
  });
  viewport.addEventListener('focusout', (event) => {
    // Leaving the list (not just moving within a row): its controls stop being Tab stops.
    if (rowOf(event.relatedTarget) === active) return;
    setControlsTabbable(active, false);
    active = undefined;
  });

  viewport.addEventListener('keydown', (event) => {
    const row = rowOf(event.target);
    if (event.key === 'Escape' && row && event.target !== row) {
      event.preventDefault();
      row.focus();
      return;
    }
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    // Arrows inside the parameters list or a field are theirs; from the list or a row they move.
    if (event.target !== viewport && event.target !== row) return;
    const next = row ? sibling(row, event.key === 'ArrowUp') : edgeRow(viewport, event.key === 'ArrowUp');
    if (!next) return;
    event.preventDefault();
    next.focus();
  });
}

function sibling(row: HTMLElement, up: boolean): HTMLElement | undefined {
  for (let node = up ? row.previousElementSibling : row.nextElementSibling; node; node = up ? node.previousElementSibling : node.nextElementSibling) {
    if (node instanceof HTMLElement && node.matches(ROW)) return node;
  }
  return undefined;
}

/** From the list itself: the last row in view for Arrow Up, the first for Arrow Down. */
function edgeRow(viewport: HTMLElement, up: boolean): HTMLElement | undefined {
  const view = viewport.getBoundingClientRect();
  const rows = [...viewport.querySelectorAll<HTMLElement>(ROW)].filter((r) => {
    const box = r.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
  return up ? rows[rows.length - 1] : rows[0];
}
