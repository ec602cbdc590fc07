// Runs the built webview bundles in real chromium with the host stubbed at the protocol boundary.
// Pages are served over loopback HTTP so the CSP can name the origin the way the host names
// `webview.cspSource`; the page is built by the host's own builder (src/shared/webviewPage.ts), plus
// one nonce'd script standing in for VS Code.
// Browser-side code is kept in strings or in functions that only touch the stub's own globals,
// because this project compiles tests without DOM types.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { builtFile, repoRoot } from '../support/built';
import { BASE_STYLES, webviewPageHtml } from '../../src/shared/webviewPage';

export const ROOT = repoRoot;
export const RESULTS = join(ROOT, 'test-results');

export type View = 'conversation' | 'console';

/** What the stub `acquireVsCodeApi` records, as seen from the test. */
export interface HostLog {
  posted: PostedMessage[];
  states: unknown[];
  violations: string[];
}

export interface PostedMessage {
  kind: string;
  seq?: number;
  method?: string;
  params?: unknown;
}

/** The globals the stub defines in the page (functions passed to evaluate run there, so they cast inline). */
interface StubWindow {
  __host: HostLog;
  __toWebview(data: unknown): void;
}

// A handful of the variables VS Code's dark theme sets on <html>, so screenshots look like VS Code.
const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", "Ubuntu", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '13px',
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-checkbox-background': '#313131',
  '--vscode-checkbox-border': '#3c3c3c',
  '--vscode-checkbox-foreground': '#cccccc',
  '--vscode-terminal-ansiGreen': '#0dbc79',
  '--vscode-terminal-ansiBlue': '#2472c8',
  '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
};

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/</g, '\\u003c');
}

function stubScript(state: unknown): string {
  return `(() => {
  const log = { posted: [], states: [], violations: [] };
  let state = ${scriptJson(state)} ?? undefined;
  let acquired = false;
  const copy = (v) => JSON.parse(JSON.stringify(v));
  window.__host = log;
  window.__toWebview = (data) => window.dispatchEvent(new MessageEvent('message', { data: copy(data) }));
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => log.posted.push(copy(m)),
      getState: () => state,
      setState: (s) => { state = copy(s); log.states.push(state); return s; },
    });
  };
  document.addEventListener('securitypolicyviolation', (e) =>
    log.violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
  // VS Code sets its theme variables through the CSSOM, which the CSP allows.
  for (const [name, value] of Object.entries(${scriptJson(DARK_THEME)})) {
    document.documentElement.style.setProperty(name, value);
  }
})();`;
}


/** The host's page (same builder), with the test server's origin standing in for `webview.cspSource`. */
function pageHtml(view: View, origin: string, state: unknown): string {
  return webviewPageHtml({
    cspSource: origin,
    nonce: randomBytes(16).toString('base64'),
    styles: [...BASE_STYLES, `media/${view}.css`].map((path) => `${origin}/${path}`),
    script: `${origin}/dist/webview/${view}.js`,
    prelude: stubScript(state),
  });
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.html': 'text/html',
  '.ttf': 'font/ttf',
};

/** One chromium and one loopback server for a test file. */
export class Harness {
  private server: Server | undefined;
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  private home: string | undefined;
  private readonly pages = new Map<string, string>();
  origin = '';

  async start(): Promise<void> {
    builtFile('dist/webview/conversation.js');
    builtFile('dist/webview/console.js');
    builtFile('dist/codicons/codicon.ttf');
    mkdirSync(RESULTS, { recursive: true });
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.origin);
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const html = this.pages.get(url.pathname);
      if (html !== undefined) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
        return;
      }
      const file = normalize(join(ROOT, url.pathname));
      const allowed = [join(ROOT, 'dist', 'webview'), join(ROOT, 'dist', 'codicons'), join(ROOT, 'media')].some((dir) => file.startsWith(dir));
      try {
        if (!allowed) throw new Error('outside the served folders');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;

    this.home = mkdtempSync(join(tmpdir(), 'qb-webview-test-'));
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      env: { ...process.env, HOME: this.home, XDG_CONFIG_HOME: this.home, XDG_CACHE_HOME: this.home, TMPDIR: this.home },
    });
    this.context = await this.browser.newContext({
      viewport: { width: 760, height: 560 },
      timezoneId: 'UTC',
      colorScheme: 'dark',
    });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    if (this.home) rmSync(this.home, { recursive: true, force: true });
  }

  /** Opens a view as VS Code would, with `state` as what getState() returns (a reload's state). */
  async open(view: View, state?: unknown): Promise<WebviewPage> {
    if (!this.context) throw new Error('Harness.start() first');
    const path = `/${view}-${this.pages.size}.html`;
    this.pages.set(path, pageHtml(view, this.origin, state));
    const page = await this.context.newPage();
    const webview = new WebviewPage(page);
    await page.goto(this.origin + path);
    return webview;
  }
}

/** A webview page plus what happened in it that no test expects: errors and dialogs. */
export class WebviewPage {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }

  host(): Promise<HostLog> {
    return this.page.evaluate(() => (globalThis as unknown as StubWindow).__host);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.toWebview({ kind: 'notify', method, params });
  }

  reply(seq: number, result: unknown): Promise<void> {
    return this.toWebview({ kind: 'reply', seq, ok: true, result });
  }

  replyError(seq: number, error: string): Promise<void> {
    return this.toWebview({ kind: 'reply', seq, ok: false, error });
  }

  private toWebview(message: unknown): Promise<void> {
    return this.page.evaluate((data) => (globalThis as unknown as StubWindow).__toWebview(data), message);
  }

  /** Every CSP report so far: the page is built to need none. */
  async violations(): Promise<string[]> {
    return (await this.host()).violations;
  }

  /** The requests posted so far for `method`. */
  async requests(method: string): Promise<PostedMessage[]> {
    return (await this.host()).posted.filter((m) => m.kind === 'request' && m.method === method);
  }

  /** Waits for the `n`th (1-based) request for `method`. */
  async waitForRequest(method: string, n = 1): Promise<PostedMessage> {
    return until(async () => (await this.requests(method))[n - 1], `request #${n} for ${method}`);
  }

  /** Elements the page put directly in <body> beside the shell's #app and scripts: there should be none. */
  strayBodyChildren(): Promise<number> {
    return this.page.locator('body > :not(#app):not(script)').count();
  }

  /** Every node (elements, text, comments) in the document, as the DOM-size budget counts them. */
  nodeCount(): Promise<number> {
    return this.page.evaluate<number>(
      '(() => { const w = document.createTreeWalker(document.documentElement); let n = 1; while (w.nextNode()) n++; return n; })()',
    );
  }

  /** The font families the page has loaded once pending loads settle (e.g. "codicon" once an icon shows). */
  loadedFonts(): Promise<string[]> {
    return this.page.evaluate<string[]>(
      "document.fonts.ready.then(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/\"/g, '')))",
    );
  }

  /** Sets the scroll position of the element matching `selector`. */
  async scrollTo(selector: string, top: number | 'bottom'): Promise<void> {
    const to = top === 'bottom' ? 'el.scrollHeight' : String(top);
    await this.page.evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); el.scrollTop = ${to}; })()`);
  }

  scrollMetrics(selector: string): Promise<{ top: number; height: number; client: number }> {
    return this.page.evaluate(
      `(() => { const el = document.querySelector(${JSON.stringify(selector)}); return { top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight }; })()`,
    );
  }

  /** Two animation frames: enough for the virtual list's scheduled render to have run. */
  settle(): Promise<void> {
    return this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))))');
  }

  screenshot(name: string): Promise<Buffer> {
    return this.page.screenshot({ path: join(RESULTS, name) });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

/** Polls `probe` until it yields a value. */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
