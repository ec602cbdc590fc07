// One message as a list row. Everything from the message goes in as text. A row is a chat bubble, a
// system row (a QuickBlox group event carrying `notification_type`, or a live system notification:
// centred and muted), or the placeholder of a message deleted while on screen. Each row but the
// placeholder has a toolbar of the actions its message allows (see messageActions.ts).
import type { QBMessage } from '../../src/shared/models';
import { el } from '../common/dom';
import { messageTime } from '../common/time';
import { createChip } from '../components/chip';
import { createIcon, type IconName } from '../components/icon';
import { placeholderName } from '../../src/shared/users';
import { actionsFor, renderToolbar } from './messageActions';
import { attachmentLabel, customParamLabels, customParams, isGroupEvent, showValue } from './messageParts';

export interface People {
  myUserId: number;
  names: Record<number, string>;
}

/** What a row shows besides its message: who is who, and what the page learnt about it live. */
export interface RowContext {
  people: People;
  /** The dialog's owner, who may delete anyone's message for everyone. */
  ownerId: number;
  edited(message: QBMessage): boolean;
  deleted(id: string): boolean;
  /** A live system notification rather than a stored message. */
  notice(id: string): boolean;
  /** Whether its custom parameters are expanded. */
  paramsOpen(id: string): boolean;
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

/** One check when stored, two once someone got it; read is the two in the link colour (conversation.css). */
const TICKS: Record<Delivery, { icon: IconName; label: string }> = {
  sent: { icon: 'check', label: 'Sent' },
  delivered: { icon: 'check-all', label: 'Delivered' },
  read: { icon: 'check-all', label: 'Read' },
};

function renderTicks(message: QBMessage, people: People): HTMLElement {
  const { delivery, by } = deliveryOf(message);
  const tick = TICKS[delivery];
  const label = by.length > 0 ? `${tick.label} by ${by.map((id) => senderName(people, id)).join(', ')}` : tick.label;
  return el(
    'span',
    { className: `msg-status msg-status-${delivery}`, attrs: { role: 'img', 'aria-label': label, title: label, 'data-status': delivery } },
    [createIcon(tick.icon)],
  );
}

function renderTime(message: QBMessage): HTMLElement {
  // QuickBlox date_sent is in seconds.
  const sent = new Date(message.date_sent * 1000);
  return el('time', {
    className: 'msg-time',
    text: messageTime(sent.getTime()),
    attrs: { datetime: sent.toISOString(), title: sent.toLocaleString() },
  });
}

/**
 * The custom parameters: compact chips in the summary, and when expanded each key with its whole
 * value. The list is only built while open, so closed rows cost a few nodes.
 */
function renderParams(message: QBMessage, open: boolean): HTMLElement | undefined {
  const labels = customParamLabels(message);
  if (labels.length === 0) return undefined;
  const summary = el(
    'summary',
    { className: 'msg-params-summary', attrs: { tabindex: -1, title: 'Custom parameters: click to expand' } },
    labels.map((l) => createChip(l.text, l.title)),
  );
  const details = el('details', { className: 'msg-params', attrs: { open } }, [summary]);
  if (open) details.append(paramList(message));
  return details;
}

/** Key and full value of every custom parameter (values may be long JSON: they wrap). */
export function paramList(message: QBMessage): HTMLElement {
  return el(
    'dl',
    { className: 'msg-params-list' },
    customParams(message).flatMap(([key, value]) => [el('dt', { text: key }), el('dd', { text: showValue(value) })]),
  );
}

function rowElement(message: QBMessage, className: string, parts: Node[]): HTMLElement {
  // tabindex -1: rows take focus from the list's arrow keys, not from Tab (see messageActions.ts).
  return el('div', { className, attrs: { 'data-id': message._id, tabindex: -1 } }, parts);
}

function renderDeleted(message: QBMessage, context: RowContext): HTMLElement {
  const meta = el('div', { className: 'msg-meta' }, [
    el('span', { className: 'msg-sender', text: senderName(context.people, message.sender_id) }),
    renderTime(message),
  ]);
  return rowElement(message, 'msg msg-deleted', [meta, el('div', { className: 'msg-body', text: 'Message deleted' })]);
}

function renderSystem(message: QBMessage, context: RowContext): HTMLElement {
  const sender = senderName(context.people, message.sender_id);
  const notice = context.notice(message._id);
  const what = notice ? `System notification from ${sender}` : sender;
  const body = message.message ? `: ${message.message}` : notice ? '' : `: group event ${showValue(message.notification_type)}`;
  const parts: Node[] = [
    el('div', { className: 'msg-system-line' }, [el('span', { className: 'msg-system-text', text: `${what}${body}` }), renderTime(message)]),
  ];
  const params = renderParams(message, context.paramsOpen(message._id));
  if (params) parts.push(params);
  parts.push(renderToolbar(actionsFor(message, context)));
  return rowElement(message, `msg msg-system ${notice ? 'msg-notice' : 'msg-event'}`, parts);
}

export function renderMessage(message: QBMessage, context: RowContext): HTMLElement {
  if (context.deleted(message._id)) return renderDeleted(message, context);
  if (context.notice(message._id) || isGroupEvent(message)) return renderSystem(message, context);
  const { people } = context;
  const mine = message.sender_id === people.myUserId;
  const meta = el('div', { className: 'msg-meta' }, [
    el('span', { className: 'msg-sender', text: senderName(people, message.sender_id) }),
    renderTime(message),
  ]);
  if (context.edited(message)) meta.append(el('span', { className: 'msg-edited', text: 'edited', attrs: { title: 'Edited after it was sent' } }));
  if (mine) meta.append(renderTicks(message, people));
  const parts: Node[] = [meta];
  if (message.message) parts.push(el('div', { className: 'msg-body', text: message.message }));
  if (message.attachments.length > 0) {
    const chips = message.attachments.map(attachmentLabel).map((l) => createChip(l.text, l.title));
    parts.push(el('div', { className: 'msg-chips msg-attachments', attrs: { 'aria-label': 'Attachments' } }, chips));
  }
  const params = renderParams(message, context.paramsOpen(message._id));
  if (params) parts.push(params);
  parts.push(renderToolbar(actionsFor(message, context)));
  return rowElement(message, mine ? 'msg msg-mine' : 'msg', parts);
}
