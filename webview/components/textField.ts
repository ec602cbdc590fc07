// A one-line text input. Plain DOM on purpose: filter and search fields sit in dense toolbars, where
// the native input with VS Code's input colours is all that is needed.
import { el } from '../common/dom';

export interface TextFieldHandle {
  element: HTMLInputElement;
  value(): string;
  setValue(value: string): void;
  focus(): void;
}

export function createTextField(options: {
  ariaLabel: string;
  placeholder?: string;
  value?: string;
  onInput(value: string): void;
  onKeyDown?(event: KeyboardEvent): void;
}): TextFieldHandle {
  const input = el('input', {
    className: 'qb-input',
    attrs: { type: 'search', 'aria-label': options.ariaLabel, placeholder: options.placeholder, spellcheck: 'false' },
  });
  input.value = options.value ?? '';
  input.addEventListener('input', () => options.onInput(input.value));
  if (options.onKeyDown) input.addEventListener('keydown', options.onKeyDown);
  return {
    element: input,
    value: () => input.value,
    setValue(value) {
      input.value = value;
    },
    focus() {
      input.focus();
    },
  };
}
