// A status pill. Plain DOM on purpose: the toolkit's vscode-badge (and vscode-tag) template binds a
// `style` attribute, which the host CSP (no 'unsafe-inline' styles) blocks and reports as a
// violation on every page that shows one.
import { el, setAttrs } from '../common/dom';

export interface BadgeHandle {
  element: HTMLElement;
  setText(text: string, title?: string): void;
}

export function createBadge(text: string): BadgeHandle {
  const badge = el('span', { className: 'qb-badge', text });
  return {
    element: badge,
    setText(next, title) {
      badge.textContent = next;
      setAttrs(badge, { title });
    },
  };
}
