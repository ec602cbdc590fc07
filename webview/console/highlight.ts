// Text with the search matches marked: plain text nodes and <mark>s, never markup from the data.
import { el } from '../common/dom';

/** `text` as a span of class `className`, each case-insensitive occurrence of `query` in a <mark>. */
export function highlighted(className: string, text: string, query: string): HTMLElement {
  const span = el('span', { className });
  const lower = query ? text.toLowerCase() : '';
  let at = query ? lower.indexOf(query) : -1;
  if (at === -1) {
    span.textContent = text;
    return span;
  }
  let from = 0;
  while (at !== -1) {
    if (at > from) span.append(text.slice(from, at));
    span.append(el('mark', { className: 'st-mark', text: text.slice(at, at + query.length) }));
    from = at + query.length;
    at = lower.indexOf(query, from);
  }
  if (from < text.length) span.append(text.slice(from));
  return span;
}
