// The connection at a glance, bottom left: spinning while connecting, the user once online,
// unplugged when offline or failed. Clicking does the useful next thing: connect when not
// connected (or failed: the reason is in the tooltip), otherwise show the log.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { ConnectionStatus, ConnectionStatusChange } from './connectionStatus';
import { Commands } from './ids';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('quickblox.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly service: ChatServiceApi,
    status: ConnectionStatus,
  ) {
    this.item.name = 'QuickBlox Connection';
    this.render({ state: status.state, detail: status.detail });
    this.item.show();
    this.subscription = status.onDidChange((change) => this.render(change));
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render({ state, detail }: ConnectionStatusChange): void {
    const me = this.service.me;
    const who = me?.login ?? me?.full_name ?? `user ${me?.id ?? '?'}`;
    const [text, tooltip, command] = ((): [string, string, string] => {
      switch (state) {
        case 'connecting':
          return ['$(sync~spin) QuickBlox', 'QuickBlox: connecting… (click to show the log)', Commands.showLog];
        case 'reconnecting':
          return ['$(sync~spin) QuickBlox', `QuickBlox: connection lost, reconnecting…${suffix(detail)} (click to show the log)`, Commands.showLog];
        case 'online':
          return [`$(pass) ${who}`, `QuickBlox: online as ${who} (click to show the log)`, Commands.showLog];
        case 'error':
          return ['$(debug-disconnect) QuickBlox', `QuickBlox: connection failed${suffix(detail)} (click to try again)`, Commands.connect];
        case 'offline':
          return ['$(debug-disconnect) QuickBlox', 'QuickBlox: offline (click to connect)', Commands.connect];
      }
    })();
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.accessibilityInformation = { label: tooltip };
  }
}

function suffix(detail: string | undefined): string {
  return detail ? `: ${detail}` : '';
}
