// How one signed-in user's connection is shown: the words and icon of each state (tree roots), and
// the status bar item's text, tooltip and click, which does the useful next thing: connect (or sign
// in again) when not connected, the log while connecting, a conversation as that user once online.
// While reconnecting, after a failed attempt, it counts the attempts and the seconds to the next one.
// No `vscode` import: tested in plain Node.
import type { ReconnectRetry } from '../client/contracts';
import type { ConnectionState } from '../shared/protocol';
import { Commands } from './ids';

export const STATE_WORDS: Readonly<Record<ConnectionState, string>> = {
  offline: 'offline',
  connecting: 'connecting',
  online: 'online',
  reconnecting: 'reconnecting',
  error: 'failed',
};

/** Codicon names; `~spin` animates. */
export const STATE_ICONS: Readonly<Record<ConnectionState, string>> = {
  offline: 'debug-disconnect',
  connecting: 'sync~spin',
  online: 'pass',
  reconnecting: 'sync~spin',
  error: 'error',
};

/** One user's connection as the status bar needs it. */
export interface SessionStatus {
  primary: boolean;
  login: string | undefined;
  userId: number | undefined;
  /** For the primary, the state the UI shows: "connecting" already while a server is found or started. */
  state: ConnectionState;
  detail: string | undefined;
  /** While reconnecting: when the connection was lost (unix ms). */
  lostAt: number | undefined;
  /** While reconnecting: the last failed attempt and when the next one starts. */
  retry: ReconnectRetry | undefined;
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  command: { command: string; title: string; arguments?: unknown[] };
}

/** "reconnecting (attempt 2, next in 4s)": the failed attempts so far and the seconds to the next one at `now` (unix ms). */
function retryWords(retry: ReconnectRetry, now: number): string {
  const seconds = Math.ceil((retry.nextRetryAt - now) / 1000);
  return `reconnecting (attempt ${retry.attempt}, ${seconds > 0 ? `next in ${seconds}s` : 'retrying now'})`;
}

/** `now` (unix ms) counts down to the next reconnect attempt. */
export function statusBarView(status: SessionStatus, now: number = Date.now()): StatusBarView {
  const { primary, login, state, detail } = status;
  const who = login ?? 'QuickBlox';
  const retry = state === 'reconnecting' && status.retry ? retryWords(status.retry, now) : undefined;
  const text = `$(${STATE_ICONS[state]}) ${who}${retry ? `: ${retry}` : ''}`;
  const because = detail ? `: ${detail}` : '';
  const showLog = { command: Commands.showLog, title: 'Show Log' };
  const signInAgain = { command: Commands.signInAsAnotherUser, title: 'Sign In Again', arguments: [{ login }] };
  switch (state) {
    case 'connecting':
      return { text, tooltip: `QuickBlox: ${login ? `signing in as ${login}` : 'connecting'}… (click to show the log)`, command: showLog };
    case 'reconnecting': {
      const lost = status.lostAt === undefined ? 'lost the connection' : `lost the connection at ${new Date(status.lostAt).toLocaleTimeString()}`;
      const progress = retry ? `. Now ${retry}` : '';
      return {
        text,
        tooltip: `QuickBlox: ${who} ${lost}${because}${progress}. Reconnecting by itself, waiting longer after each failed try (click to show the log)`,
        command: showLog,
      };
    }
    case 'online':
      return {
        text,
        tooltip: `QuickBlox: online as ${who} (click to open a conversation as ${who})`,
        command: { command: Commands.openConversation, title: 'Open Conversation', arguments: [{ userId: status.userId }] },
      };
    case 'error':
      return primary
        ? { text, tooltip: `QuickBlox: connection failed${because} (click to try again)`, command: { command: Commands.connect, title: 'Connect' } }
        : { text, tooltip: `QuickBlox: ${who} could not stay signed in${because} (click to sign in again)`, command: signInAgain };
    case 'offline':
      return primary
        ? { text, tooltip: 'QuickBlox: offline (click to connect)', command: { command: Commands.connect, title: 'Connect' } }
        : { text, tooltip: `QuickBlox: ${who} is signed out (click to sign in again)`, command: signInAgain };
  }
}
