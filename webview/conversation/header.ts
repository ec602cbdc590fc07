// Dialog name, type and connection state above the message list.
import type { ConnectionState } from '../../src/shared/protocol';
import type { QBDialog } from '../../src/shared/models';
import { el } from '../common/dom';
import { createBadge } from '../components/badge';
import { type People, senderName } from './messageRow';

const TYPE_LABELS: Record<QBDialog['type'], string> = { 1: 'Public group', 2: 'Group', 3: 'Private' };

export interface HeaderHandle {
  element: HTMLElement;
  showDialog(dialog: QBDialog, people: People): void;
  showConnection(state: ConnectionState, detail?: string): void;
}

/** Private dialogs have no name: they are named after the other occupant. */
function dialogTitle(dialog: QBDialog, people: People): string {
  if (dialog.name) return dialog.name;
  const other = dialog.occupants_ids.find((id) => id !== people.myUserId);
  return other === undefined ? 'Conversation' : senderName(people, other);
}

export function createHeader(): HeaderHandle {
  const title = el('h1', { className: 'conv-title', text: 'Loading…' });
  const type = el('span', { className: 'conv-type' });
  const connection = createBadge('offline');
  const element = el('header', { className: 'conv-header' }, [title, type, connection.element]);
  return {
    element,
    showDialog(dialog, people) {
      title.textContent = dialogTitle(dialog, people);
      title.title = dialog._id;
      type.textContent = TYPE_LABELS[dialog.type];
    },
    showConnection(state, detail) {
      connection.setText(state, detail);
    },
  };
}
