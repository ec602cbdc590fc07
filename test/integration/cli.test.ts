// The bundled CLI (dist/server.js, from `npm run build`) as the extension runs it: the ready line on stdout,
// usage errors with exit 2, and a clean exit 0 on SIGTERM or when the forking parent disconnects.
import * as assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseReadyLine, type LocalServerInfo } from '../../src/shared/localServer';
import { builtFile } from '../support/built';

const serverScript = builtFile('dist/server.js');
const ARGS = ['--memory', '--demo', '--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'];

function readyInfo(child: ChildProcess): Promise<LocalServerInfo> {
  return new Promise((done, fail) => {
    const stdout = child.stdout;
    if (!stdout) return fail(new Error('no stdout pipe'));
    const lines: string[] = [];
    createInterface({ input: stdout }).on('line', (line) => {
      lines.push(line);
      const info = parseReadyLine(line);
      if (info) done(info);
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before ready; stdout: ${lines.join('\n')}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });
}

describe('cli: node dist/server.js', function () {
  this.timeout(30_000);
  const children: ChildProcess[] = [];

  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('prints one ready line, serves it at /_local/info.json, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [serverScript, ...ARGS], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const stdoutLines: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdoutLines.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr.resume();
    const info = await readyInfo(child);
    assert.match(info.rest, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(info.websocket, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    assert.match(info.xmpp, /^xmpp:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(info.demoUsers?.map((u) => u.login), ['alice', 'bob', 'carol']);
    const served = await (await fetch(`${info.rest}_local/info.json`)).json();
    assert.deepEqual(served, info);
    child.kill('SIGTERM');
    assert.equal(await exitCode(child), 0);
    assert.equal(stdoutLines.length, 1, `stdout carries only the ready line: ${stdoutLines.join(' | ')}`);
  });

  it('shuts down with exit 0 when the forking parent disconnects', async () => {
    const child = fork(serverScript, ARGS, { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
    children.push(child);
    await readyInfo(child);
    child.disconnect();
    assert.equal(await exitCode(child), 0);
  });

  it('documents --cors-origin in --help', () => {
    const result = spawnSync(process.execPath, [serverScript, '--help'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /--cors-origin <origin>.*\n.*repeatable/);
  });

  it('rejects an unknown option with exit 2 and a message on stderr', () => {
    const result = spawnSync(process.execPath, [serverScript, '--no-such-option'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown option --no-such-option/);
    assert.equal(result.stdout, '');
  });
});
