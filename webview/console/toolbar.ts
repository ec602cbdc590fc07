// Clear, follow-tail and a stanza count above the console list.
import { el } from '../common/dom';
import { createButton } from '../components/button';
import { createCheckbox } from '../components/checkbox';

export interface ToolbarOptions {
  follow: boolean;
  onClear(): void;
  onFollowChange(follow: boolean): void;
}

export interface ToolbarHandle {
  element: HTMLElement;
  setFollow(follow: boolean): void;
  setCount(count: number): void;
  /** '' clears it. */
  showError(text: string): void;
}

export function createToolbar(options: ToolbarOptions): ToolbarHandle {
  const clear = createButton({ label: 'Clear', appearance: 'secondary', title: 'Clear the stanza log', onClick: options.onClear });
  const follow = createCheckbox({ label: 'Follow tail', checked: options.follow, onChange: options.onFollowChange });
  const count = el('span', { className: 'st-count', attrs: { 'aria-live': 'off' } });
  const error = el('span', { className: 'st-error', attrs: { role: 'alert' } });
  return {
    element: el('header', { className: 'st-toolbar' }, [clear.element, follow.element, count, error]),
    setFollow: (on) => follow.setChecked(on),
    setCount(n) {
      count.textContent = n === 1 ? '1 stanza' : `${n} stanzas`;
    },
    showError(text) {
      error.textContent = text;
    },
  };
}
