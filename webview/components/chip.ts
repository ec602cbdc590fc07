// A small labelled pill. Plain DOM on purpose: rows may carry several chips and a toolkit element
// would cost a shadow root each, in a list that re-renders while scrolling.
import { el } from '../common/dom';

export function createChip(text: string, title?: string): HTMLElement {
  return el('span', { className: 'qb-chip', text, attrs: { title } });
}
