// Element helpers that only ever set text and attributes, so data can never become markup.
// Event-handler and style attributes are refused: the first would be script, the second is blocked
// by the webview CSP anyway (style through the CSSOM, e.g. element.style.height, is allowed).

export type Attrs = Record<string, string | number | boolean | undefined>;

export interface ElOptions {
  className?: string;
  text?: string;
  attrs?: Attrs;
}

/** The host page's mount point (`<div id="app">`, see src/ui/webviewHost.ts). */
export function appRoot(): HTMLElement {
  const root = document.getElementById('app');
  if (!root) throw new Error('the page has no #app mount point');
  return root;
}

export function setAttrs(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'style') throw new Error(`dom.ts refuses attribute ${name}`);
    if (value === undefined || value === false) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options?: ElOptions,
  children?: readonly Node[],
): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElOptions, children?: readonly Node[]): HTMLElement;
export function el(tag: string, options: ElOptions = {}, children: readonly Node[] = []): HTMLElement {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.attrs) setAttrs(element, options.attrs);
  if (options.text !== undefined) element.textContent = options.text;
  if (children.length > 0) element.append(...children);
  return element;
}
