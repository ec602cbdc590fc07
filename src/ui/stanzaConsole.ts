// The stanza console: one panel showing every XMPP stanza the service sent or received. The page
// gets the service's ring buffer as a snapshot, then live batches (coalesced per 50 ms, so a
// flood costs a few postMessage calls), and can ask to clear the buffer.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { Logger } from '../shared/logger';
import type { ConsoleNotifications, ConsoleRequests, StanzaRecord } from '../shared/protocol';
import { Batcher } from './batcher';
import { STANZA_CONSOLE_VIEW_TYPE } from './ids';
import { PanelChannel, type PanelPage } from './webviewHost';

const PAGE: PanelPage = { script: 'dist/webview/console.js', style: 'media/console.css' };
const COALESCE_MS = 50;

export class StanzaConsole implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; dispose(): void } | undefined;

  constructor(
    private readonly service: ChatServiceApi,
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  show(): void {
    if (this.current) {
      this.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(STANZA_CONSOLE_VIEW_TYPE, 'Stanza Console', vscode.ViewColumn.Beside, {
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    this.attach(panel);
  }

  /** Restores the console after a window reload; it needs no saved state, the buffer is the service's. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.current) panel.dispose();
    else this.attach(panel);
  }

  /** Our listeners go; the panel itself stays with the editor layout, to be restored next time. */
  dispose(): void {
    this.current?.dispose();
    this.current = undefined;
  }

  private attach(panel: vscode.WebviewPanel): void {
    panel.iconPath = new vscode.ThemeIcon('debug-console');
    const batcher = new Batcher<StanzaRecord>(COALESCE_MS, (stanzas) => channel.notify('stanzas', { stanzas }));
    const channel = new PanelChannel<ConsoleNotifications, ConsoleRequests>(
      panel,
      this.extensionUri,
      PAGE,
      {
        snapshot: async () => {
          // What is pending is already in the buffer, so in this snapshot: sent again it would repeat.
          batcher.clear();
          return { stanzas: this.service.stanzas() };
        },
        requests: {
          clear: async () => {
            this.service.clearStanzas();
            // The snapshot is the truth the page renders, whatever it does with the reply.
            channel.resync();
            return null;
          },
        },
      },
      this.logger,
    );
    const subscriptions = [
      channel,
      batcher,
      this.service.on('stanza', (record) => batcher.push(record)),
      panel.onDidDispose(() => {
        current.dispose();
        if (this.current === current) this.current = undefined;
      }),
    ];
    const current = {
      panel,
      dispose: () => {
        for (const d of subscriptions.splice(0)) d.dispose();
      },
    };
    this.current = current;
  }
}
