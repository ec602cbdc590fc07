// `npm run test:e2e`: the extension in a real VS Code, end to end, against a real local server.
//   1. code-server (+ Node 24, chromium) cached outside the repo, dist/ built, out/ compiled;
//   2. the extension-host suite (out/test/e2e/suite) through @vscode/test-electron's runTests, with
//      VSCODE_EXECUTABLE_PATH (desktop VS Code) when set, else our code-server shim;
//   3. the Playwright UI test (ui.test.mjs) in a code-server session;
//   each part against its own dist/server.js on ephemeral loopback ports, stopped after the part;
//   4. one final "N passed, N failed" line; exit code 1 on any failure.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from './lib/localServer.mjs';

const require = createRequire(import.meta.url);
const { runTests } = require('@vscode/test-electron');
const Mocha = require('mocha');
const { cacheDir } = require('./lib/workbench.cjs');

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const resultsDir = join(repoRoot, 'test-results', 'e2e');
const T0 = Date.now();
// Signals end Node without 'exit' handlers, and those are what stop the servers and code-server.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(1));
const say = (...a) => console.log(`[e2e ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

function sh(command, args, what) {
  const t = Date.now();
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal})`);
  say(`${what}: ${((Date.now() - t) / 1000).toFixed(1)}s`);
}

function prepare() {
  // The UI test always needs code-server, even when desktop VS Code runs the extension-host suite.
  if (!existsSync(join(cacheDir(), 'env.sh'))) {
    sh('bash', [join(repoRoot, 'scripts', 'setup-code-server.sh'), cacheDir()], 'setup-code-server');
  }
  // Run on its own it rebuilds (a stale bundle would make the tests lie); `npm test` has just built
  // both and passes --prebuilt so the work is not done twice.
  if (process.argv.includes('--prebuilt')) return;
  sh(process.execPath, ['esbuild.mjs', '--quiet'], 'build dist/');
  sh(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], 'compile out/');
}

/**
 * Runs one part of the tests against its own fresh server and workspace, so that no part depends on
 * (or, in the README screenshots, shows) what another part did to the demo data.
 */
async function withLocalServer(dir, part) {
  let server;
  try {
    server = await startLocalServer({ repoRoot, logFile: join(resultsDir, `local-server-${basename(dir)}.log`) });
    say('local server ready:', server.info.rest, server.info.xmpp);
    const workspace = join(dir, 'workspace');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    // Point the extension at the server this runner owns instead of letting it start its own.
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({
      'quickblox.local.restUrl': server.info.rest,
      'quickblox.local.startEmbedded': false,
    }, null, 2));
    return await part({ dir, workspace, info: server.info });
  } catch (err) {
    // One part that cannot run is one failure; the other part still runs and counts.
    console.error(err);
    return { passed: 0, failed: 1, note: err.message };
  } finally {
    await server?.stop();
  }
}

async function runExtensionHostSuite({ dir, workspace, info }) {
  const markerDir = join(dir, 'markers');
  mkdirSync(markerDir, { recursive: true });
  const executable = process.env.VSCODE_EXECUTABLE_PATH || join(here, 'codeServerShim.cjs');
  say('extension-host suite via', executable);
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js'),
      // Our own profile dirs, or test-electron would put them in .vscode-test/ inside the repo.
      launchArgs: [workspace, `--user-data-dir=${join(dir, 'user-data')}`, `--extensions-dir=${join(dir, 'extensions')}`],
      extensionTestsEnv: {
        QB_E2E_SERVER_INFO: JSON.stringify(info),
        E2E_MARKER_DIR: markerDir,
        E2E_TEST_LOG: join(dir, 'test-output.log'),
      },
    });
  } catch (err) {
    say('extension-host run failed:', err.message);
  }
  const resultFile = join(markerDir, 'mocha-result.json');
  if (!existsSync(resultFile)) return { passed: 0, failed: 1, note: 'the extension-host suite reported no result' };
  const r = JSON.parse(readFileSync(resultFile, 'utf8'));
  return { passed: r.passes, failed: r.failures };
}

async function runUiTest({ workspace, info }) {
  // ui.test.mjs reads its inputs from the environment, so it can also be run on its own with mocha.
  Object.assign(process.env, { QB_E2E_SERVER_INFO: JSON.stringify(info), QB_E2E_WORKSPACE: workspace, QB_E2E_RESULTS: resultsDir });
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60000, bail: true });
  mocha.addFile(join(here, 'ui.test.mjs'));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  return { passed: stats.passes, failed: stats.failures };
}

// Screenshots for the README are refreshed only on request, so `npm test` never dirties the tree.
function updateDocsImages() {
  const docs = join(repoRoot, 'docs', 'images');
  mkdirSync(docs, { recursive: true });
  for (const name of ['tree.png', 'conversation.png', 'stanza-console.png']) copyFileSync(join(resultsDir, name), join(docs, name));
  say('copied screenshots to docs/images/');
}

async function main() {
  prepare();
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'qb-e2e-'));
  const results = [
    ['extension host', await withLocalServer(join(runDir, 'exthost'), runExtensionHostSuite)],
    ['UI', await withLocalServer(join(runDir, 'ui'), runUiTest)],
  ];
  let passed = 0;
  let failed = 0;
  for (const [part, r] of results) {
    say(`${part}: ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}`);
    passed += r.passed;
    failed += r.failed;
  }
  if (failed === 0 && process.env.QB_E2E_UPDATE_DOCS === '1') updateDocsImages();
  // Keep the profiles (user-data/logs holds the extension host's log) when something failed.
  if (failed === 0) rmSync(runDir, { recursive: true, force: true });
  else say('run kept in', runDir);
  say('artifacts in', resultsDir);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('e2e:', err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
