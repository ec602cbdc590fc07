// Mirrors the connection state into the `quickblox.connectionState` context key, and how many users
// are signed in besides the profile's into `quickblox.additionalUsers`; the package.json `when`
// clauses read them (welcome view, title buttons, command palette).
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import type { ConnectionState } from '../shared/protocol';
import type { ConnectionStatus } from './connectionStatus';
import { ADDITIONAL_USERS_CONTEXT_KEY, CONNECTION_STATE_CONTEXT_KEY } from './ids';

export function trackConnectionContext(status: ConnectionStatus, sessions: ChatSessions): vscode.Disposable {
  const setState = (state: ConnectionState) => void vscode.commands.executeCommand('setContext', CONNECTION_STATE_CONTEXT_KEY, state);
  let additional = -1;
  const setAdditional = () => {
    const count = sessions.list().filter((entry) => !entry.primary).length;
    if (count === additional) return;
    additional = count;
    void vscode.commands.executeCommand('setContext', ADDITIONAL_USERS_CONTEXT_KEY, count);
  };
  setState(status.state);
  setAdditional();
  return vscode.Disposable.from(
    status.onDidChange(({ state }) => setState(state)),
    sessions.onDidChange(setAdditional),
  );
}
