// The bundled CLI (dist/server.js) as a child process, for the tests that need a real process:
// kill -9, a second instance, TLS as a user starts it. Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseReadyLine, type LocalServerInfo } from '../../src/shared/localServer';
import { builtFile } from './built';

export interface ServerProcess {
  child: ChildProcess;
  info: LocalServerInfo;
  /** Everything the server logged so far (its stderr). */
  stderr(): string;
}

const READY_TIMEOUT_MS = 15_000;

/** Starts `node dist/server.js …args` and resolves once it prints its ready line. */
export function startServerProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  const child = spawn(process.execPath, [builtFile('dist/server.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${READY_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const info = parseReadyLine(line);
      if (!info) return;
      clearTimeout(timer);
      resolve({ child, info, stderr: () => stderr });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before ready; stderr: ${stderr}`));
    });
  });
}

/** The exit code (or signal) once the child has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGKILL, and resolves once the process is gone (reaped, so its pid no longer answers). */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited(child);
}
