// The one handle on VS Code's webview API. `acquireVsCodeApi` may be called only once per page, so
// every module goes through here instead of calling it itself.

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

let api: WebviewApi | undefined;

function vscode(): WebviewApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function postMessage(message: unknown): void {
  vscode().postMessage(message);
}

/**
 * The state saved by the previous incarnation of this webview (VS Code destroys hidden webviews), or
 * undefined. The guard is required because the state may come from an older build of the webview.
 */
export function loadState<S>(isState: (value: unknown) => value is S): S | undefined {
  const state = vscode().getState();
  return isState(state) ? state : undefined;
}

export function saveState<S>(state: S): void {
  vscode().setState(state);
}
