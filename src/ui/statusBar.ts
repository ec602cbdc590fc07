// The connection at a glance, bottom left: spinning while connecting, the user once online,
// unplugged when offline or failed. Clicking does the useful next thing: connect, or show the log.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { ConnectionState } from '../shared/protocol';
import { Commands } from './ids';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('quickblox.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ChatServiceApi) {
    this.item.name = 'QuickBlox Connection';
    this.render(service.state);
    this.item.show();
    this.subscription = service.on('state', (state, detail) => this.render(state, detail));
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render(state: ConnectionState, detail?: string): void {
    const who = this.service.me?.login ?? this.service.me?.full_name ?? `user ${this.service.me?.id ?? '?'}`;
    const [text, tooltip, command] = ((): [string, string, string] => {
      switch (state) {
        case 'connecting':
          return ['$(sync~spin) QuickBlox', 'QuickBlox: connecting… (click to show the log)', Commands.showLog];
        case 'reconnecting':
          return ['$(sync~spin) QuickBlox', `QuickBlox: connection lost, reconnecting…${suffix(detail)}`, Commands.showLog];
        case 'online':
          return [`$(pass) ${who}`, `QuickBlox: online as ${who} (click to show the log)`, Commands.showLog];
        case 'error':
          return ['$(debug-disconnect) QuickBlox', `QuickBlox: connection failed${suffix(detail)} (click to show the log)`, Commands.showLog];
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
