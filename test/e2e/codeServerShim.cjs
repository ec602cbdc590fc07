#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) on
// machines where desktop VS Code cannot be downloaded. It accepts the Electron-style command line
// test-electron builds and runs the same extension-host suite in code-server + headless chromium:
// the extension host is VS Code's real one (remote, Node), only the window is a browser tab.
// Exit code: 0 when the suite passes, 1 otherwise (what test-electron expects from VS Code).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { openWorkbench } = require('./lib/workbench.cjs');

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const devPath = option('extensionDevelopmentPath');
const testsPath = option('extensionTestsPath');
// The workspace is the one positional argument (runTests' launchArgs); other flags are Electron's.
const workspace = args.find((a) => !a.startsWith('-'));
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 240000);

if (!devPath || !testsPath || !workspace) {
  console.error('codeServerShim: need --extensionDevelopmentPath=, --extensionTestsPath= and a workspace folder; got', args);
  process.exit(2);
}

// Signals end Node without 'exit' handlers, and those are what stop code-server; a runner that died
// without passing a signal on leaves us orphaned (re-parented), which means the same.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(1));
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 1000).unref();

const T0 = Date.now();
const say = (...a) => console.log(`[code-server shim ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

// The extension host's console only reaches the browser's log service, so the suite mirrors its
// reporter into E2E_TEST_LOG; follow that file to show progress as it happens.
function follow(file) {
  let offset = 0;
  const flush = () => {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > offset) process.stdout.write(text.slice(offset));
    offset = text.length;
  };
  const timer = setInterval(flush, 250);
  return () => {
    clearInterval(timer);
    flush();
  };
}

// Errors of the extension host (activation failures, test files that do not load) reach only the
// browser console; on failure show them, minus the requests that fail in every offline run.
const NOISE = /Failed to load resource|ENOTFOUND|open-vsx|marketplace|vsda/;
function printErrors(consoleLines) {
  const errors = consoleLines.filter((l) => l.startsWith('[error]') && !NOISE.test(l));
  if (errors.length) console.log(['browser console errors:', ...errors.slice(-20)].join('\n'));
}

async function main() {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qb-e2e-exthost-'));
  const testLog = process.env.E2E_TEST_LOG || path.join(runDir, 'test-output.log');
  const markerDir = process.env.E2E_MARKER_DIR || path.join(runDir, 'markers');
  fs.mkdirSync(markerDir, { recursive: true });
  const stopFollowing = follow(testLog);
  let code = 1;
  let workbench;
  try {
    workbench = await openWorkbench({
      runDir,
      workspace: path.resolve(workspace),
      userDataDir: option('user-data-dir'),
      extensionsDir: option('extensions-dir'),
      env: { E2E_TEST_LOG: testLog, E2E_MARKER_DIR: markerDir },
      payload: { extensionDevelopmentPath: devPath, extensionTestsPath: testsPath },
    });
    say('code-server on', workbench.origin);
    const { page } = workbench;
    // The smoke-test driver calls window.codeAutomationExit(code) when the suite's run() settles.
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (exitCode) => reportExit(exitCode));
    await page.goto(workbench.url, { waitUntil: 'domcontentloaded' });
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') say(`no result within ${timeoutMs} ms`);
    code = result === 0 ? 0 : 1;
    if (code !== 0) await page.screenshot({ path: path.join(runDir, 'failure.png') }).catch(() => undefined);
  } finally {
    await workbench?.close();
    stopFollowing();
  }
  if (code === 0 && !process.env.E2E_KEEP_RUN) {
    fs.rmSync(runDir, { recursive: true, force: true });
  } else {
    printErrors(workbench?.consoleLines ?? []);
    say(`logs kept in ${runDir} (code-server.log, browser-console.log, failure.png) and ${workbench?.dirs.ud ?? runDir}/logs`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('codeServerShim:', err);
    process.exit(1);
  },
);
