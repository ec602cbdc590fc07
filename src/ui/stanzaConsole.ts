// The stanza console: one panel showing every XMPP stanza every signed-in user's connection sent or
// received, in one log, with what the local server decided about each. The page gets the services'
// ring buffers merged as a snapshot, then live batches (coalesced per 50 ms, so a flood costs a few
// postMessage calls). It can ask to clear the buffers, check and send raw XML as any signed-in user
// (checked here, with the XML parser the connection uses) and export what its filters show to a file.
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import { parseRawStanza } from '../client/rawStanza';
import { joinEntries, matchesFilter } from '../shared/consoleEntries';
import { errorMessage } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { ConsoleFilter, ConsoleNotifications, ConsoleRequests, ExportFormat, RawXmlCheck, ServerDecision, StanzaRecord } from '../shared/protocol';
import { Batcher } from './batcher';
import { consoleContext } from './consoleContext';
import { exportFileName, exportText } from './consoleExport';
import { STANZA_CONSOLE_VIEW_TYPE } from './ids';
import { readSettings } from './settings';
import { PanelChannel, type PanelPage } from './webviewHost';

const PAGE: PanelPage = { script: 'dist/webview/console.js', style: 'media/console.css' };
const COALESCE_MS = 50;

export class StanzaConsole implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; dispose(): void } | undefined;

  constructor(
    private readonly sessions: ChatSessions,
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

  /** Restores the console after a window reload; it needs no saved state, the buffers are the services'. */
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
    const { sessions } = this;
    const context = () => consoleContext(sessions, readSettings().stanzaBufferSize);
    const stanzas = new Batcher<StanzaRecord>(COALESCE_MS, (batch) => channel.notify('stanzas', { stanzas: batch }));
    const decisions = new Batcher<ServerDecision>(COALESCE_MS, (batch) => channel.notify('decisions', { decisions: batch }));
    const channel = new PanelChannel<ConsoleNotifications, ConsoleRequests>(
      panel,
      this.extensionUri,
      PAGE,
      {
        snapshot: async () => {
          // What is pending is already in the buffers, so in this snapshot: sent again it would repeat.
          stanzas.clear();
          decisions.clear();
          return { stanzas: sessions.stanzas(), decisions: sessions.decisions(), context: context() };
        },
        requests: {
          clear: async () => {
            sessions.clearStanzas();
            // The snapshot is the truth the page renders, whatever it does with the reply.
            channel.resync();
            return null;
          },
          validate: async ({ xml }) => checkRawXml(xml),
          send: async ({ xml, connection }) => {
            await sessions.sendRawStanza(xml, connection);
            return null;
          },
          export: async ({ format, filter }) => this.exportEntries(format, filter),
        },
      },
      this.logger,
    );
    const postContext = () => channel.post('context', context());
    const subscriptions = [
      channel,
      stanzas,
      decisions,
      sessions.on('stanza', (record) => stanzas.push(record)),
      sessions.on('decision', (decision) => decisions.push(decision)),
      sessions.onDidChange(postContext),
      sessions.on('dialogs', postContext),
      sessions.on('decisionStream', postContext),
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

  /** Asks where, then writes the buffered stanzas the page's filter shows; null when the user cancelled. */
  private async exportEntries(format: ExportFormat, filter: ConsoleFilter): Promise<{ path: string; count: number } | null> {
    const entries = joinEntries(this.sessions.stanzas(), this.sessions.decisions()).filter((e) => matchesFilter(e, filter));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = exportFileName(format);
    const uri = await vscode.window.showSaveDialog({
      title: 'Export Stanzas',
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name),
      filters: format === 'xml' ? { 'XML with timestamps': ['xml'] } : { 'JSON lines': ['jsonl'] },
    });
    if (!uri) return null;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exportText(entries, format)));
    this.logger.info(`stanza console: exported ${entries.length} stanzas to ${uri.fsPath}`);
    return { path: uri.fsPath, count: entries.length };
  }
}

/** The editor's live check: the same parse `sendRawStanza` does, its complaint as the answer. */
function checkRawXml(xml: string): RawXmlCheck {
  try {
    const stanza = parseRawStanza(xml);
    const to = stanza.attrs.to ? ` to ${stanza.attrs.to}` : '';
    return { ok: true, summary: `A <${stanza.name}${stanza.attrs.type ? ` type="${stanza.attrs.type}"` : ''}> stanza${to}.` };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}
