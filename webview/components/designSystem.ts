// The only place that talks to @vscode/webview-ui-toolkit's registry. The toolkit is archived
// upstream; everything toolkit-specific lives in this folder so it can be swapped (e.g. for
// @vscode-elements/elements) without touching the views.
import { provideVSCodeDesignSystem } from '@vscode/webview-ui-toolkit';

type Registry = Parameters<ReturnType<typeof provideVSCodeDesignSystem>['register']>[0];

const registered = new Set<string>();

/**
 * Creates a toolkit element, registering its definition on first use so a bundle only defines the
 * components it actually shows. The instanceof check turns a failed registration into an error here
 * instead of a silently inert tag.
 */
export function createToolkitElement<T extends HTMLElement>(tag: string, registry: () => Registry, ctor: new () => T): T {
  if (!registered.has(tag)) {
    provideVSCodeDesignSystem().register(registry());
    registered.add(tag);
  }
  const element = document.createElement(tag);
  if (!(element instanceof ctor)) throw new Error(`${tag} is not registered as its toolkit class`);
  return element;
}
