// The host side of every webview panel, written once and used by the conversation panels and the
// stanza console: the HTML shell (src/shared/webviewPage.ts), and the typed protocol of
// src/shared/protocol.ts — the `ready` handshake answered with a snapshot, requests answered with
// exactly one seq'd reply, and live notifications only while the page is there to receive them.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger';
import type { KnownKeys, NotifyMessage, ReplyMessage, RequestShape, ToWebview } from '../shared/protocol';
import { BASE_STYLES, webviewPageHtml } from '../shared/webviewPage';
import { errorMessage } from '../shared/errors';

export type RequestHandlers<R extends Record<string, RequestShape>> = {
  [K in KnownKeys<R>]: (params: R[K]['params']) => Promise<R[K]['result']>;
};

/** What a panel supplies: how to build its snapshot and how to answer each request. */
export interface PanelHooks<N extends { snapshot: unknown }, R extends Record<string, RequestShape>> {
  /** A complete snapshot for a freshly loaded page, or undefined when none can be had yet (offline). */
  snapshot(): Promise<N['snapshot'] | undefined>;
  requests: RequestHandlers<R>;
}

/** The page's assets, relative to the extension root (both come from the webview build). */
export interface PanelPage {
  script: string;
  /** The view's own stylesheet; the BASE_STYLES every panel shares come first. */
  style: string;
}

/** The folders a page may load from; nothing else of the extension or the workspace is reachable. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: ['dist/webview', 'dist/codicons', 'media'].map((folder) => vscode.Uri.joinPath(extensionUri, ...folder.split('/'))),
  };
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PanelPage): string {
  const asset = (path: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path.split('/'))).toString();
  return webviewPageHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    styles: [...BASE_STYLES, page.style].map(asset),
    script: asset(page.script),
  });
}

type Incoming = { kind: 'ready' } | { kind: 'request'; seq: number; method: string; params: unknown };

/** The envelope check; the params are the handler's to trust (the page is our own bundle). */
function parseIncoming(value: unknown): Incoming | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'ready') return { kind: 'ready' };
  if (v.kind === 'request' && typeof v.seq === 'number' && typeof v.method === 'string') {
    return { kind: 'request', seq: v.seq, method: v.method, params: v.params };
  }
  return undefined;
}

/**
 * - closed:  no page to talk to (not loaded yet, or hidden: with retainContextWhenHidden off the page
 *            is destroyed and VS Code drops messages to it) — notifications are dropped;
 * - syncing: the page said `ready` and its snapshot is being built — notifications queue behind it;
 * - live:    the snapshot is delivered — notifications go straight out.
 */
type ChannelState = 'closed' | 'syncing' | 'live';

export class PanelChannel<N extends { snapshot: unknown }, R extends Record<string, RequestShape>>
  implements vscode.Disposable
{
  private state: ChannelState = 'closed';
  /** Bumped per sync, so a slow snapshot for a page that has since gone (or reloaded) is discarded. */
  private epoch = 0;
  private queue: NotifyMessage<N>[] = [];
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    page: PanelPage,
    private readonly hooks: PanelHooks<N, R>,
    private readonly logger: Logger,
  ) {
    // Set here rather than by the creator so that a panel revived by a serializer gets the same.
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = pageHtml(panel.webview, extensionUri, page);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.close();
      }),
    );
  }

  get live(): boolean {
    return this.state === 'live';
  }

  /** Live data: sent when live, queued behind a snapshot in progress, dropped when there is no page. */
  notify<K extends KnownKeys<N>>(method: K, params: N[K]): void {
    const message = { kind: 'notify', method, params } as NotifyMessage<N>;
    if (this.state === 'live') this.send(message);
    else if (this.state === 'syncing') this.queue.push(message);
  }

  /** State that stands on its own (e.g. the connection): sent to any loaded page, snapshot or not. */
  post<K extends KnownKeys<N>>(method: K, params: N[K]): void {
    if (this.state !== 'closed') this.send({ kind: 'notify', method, params } as NotifyMessage<N>);
  }

  /** Replaces what a loaded page shows with a fresh snapshot (e.g. after a reconnect). */
  resync(): void {
    if (this.state !== 'closed') void this.sync();
  }

  dispose(): void {
    this.disposed = true;
    this.close();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private close(): void {
    this.state = 'closed';
    this.epoch++;
    this.queue = [];
  }

  private async sync(): Promise<void> {
    const epoch = ++this.epoch;
    this.state = 'syncing';
    this.queue = [];
    let snapshot: N['snapshot'] | undefined;
    try {
      snapshot = await this.hooks.snapshot();
    } catch (error) {
      this.logger.error(`${this.panel.viewType}: could not build a snapshot: ${errorMessage(error)}`);
    }
    if (epoch !== this.epoch) return;
    if (snapshot === undefined) {
      // Nothing to show yet: keep waiting for resync(), without piling up deltas it would cover.
      this.queue = [];
      return;
    }
    this.send({ kind: 'notify', method: 'snapshot', params: snapshot } as NotifyMessage<N>);
    this.state = 'live';
    for (const message of this.queue.splice(0)) this.send(message);
  }

  private receive(raw: unknown): void {
    const message = parseIncoming(raw);
    if (!message) {
      this.logger.warn(`${this.panel.viewType}: ignored a malformed message from the webview`);
    } else if (message.kind === 'ready') {
      this.logger.trace(`${this.panel.viewType}: ready`);
      void this.sync();
    } else {
      this.logger.trace(`${this.panel.viewType}: request #${message.seq} ${message.method}`);
      void this.answer(message.seq, message.method, message.params);
    }
  }

  private async answer(seq: number, method: string, params: unknown): Promise<void> {
    // The wire names the method with a plain string; look it up among the protocol's own names.
    const handlers = this.hooks.requests as Record<string, ((params: unknown) => Promise<unknown>) | undefined>;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    let reply: ReplyMessage;
    try {
      if (!handler) throw new Error(`Unknown request "${method}"`);
      reply = { kind: 'reply', seq, ok: true, result: await handler(params) };
    } catch (error) {
      this.logger.warn(`${this.panel.viewType}: ${method} failed: ${errorMessage(error)}`);
      reply = { kind: 'reply', seq, ok: false, error: errorMessage(error) };
    }
    this.send(reply);
  }

  private send(message: ToWebview<N>): void {
    // A reply can outlive its panel (postMessage would throw then). To a hidden page postMessage
    // resolves false and the message is lost; the next `ready` brings a snapshot anyway.
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }
}
