// One message as a list row. Everything from the message goes in as text.
import type { QBMessage } from '../../src/shared/models';
import { el } from '../common/dom';
import { messageTime } from '../common/time';
import { createChip } from '../components/chip';
import { attachmentLabel, customParamLabels } from './messageParts';
import { placeholderName } from '../../src/shared/users';

export interface People {
  myUserId: number;
  names: Record<number, string>;
}

export function senderName(people: People, userId: number): string {
  if (userId === people.myUserId) return 'You';
  return people.names[userId] ?? placeholderName(userId);
}

/** Sent (stored), delivered to or read by someone other than the sender: the ticks of one's own messages. */
export type Delivery = 'sent' | 'delivered' | 'read';

export function deliveryOf(message: QBMessage): { delivery: Delivery; by: number[] } {
  const readBy = message.read_ids.filter((id) => id !== message.sender_id);
  if (readBy.length > 0) return { delivery: 'read', by: readBy };
  const deliveredBy = message.delivered_ids.filter((id) => id !== message.sender_id);
  if (deliveredBy.length > 0) return { delivery: 'delivered', by: deliveredBy };
  return { delivery: 'sent', by: [] };
}

const TICKS: Record<Delivery, { text: string; label: string }> = {
  sent: { text: '✓', label: 'Sent' },
  delivered: { text: '✓✓', label: 'Delivered' },
  read: { text: '✓✓', label: 'Read' },
};

function renderTicks(message: QBMessage, people: People): HTMLElement {
  const { delivery, by } = deliveryOf(message);
  const tick = TICKS[delivery];
  const label = by.length > 0 ? `${tick.label} by ${by.map((id) => senderName(people, id)).join(', ')}` : tick.label;
  return el('span', {
    className: `msg-status msg-status-${delivery}`,
    text: tick.text,
    attrs: { role: 'img', 'aria-label': label, title: label, 'data-status': delivery },
  });
}

export function renderMessage(message: QBMessage, people: People): HTMLElement {
  const mine = message.sender_id === people.myUserId;
  // QuickBlox date_sent is in seconds.
  const sent = new Date(message.date_sent * 1000);
  const meta = el('div', { className: 'msg-meta' }, [
    el('span', { className: 'msg-sender', text: senderName(people, message.sender_id) }),
    el('time', {
      className: 'msg-time',
      text: messageTime(sent.getTime()),
      attrs: { datetime: sent.toISOString(), title: sent.toLocaleString() },
    }),
  ]);
  if (mine) meta.append(renderTicks(message, people));
  const parts: Node[] = [meta];
  if (message.message) parts.push(el('div', { className: 'msg-body', text: message.message }));
  const chips = [
    ...message.attachments.map(attachmentLabel).map((l) => createChip(l.text, l.title)),
    ...customParamLabels(message).map((l) => createChip(l.text, l.title)),
  ];
  if (chips.length > 0) parts.push(el('div', { className: 'msg-chips' }, chips));
  return el('div', { className: mine ? 'msg msg-mine' : 'msg', attrs: { 'data-id': message._id } }, parts);
}
