// Runs the local server (dist/server.js) as a child process, so a busy or crashing server never
// blocks or takes down the editor, and finds an already running one by its REST address.
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadUndici } from './undici';
import type { Logger } from '../shared/logger';
import { LOCAL_INFO_PATH, isLocalServerInfo, parseReadyLine, type LocalServerInfo } from '../shared/localServer';
import type { Disposable } from './contracts';

export interface LocalServerProcessOptions {
  /** Absolute path of the bundled CLI, dist/server.js. */
  serverScript: string;
  args?: string[];
  /** Added to the current environment. */
  env?: Record<string, string>;
  logger: Logger;
  /** How long the server may take to print its ready line. Default 15 s. */
  timeoutMs?: number;
}

export type ExitListener = (code: number | null, signal: NodeJS.Signals | null) => void;

export interface LocalServerProcess {
  readonly info: LocalServerInfo;
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL if the server is still there after 3 s. Resolves once it has exited. */
  stop(): Promise<void>;
  /** Called once when the process exits, whoever caused it. */
  onExit(listener: ExitListener): Disposable;
}

const KILL_AFTER_MS = 3000;
const STDERR_TAIL_LINES = 20;

export async function startLocalServerProcess(options: LocalServerProcessOptions): Promise<LocalServerProcess> {
  const { serverScript, args = [], logger, timeoutMs = 15_000 } = options;
  const child = fork(serverScript, args, {
    // stdout carries the ready line; the ipc channel is fork's own (closing it tells the server
    // its parent is gone); execArgv is cleared so an --inspect of the extension host is not inherited.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
    // In VS Code's extension host process.execPath is the Electron binary: this makes it plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...options.env },
  });
  const tail: string[] = [];
  const exit = exitOf(child);
  pipeLines(child, 'stderr', (line) => {
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
    logServerLine(logger, line);
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await new Promise<LocalServerInfo>((resolve, reject) => {
      const failed = (reason: string) => reject(new Error(`The local server ${reason}.${describeTail(tail)}`));
      timer = setTimeout(() => failed(`did not report ready within ${timeoutMs} ms`), timeoutMs);
      child.once('error', (error) => failed(`could not be started (${error.message})`));
      void exit.then(({ code, signal }) => failed(`exited before it was ready (${describeExit(code, signal)})`));
      pipeLines(child, 'stdout', (line) => {
        const ready = safeParseReadyLine(line);
        if (ready) resolve(ready);
        else logger.info(`[server] ${line}`);
      });
    });
    return handle(child, info, exit);
  } catch (error) {
    await terminate(child, exit);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server at `restUrl`, if one answers `GET <rest>/_local/info.json` within `timeoutMs`;
 * undefined when nothing listens, something else answers, or it is too slow.
 */
export async function probeLocalServer(restUrl: string, timeoutMs = 1000): Promise<LocalServerInfo | undefined> {
  const { Agent, request } = await loadUndici();
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const response = await request(restUrl.replace(/\/+$/, '') + LOCAL_INFO_PATH, {
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return undefined;
    const value: unknown = JSON.parse(text);
    return isLocalServerInfo(value) ? value : undefined;
  } catch {
    return undefined;
  } finally {
    await agent.close();
  }
}

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    // 'close' rather than 'exit': by then stdout/stderr are drained, so the tail is complete.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
    // A spawn failure emits 'error' and may never emit 'close'.
    child.once('error', () => resolve({ code: null, signal: null }));
  });
}

function handle(child: ChildProcess, info: LocalServerInfo, exit: Promise<ExitInfo>): LocalServerProcess {
  return {
    info,
    pid: child.pid,
    stop: () => terminate(child, exit),
    onExit(listener) {
      let active = true;
      void exit.then(({ code, signal }) => {
        if (active) listener(code, signal);
      });
      return { dispose: () => (active = false) };
    },
  };
}

async function terminate(child: ChildProcess, exit: Promise<ExitInfo>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    await Promise.race([exit, delay(100)]);
    return;
  }
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  try {
    await exit;
  } finally {
    clearTimeout(killer);
  }
}

function pipeLines(child: ChildProcess, stream: 'stdout' | 'stderr', onLine: (line: string) => void): void {
  const input = child[stream];
  if (!input) return;
  createInterface({ input, crlfDelay: Infinity }).on('line', onLine);
}

/** The server logs `<iso time> <level> <text>` on stderr (shared/logger.ts); keep the level. */
function logServerLine(logger: Logger, line: string): void {
  const level = /^\S+ (trace|debug|info|warn|error)\s/.exec(line)?.[1];
  const text = `[server] ${line}`;
  if (level === 'trace') logger.trace(text);
  else if (level === 'debug') logger.debug(text);
  else if (level === 'warn') logger.warn(text);
  else if (level === 'error') logger.error(text);
  else logger.info(text);
}

function safeParseReadyLine(line: string): LocalServerInfo | undefined {
  try {
    return parseReadyLine(line);
  } catch {
    return undefined; // `ready ` followed by broken JSON: not our line
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

function describeTail(tail: readonly string[]): string {
  return tail.length ? ` Last output:\n${tail.join('\n')}` : ' It printed nothing on stderr.';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
