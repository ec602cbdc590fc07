// The local server as a child process: the ready handshake, the failure reports, stop(), and
// discovery of a running server. Uses tiny stand-in scripts for the failure paths and the real
// bundled CLI (dist/server.js, from `npm run build`) for the rest. Loopback only.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeLocalServer, startLocalServerProcess, type LocalServerProcess } from '../../src/client/localServerProcess';
import type { Logger } from '../../src/shared/logger';
import { builtFile } from '../support/built';

const serverScript = builtFile('dist/server.js');

function recordingLogger(lines: string[]): Logger {
  const push = (m: string | Error) => void lines.push(String(m));
  return { trace: push, debug: push, info: push, warn: push, error: push };
}

describe('client: local server process', function () {
  this.timeout(30_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'qb-client-process-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  function script(name: string, body: string): string {
    const file = join(scratch, name);
    writeFileSync(file, body);
    return file;
  }

  it('rejects with the stderr tail when the server exits before it is ready', async () => {
    const file = script('dies.js', "console.error('listen EADDRINUSE: address already in use 127.0.0.1:8080'); process.exit(3);");
    const lines: string[] = [];
    await assert.rejects(startLocalServerProcess({ serverScript: file, logger: recordingLogger(lines), timeoutMs: 5000 }), (error: Error) => {
      assert.match(error.message, /exited before it was ready \(exit code 3\)/);
      assert.match(error.message, /EADDRINUSE/);
      return true;
    });
    assert.ok(lines.some((l) => l.includes('EADDRINUSE')), 'stderr lines reach the logger');
  });

  it('rejects on timeout and does not leave the process behind', async () => {
    const file = script('silent.js', `require('node:fs').writeFileSync(${JSON.stringify(join(scratch, 'pid'))}, String(process.pid)); setInterval(() => {}, 1000);`);
    const started = Date.now();
    await assert.rejects(startLocalServerProcess({ serverScript: file, logger: recordingLogger([]), timeoutMs: 700 }), /did not report ready within 700 ms/);
    assert.ok(Date.now() - started < 5000);
    const pid = Number(readFileSync(join(scratch, 'pid'), 'utf8'));
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the child was killed');
  });

  it('stops a server that ignores SIGTERM with SIGKILL', async () => {
    const info = { rest: 'http://127.0.0.1:1/', websocket: 'ws://127.0.0.1:1/ws', xmpp: 'xmpp://127.0.0.1:1', domain: 'localhost', muc: 'muc.localhost', appId: 1, authKey: 'k', authSecret: 's', apiKey: 'a' };
    const file = script('stubborn.js', `process.on('SIGTERM', () => {}); console.log('ready ' + ${JSON.stringify(JSON.stringify(info))}); setInterval(() => {}, 1000);`);
    const server = await startLocalServerProcess({ serverScript: file, logger: recordingLogger([]), timeoutMs: 5000 });
    assert.deepEqual(server.info, info);
    const exits: (string | null)[] = [];
    server.onExit((_code, signal) => exits.push(signal));
    const started = Date.now();
    await server.stop();
    assert.ok(Date.now() - started >= 2500, 'waited for SIGTERM first');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(exits, ['SIGKILL']);
  });

  describe('with the bundled CLI', function () {
    let server: LocalServerProcess | undefined;

    after(async () => {
      await server?.stop();
    });

    it('starts, is discoverable by probe, and stops', async () => {
      const lines: string[] = [];
      server = await startLocalServerProcess({
        serverScript,
        args: ['--memory', '--demo', '--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'],
        logger: recordingLogger(lines),
        timeoutMs: 20_000,
      });
      const { info } = server;
      assert.match(info.rest, /^http:\/\/127\.0\.0\.1:\d+\/?$/);
      assert.ok((info.demoUsers ?? []).length >= 2, 'demo users');
      assert.deepEqual(await probeLocalServer(info.rest, 2000), info);

      let exitCode: number | null | undefined;
      server.onExit((code) => (exitCode = code));
      await server.stop();
      server = undefined;
      await new Promise((r) => setImmediate(r));
      assert.notEqual(exitCode, undefined, 'onExit fired');
      assert.equal(await probeLocalServer(info.rest, 500), undefined, 'nothing answers after stop');
    });
  });

  it('probe says undefined when nothing listens', async () => {
    assert.equal(await probeLocalServer('http://127.0.0.1:1/', 500), undefined);
  });
});
