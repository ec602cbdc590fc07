import { Checkbox, vsCodeCheckbox } from '@vscode/webview-ui-toolkit';
import { createToolkitElement } from './designSystem';

export interface CheckboxOptions {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
}

export interface CheckboxHandle {
  element: HTMLElement;
  checked(): boolean;
  setChecked(checked: boolean): void;
}

export function createCheckbox(options: CheckboxOptions): CheckboxHandle {
  const box = createToolkitElement('vscode-checkbox', vsCodeCheckbox, Checkbox);
  box.classList.add('qb-checkbox');
  box.textContent = options.label;
  box.checked = options.checked;
  let last = options.checked;
  // The toolkit also fires `change` for programmatic updates; report only real transitions.
  box.addEventListener('change', () => {
    if (box.checked === last) return;
    last = box.checked;
    options.onChange(last);
  });
  return {
    element: box,
    checked: () => box.checked,
    setChecked(checked) {
      last = checked;
      box.checked = checked;
    },
  };
}
