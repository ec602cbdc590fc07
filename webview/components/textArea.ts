import { TextArea, vsCodeTextArea } from '@vscode/webview-ui-toolkit';
import { setAttrs } from '../common/dom';
import { createToolkitElement } from './designSystem';

export interface TextAreaOptions {
  ariaLabel: string;
  placeholder?: string;
  rows?: number;
  onInput?(value: string): void;
  onKeyDown?(event: KeyboardEvent): void;
}

export interface TextAreaHandle {
  element: HTMLElement;
  value(): string;
  setValue(value: string): void;
  setDisabled(disabled: boolean): void;
  setPlaceholder(text: string): void;
  focus(): void;
}

export function createTextArea(options: TextAreaOptions): TextAreaHandle {
  const area = createToolkitElement('vscode-text-area', vsCodeTextArea, TextArea);
  area.classList.add('qb-textarea');
  setAttrs(area, { placeholder: options.placeholder, rows: options.rows ?? 3, resize: 'vertical' });
  area.addEventListener('input', () => options.onInput?.(area.value));
  if (options.onKeyDown) area.addEventListener('keydown', options.onKeyDown);
  // The toolkit replaces aria-label with a generic 'Text area' whenever the element is connected;
  // put ours back each time (the observer fires once more for our own write, which is a no-op).
  const label = (): void => {
    if (area.getAttribute('aria-label') !== options.ariaLabel) setAttrs(area, { 'aria-label': options.ariaLabel });
  };
  label();
  new MutationObserver(label).observe(area, { attributes: true, attributeFilter: ['aria-label'] });
  return {
    element: area,
    value: () => area.value,
    setValue(value) {
      area.value = value;
    },
    setDisabled(disabled) {
      area.disabled = disabled;
    },
    setPlaceholder(text) {
      setAttrs(area, { placeholder: text });
    },
    focus() {
      // The toolkit applies property changes (such as just having been enabled) on the next animation
      // frame; focusing before that would hit a still-disabled inner textarea and do nothing.
      requestAnimationFrame(() => area.focus());
    },
  };
}
