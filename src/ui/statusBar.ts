// The connections at a glance, bottom left: one item per signed-in user (the profile's user first),
// each with its state's icon and the login; the tooltip says what is going on and why, and a click
// does the useful next thing (sessionStatus.ts). With nobody signed in, one item offers to connect.
// While a user waits for its next reconnect attempt, the items count the seconds down.
import * as vscode from 'vscode';
import type { ChatSessions, SessionEntry } from '../client/chatSessions';
import type { ChatServiceApi } from '../client/contracts';
import type { ConnectionStatus } from './connectionStatus';
import { statusBarView, type SessionStatus, type StatusBarView } from './sessionStatus';

/** Just left of VS Code's problems item (50), so the users' items stay together. */
const PRIMARY_PRIORITY = 50.5;
const COUNTDOWN_MS = 1000;

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly items = new Map<ChatServiceApi, { item: vscode.StatusBarItem; view: StatusBarView }>();
  private readonly subscriptions: vscode.Disposable[];
  /** Runs only while some user waits for a reconnect attempt. */
  private countdown: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: ChatSessions,
    private readonly status: ConnectionStatus,
  ) {
    this.subscriptions = [status.onDidChange(() => this.render()), sessions.onDidChange(() => this.render())];
    this.render();
  }

  /** What each item shows, in order (for the e2e suite). */
  views(): StatusBarView[] {
    return [...this.items.values()].map(({ view }) => view);
  }

  dispose(): void {
    clearInterval(this.countdown);
    this.countdown = undefined;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const { item } of this.items.values()) item.dispose();
    this.items.clear();
  }

  private render(): void {
    const entries = this.sessions.list();
    const now = Date.now();
    for (const [service, { item }] of this.items) {
      if (entries.some((e) => e.service === service)) continue;
      item.dispose();
      this.items.delete(service);
    }
    entries.forEach((entry, index) => {
      const view = statusBarView(this.statusOf(entry), now);
      let shown = this.items.get(entry.service);
      if (!shown) {
        // Left to right in sign-in order: a lower priority sits further right.
        const id = entry.primary ? 'quickblox.connection' : `quickblox.connection.${entry.login ?? index}`;
        const item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, PRIMARY_PRIORITY - index / 100);
        item.name = entry.primary ? 'QuickBlox Connection' : `QuickBlox Connection (${entry.login ?? 'another user'})`;
        item.show();
        shown = { item, view };
        this.items.set(entry.service, shown);
      }
      shown.view = view;
      shown.item.text = view.text;
      shown.item.tooltip = view.tooltip;
      shown.item.command = view.command;
      shown.item.accessibilityInformation = { label: view.tooltip };
    });
    this.followCountdown(entries.some((e) => e.state === 'reconnecting' && e.retry !== undefined));
  }

  private followCountdown(waiting: boolean): void {
    if (waiting && !this.countdown) this.countdown = setInterval(() => this.render(), COUNTDOWN_MS);
    if (!waiting && this.countdown) {
      clearInterval(this.countdown);
      this.countdown = undefined;
    }
  }

  private statusOf(entry: SessionEntry): SessionStatus {
    // The primary's state as the UI has it: "connecting" while a local server starts, before the service knows.
    const { state, detail } = entry.primary ? { state: this.status.state, detail: this.status.detail } : entry;
    return { primary: entry.primary, login: entry.login, userId: entry.userId, state, detail, lostAt: entry.lostAt, retry: entry.retry };
  }
}
