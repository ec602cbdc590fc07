// Mirrors the connection state into the `quickblox.connectionState` context key, which the
// package.json `when` clauses read (welcome view, title buttons, command palette).
import * as vscode from 'vscode';
import type { ConnectionState } from '../shared/protocol';
import type { ConnectionStatus } from './connectionStatus';
import { CONNECTION_STATE_CONTEXT_KEY } from './ids';

export function trackConnectionContext(status: ConnectionStatus): vscode.Disposable {
  const set = (state: ConnectionState) => void vscode.commands.executeCommand('setContext', CONNECTION_STATE_CONTEXT_KEY, state);
  set(status.state);
  return status.onDidChange(({ state }) => set(state));
}
