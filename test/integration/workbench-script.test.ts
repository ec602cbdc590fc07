// `npm run workbench` (scripts/workbench.mjs): its command line, and a short real run: code-server is
// installed if missing, the local server and code-server start, the printed URL loads the extension
// from this folder, and Ctrl+C stops both.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { builtFile, repoRoot } from '../support/built';

const SCRIPT = join(repoRoot, 'scripts', 'workbench.mjs');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Plan {
  build: boolean;
  serverArgs: string[];
  codeServer: { bind: string; extensionDevelopmentPath: string };
}

function plan(args: string[]): Plan {
  const r = run(['--dry-run', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Plan;
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('npm run workbench', function () {
  this.timeout(90_000);

  it('binds code-server to 127.0.0.1, loads the extension from this folder and passes other arguments to the server', () => {
    const p = plan(['--memory', '--http-port', '9090']);
    assert.equal(p.codeServer.bind, '127.0.0.1:8800');
    assert.equal(p.codeServer.extensionDevelopmentPath, repoRoot);
    assert.equal(p.build, true);
    assert.deepEqual(p.serverArgs, ['--demo', '--memory', '--http-port', '9090']);
  });

  it('takes --port N, --port=N and --prebuilt for itself', () => {
    assert.equal(plan(['--port', '0']).codeServer.bind, '127.0.0.1:0');
    const p = plan(['--port=9123', '--prebuilt', '--memory']);
    assert.equal(p.codeServer.bind, '127.0.0.1:9123');
    assert.equal(p.build, false);
    assert.deepEqual(p.serverArgs, ['--demo', '--memory']);
  });

  it('refuses a port that is not one', () => {
    for (const args of [['--port'], ['--port', 'x'], ['--port=70000'], ['--port', '-1']]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--port needs a port number/);
    }
  });

  it('serves the extension in code-server and stops everything on Ctrl+C', async function () {
    // Like a user's first `npm run workbench`, this installs code-server when it is missing (~2 min).
    this.timeout(300_000);
    builtFile('dist/server.js');
    const child: ChildProcess = spawn(process.execPath, [SCRIPT, '--prebuilt', '--port', '0', '--memory', '--http-port', '0', '--xmpp-port', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        child.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`exited (${code}) before printing the URL:\n${out}`));
        });
      });
      assert.match(out, /REST\s+http:\/\/127\.0\.0\.1:\d+\//, 'the local server is running');
      const payload = JSON.parse(new URL(url).searchParams.get('payload') ?? '[]') as [string, string][];
      assert.deepEqual(payload.map(([k]) => k), ['extensionDevelopmentPath']);
      assert.ok(payload[0][1].endsWith(repoRoot), payload[0][1]);
      const origin = new URL(url).origin;
      assert.equal(await status(`${origin}/healthz`), 200);

      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (c) => resolve(c));
        child.kill('SIGINT');
      });
      assert.equal(code, 0, out);
      await assert.rejects(status(`${origin}/healthz`), 'code-server stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
