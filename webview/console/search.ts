// The search bar: text to find (case-insensitive, highlighted in the rows), previous/next match, and
// where we are ("3 of 17"). Enter goes to the next match, Shift+Enter to the previous one.
import { el } from '../common/dom';
import { createButton } from '../components/button';
import { createIcon } from '../components/icon';
import { createTextField } from '../components/textField';

export interface SearchOptions {
  onQuery(query: string): void;
  onStep(step: 1 | -1): void;
}

export interface SearchHandle {
  element: HTMLElement;
  /** `current` is 0-based, or -1 before the first step. */
  setStatus(current: number, total: number, query: string): void;
}

export function createSearch(options: SearchOptions): SearchHandle {
  const field = createTextField({
    ariaLabel: 'Search stanzas',
    placeholder: 'Search XML',
    onInput: options.onQuery,
    onKeyDown: (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      options.onStep(event.shiftKey ? -1 : 1);
    },
  });
  const previous = createButton({ label: 'Previous match', icon: 'arrow-up', iconOnly: true, title: 'Previous match (Shift+Enter)', onClick: () => options.onStep(-1) });
  const next = createButton({ label: 'Next match', icon: 'arrow-down', iconOnly: true, title: 'Next match (Enter)', onClick: () => options.onStep(1) });
  const status = el('span', { className: 'st-search-status', attrs: { 'aria-live': 'polite' } });
  return {
    element: el('div', { className: 'st-search' }, [createIcon('search', 'st-bar-icon'), field.element, previous.element, next.element, status]),
    setStatus(current, total, query) {
      if (!query) status.textContent = '';
      else if (total === 0) status.textContent = 'No matches';
      else status.textContent = current < 0 ? `${total} matching stanzas` : `${current + 1} of ${total}`;
    },
  };
}
