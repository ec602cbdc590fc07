// `npm start` as a user runs it: it builds, starts the local server with demo data, prints the
// endpoints and demo logins, opens VS Code with the extension when a `code` command exists (a
// stand-in here records how it was called) and otherwise says how; Ctrl+C stops everything.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from '../support/built';

const START = join(repoRoot, 'scripts', 'start.mjs');
const ARGS = ['--memory', '--http-port', '0', '--xmpp-port', '0'];

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Starts `npm start`'s script and resolves once its output contains `until`. */
function start(env: NodeJS.ProcessEnv, until: RegExp): Promise<Started> {
  const child = spawn(process.execPath, [START, ...ARGS], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${until} within 20 s; output:\n${text}`)), 20_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) early; output:\n${text}`));
    });
  });
}

/** The stand-in `code` runs detached, so its record of the launch may trail the message. */
async function launchLine(calls: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').find((l) => l.includes('--extensionDevelopmentPath')) : undefined;
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the code command was not launched with --extensionDevelopmentPath');
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

describe('npm start', function () {
  this.timeout(40_000);
  let scratch: string;
  const running: ChildProcess[] = [];

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'qb-start-'));
  });

  afterEach(() => {
    // Even a SIGKILL of the script would not leave its server behind (it has an IPC lifeline).
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('opens VS Code with the extension loaded when a code command is on the PATH, and stops on Ctrl+C', async () => {
    const calls = join(scratch, 'code-calls.txt');
    const code = join(scratch, 'code');
    writeFileSync(code, `#!/bin/sh\necho "$@" >> "${calls}"\n`);
    chmodSync(code, 0o755);
    const env = { ...process.env, PATH: `${scratch}${delimiter}${process.env.PATH ?? ''}` };

    const started = await start(env, /Opened VS Code/);
    running.push(started.child);
    const out = started.output();
    assert.match(out, /REST\s+http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(out, /alice\s+password alice-pass/);

    const rest = /^  REST\s+(\S+)$/m.exec(out)?.[1];
    const launched = await launchLine(calls);
    assert.match(launched, new RegExp(`--extensionDevelopmentPath=${repoRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const workspace = launched.split(' ').pop() ?? '';
    const settings: unknown = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8'));
    assert.deepEqual(settings, { 'quickblox.local.restUrl': rest }, 'the opened workspace points the extension at this server');

    assert.equal(await stop(started.child, 'SIGINT'), 0);
  });

  it('prints how to open the extension when there is no code command', async () => {
    // A PATH with node only: no `code` anywhere.
    const bin = join(scratch, 'bin');
    const env = { ...process.env, PATH: `${bin}${delimiter}${join(process.execPath, '..')}` };
    const started = await start(env, /connects to this server through the setting/);
    running.push(started.child);
    assert.match(started.output(), /No `code` command on the PATH[\s\S]*--extensionDevelopmentPath=/);
    assert.ok(!existsSync(join(bin, 'code')));
    assert.equal(await stop(started.child, 'SIGTERM'), 0);
  });
});
