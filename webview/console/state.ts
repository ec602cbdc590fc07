// What the stanza console keeps across VS Code destroying and recreating its webview.

export interface ConsoleState {
  follow: boolean;
}

export function isConsoleState(value: unknown): value is ConsoleState {
  return typeof value === 'object' && value !== null && 'follow' in value && typeof value.follow === 'boolean';
}
