// A drop-down. Plain DOM on purpose: the toolkit's vscode-dropdown re-renders its options through a
// template, and the console rebuilds its option lists (connections, dialogs) as they change.
import { el } from '../common/dom';

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectHandle {
  element: HTMLElement;
  value(): string;
  setValue(value: string): void;
  /** Replaces the options, keeping the selection when it is still offered. */
  setOptions(options: readonly SelectOption[]): void;
}

export function createSelect(options: { ariaLabel: string; options: readonly SelectOption[]; onChange(value: string): void }): SelectHandle {
  const select = el('select', { className: 'qb-select', attrs: { 'aria-label': options.ariaLabel } });
  select.addEventListener('change', () => options.onChange(select.value));
  const handle: SelectHandle = {
    element: select,
    value: () => select.value,
    setValue(value) {
      select.value = value;
    },
    setOptions(list) {
      const keep = select.value;
      select.replaceChildren(...list.map((o) => el('option', { text: o.label, attrs: { value: o.value } })));
      if (list.some((o) => o.value === keep)) select.value = keep;
    },
  };
  handle.setOptions(options.options);
  return handle;
}
