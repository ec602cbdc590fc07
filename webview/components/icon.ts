// Codicons, VS Code's own icon font (@vscode/codicons; every page loads dist/codicons/codicon.css),
// so icons match the workbench and take the theme's colours like text. The only place that names
// codicon classes: views ask for an icon by name. An icon is decoration; the control carrying it
// keeps an accessible name of its own (aria-label or visible text).
import { el } from '../common/dom';

/** The codicons the views use; a name outside the font would render nothing, so the list is closed. */
export type IconName =
  | 'json'
  | 'code'
  | 'copy'
  | 'edit'
  | 'trash'
  | 'eye-closed'
  | 'check'
  | 'check-all'
  | 'debug-pause'
  | 'debug-continue'
  | 'clear-all'
  | 'export'
  | 'filter'
  | 'search'
  | 'arrow-up'
  | 'arrow-down'
  | 'send';

export function createIcon(name: IconName, className?: string): HTMLElement {
  return el('span', { className: `codicon codicon-${name}${className ? ` ${className}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

/** Options of a small icon-only button for dense rows. */
export interface IconButtonOptions {
  icon: IconName;
  /** The accessible name; also the tooltip unless `title` says more. */
  label: string;
  title?: string;
  className: string;
  attrs?: Record<string, string | number>;
}

/**
 * An icon-only button as plain DOM, for places that show many (a message row's toolbar): a toolkit
 * button would cost a shadow root each in a list that re-renders while scrolling.
 */
export function createIconButton(options: IconButtonOptions): HTMLButtonElement {
  return el(
    'button',
    {
      className: `qb-icon-button ${options.className}`,
      attrs: { type: 'button', 'aria-label': options.label, title: options.title ?? options.label, ...options.attrs },
    },
    [createIcon(options.icon)],
  );
}
