import { Button, vsCodeButton } from '@vscode/webview-ui-toolkit';
import { setAttrs } from '../common/dom';
import { createToolkitElement } from './designSystem';

export interface ButtonOptions {
  label: string;
  onClick(): void;
  appearance?: 'primary' | 'secondary';
  title?: string;
}

export interface ButtonHandle {
  element: HTMLElement;
  setDisabled(disabled: boolean): void;
}

export function createButton(options: ButtonOptions): ButtonHandle {
  const button = createToolkitElement('vscode-button', vsCodeButton, Button);
  button.classList.add('qb-button');
  button.textContent = options.label;
  setAttrs(button, { appearance: options.appearance ?? 'primary', title: options.title });
  button.addEventListener('click', () => {
    if (!button.disabled) options.onClick();
  });
  return {
    element: button,
    setDisabled(disabled) {
      button.disabled = disabled;
    },
  };
}
