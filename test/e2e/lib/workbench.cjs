// One VS Code workbench for the e2e tests: code-server (the real VS Code server and Node extension
// host) on a free loopback port, and headless Debian chromium as its client via playwright-core.
// Shared by codeServerShim.cjs (extension-host suite) and ui.test.mjs (Playwright UI test).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const DEFAULT_CACHE = path.join(os.homedir(), '.cache', 'quickblox-workbench-e2e');

function cacheDir() {
  return process.env.QB_E2E_CACHE || DEFAULT_CACHE;
}

/** CS_NODE, CS_ENTRY, CHROMIUM: from the environment, else from the env.sh the setup script wrote. */
function codeServerEnv() {
  const vars = {};
  const envFile = path.join(cacheDir(), 'env.sh');
  if (fs.existsSync(envFile)) {
    for (const m of fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="(.*)"$/gm)) vars[m[1]] = m[2];
  }
  for (const key of ['CS_NODE', 'CS_ENTRY', 'CHROMIUM']) {
    if (process.env[key]) vars[key] = process.env[key];
    if (!vars[key]) throw new Error(`${key} unknown: run scripts/setup-code-server.sh (expected ${envFile})`);
  }
  return vars;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () =>
      http
        .get(url, (res) => {
          res.resume();
          resolve();
        })
        .on('error', () => {
          if (Date.now() > deadline) reject(new Error(`${url} did not answer within ${timeoutMs} ms`));
          else setTimeout(attempt, 200);
        });
    attempt();
  });
}

// A clean workbench: no welcome page, AI chat, update or marketplace chatter; stable screenshots.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
};

/**
 * Starts code-server alone on 127.0.0.1 (`port` 0: a free one), with its profile, HOME and XDG dirs
 * under runDir. `url(payload)` is the workbench address for `workspace`; `payload` is VS Code's
 * development payload (an array of [name, value] pairs whose paths become vscode-remote URIs), honoured
 * only with enable-smoke-test-driver, without which the page silently loads with no extension under test.
 * Shared by openWorkbench (tests) and scripts/workbench.mjs (`npm run workbench`).
 */
async function startCodeServer({ runDir, workspace, userDataDir, extensionsDir, env = {}, port = 0, startupTimeoutMs = 60000, stdio }) {
  const cs = codeServerEnv();
  const dirs = {
    home: path.join(runDir, 'home'),
    tmp: path.join(runDir, 'tmp'),
    xdg: path.join(runDir, 'xdg'),
    chromium: path.join(runDir, 'chromium-profile'),
    ud: userDataDir || path.join(runDir, 'user-data'),
    exts: extensionsDir || path.join(runDir, 'extensions'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.ud, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // code-server and chromium write into HOME/XDG dirs even with explicit data dirs: keep them in runDir.
  const isolated = { HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: dirs.xdg, XDG_DATA_HOME: dirs.xdg, XDG_CACHE_HOME: dirs.xdg };

  const origin = `127.0.0.1:${port || (await freePort())}`;
  const logFd = fs.openSync(path.join(runDir, 'code-server.log'), 'w');
  // detached: its own process group, because its extension host and pty children outlive a plain kill.
  const server = spawn(
    cs.CS_NODE,
    [cs.CS_ENTRY, '--config', path.join(runDir, 'code-server.yaml'), '--bind-addr', origin, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--user-data-dir', dirs.ud, '--extensions-dir', dirs.exts, '--vscode-option', 'enable-smoke-test-driver', workspace],
    { env: { ...process.env, ...env, ...isolated }, detached: true, stdio: stdio || ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  let serverGone = false;
  server.on('exit', () => (serverGone = true));
  const killGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  // Last resort if the caller dies without stop(): never leave a code-server behind.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  async function stop() {
    killGroup('SIGTERM');
    const deadline = Date.now() + 5000;
    while (!serverGone && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    killGroup('SIGKILL');
    process.off('exit', onExit);
  }

  const remote = (p) => `vscode-remote://${origin}${path.resolve(p)}`;
  const url = (payload = {}) => {
    const payloadPairs = Object.entries(payload).map(([k, v]) => [k, remote(v)]);
    return `http://${origin}/?folder=${encodeURIComponent(workspace)}` +
      (payloadPairs.length ? `&payload=${encodeURIComponent(JSON.stringify(payloadPairs))}` : '');
  };

  try {
    await waitForHttp(`http://${origin}/healthz`, startupTimeoutMs);
  } catch (err) {
    killGroup('SIGKILL');
    process.off('exit', onExit);
    throw err;
  }
  return { server, origin, dirs, isolated, chromiumPath: cs.CHROMIUM, url, killGroup, stop };
}

/** Starts code-server (startCodeServer) and a headless chromium on it. */
async function openWorkbench({ runDir, workspace, userDataDir, extensionsDir, env = {}, payload = {}, startupTimeoutMs = 60000 }) {
  const cs = await startCodeServer({ runDir, workspace, userDataDir, extensionsDir, env, startupTimeoutMs });
  const { dirs, isolated, origin } = cs;

  let context;
  try {
    context = await chromium.launchPersistentContext(dirs.chromium, {
      executablePath: cs.chromiumPath,
      headless: true,
      env: { ...process.env, ...isolated },
      viewport: { width: 1400, height: 900 },
      timeout: startupTimeoutMs,
      // As root chromium needs --no-sandbox; the rest keeps it off the network and quiet.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    await cs.stop();
    throw err;
  }
  const page = context.pages()[0] || (await context.newPage());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

  const url = cs.url(payload);

  async function close() {
    await context.close().catch(() => undefined);
    await cs.stop();
    fs.writeFileSync(path.join(runDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
  }
  return { page, url, origin, dirs, consoleLines, close };
}

module.exports = { cacheDir, codeServerEnv, openWorkbench, startCodeServer };
