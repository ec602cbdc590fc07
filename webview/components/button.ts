import { Button, vsCodeButton } from '@vscode/webview-ui-toolkit';
import { setAttrs } from '../common/dom';
import { createToolkitElement } from './designSystem';
import { createIcon, type IconName } from './icon';

export interface ButtonOptions {
  label: string;
  onClick(): void;
  appearance?: 'primary' | 'secondary';
  title?: string;
  /** A codicon before the label. */
  icon?: IconName;
  /** Show only the icon: the label is then the accessible name, and the tooltip unless `title` is given. */
  iconOnly?: boolean;
}

export interface ButtonHandle {
  element: HTMLElement;
  setDisabled(disabled: boolean): void;
  /** Changes what the button says and shows, e.g. Pause to Resume. */
  setLabel(label: string, icon?: IconName): void;
}

export function createButton(options: ButtonOptions): ButtonHandle {
  const button = createToolkitElement('vscode-button', vsCodeButton, Button);
  button.classList.add('qb-button');
  const iconOnly = options.iconOnly === true && options.icon !== undefined;
  setAttrs(button, { appearance: iconOnly ? 'icon' : (options.appearance ?? 'primary'), title: options.title });
  const show = (label: string, icon: IconName | undefined): void => {
    if (iconOnly && icon) {
      button.replaceChildren(createIcon(icon));
      setAttrs(button, { 'aria-label': label, title: options.title ?? label });
      return;
    }
    // The toolkit's `start` slot puts the icon before the text with its own spacing.
    const start = icon ? [createIcon(icon)] : [];
    for (const node of start) setAttrs(node, { slot: 'start' });
    button.replaceChildren(...start, label);
  };
  show(options.label, options.icon);
  button.addEventListener('click', () => {
    if (!button.disabled) options.onClick();
  });
  return {
    element: button,
    setDisabled(disabled) {
      button.disabled = disabled;
    },
    setLabel: show,
  };
}
