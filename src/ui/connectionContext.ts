// Mirrors the connection state into the `quickblox.connectionState` context key, which the
// package.json `when` clauses read (welcome view, title buttons, command palette).
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { ConnectionState } from '../shared/protocol';
import { CONNECTION_STATE_CONTEXT_KEY } from './ids';

export function trackConnectionContext(service: ChatServiceApi): vscode.Disposable {
  const set = (state: ConnectionState) => void vscode.commands.executeCommand('setContext', CONNECTION_STATE_CONTEXT_KEY, state);
  set(service.state);
  return service.on('state', set);
}
