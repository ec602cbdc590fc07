// Starts the project's local QuickBlox-compatible server (dist/server.js) the way a user would, on
// ephemeral loopback ports, and hands back the `ready {json}` info it prints (src/shared/localServer.ts).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const READY_PREFIX = 'ready ';

export async function startLocalServer({ repoRoot, logFile, timeoutMs = 30000 }) {
  const child = spawn(process.execPath, ['dist/server.js', '--memory', '--demo', '--http-port', '0', '--xmpp-port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr.pipe(log);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  // Never outlive the runner, whatever way it ends.
  process.on('exit', () => child.kill('SIGKILL'));

  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" line from dist/server.js within ${timeoutMs} ms (log: ${logFile})`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.write(line + '\n');
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line.slice(READY_PREFIX.length)));
      } catch (err) {
        reject(new Error(`unparsable ready line: ${line} (${err.message})`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`dist/server.js exited (${code ?? signal}) before it was ready; log: ${logFile}`));
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { info, stop };
}
