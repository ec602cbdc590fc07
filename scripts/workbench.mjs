// `npm run workbench`: the extension in a browser VS Code, for people without desktop VS Code. The
// same code-server setup as the e2e tests (scripts/setup-code-server.sh, test/e2e/lib/workbench.cjs):
// build, start the local server with demo data like `npm start`, start code-server on 127.0.0.1 with
// the extension loaded from this folder (VS Code's extensionDevelopmentPath), print the URL to open.
// Ctrl+C stops everything.
//
//   npm run workbench [-- [--port N] [--prebuilt] [--dry-run] [server arguments…]]
//     --port N     code-server's port (default 8800; 0 picks a free one)
//     --prebuilt   skip the build (dist/ is already fresh)
//     --dry-run    print what would run, as JSON, and exit
//   Every other argument goes to the server, as with `npm start` (e.g. --memory --http-port 9090).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAll, printServerInfo, root, startDemoServer, writeWorkspace } from './demoServer.mjs';

export const DEFAULT_PORT = 8800;

/** Splits the command line into this script's options and the server's arguments. */
export function parseArgs(argv) {
  const options = { port: DEFAULT_PORT, prebuilt: false, dryRun: false, serverArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--prebuilt') options.prebuilt = true;
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (value === undefined || value === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port needs a port number (0-65535), got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      }
      options.port = port;
    } else options.serverArgs.push(arg);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`workbench: ${err.message}`);
    process.exit(2);
  }
  const require = createRequire(import.meta.url);
  const { cacheDir, startCodeServer } = require('../test/e2e/lib/workbench.cjs');
  const setup = join(root, 'scripts', 'setup-code-server.sh');
  const runDir = join(root, '.qb-local', 'code-server');

  if (options.dryRun) {
    console.log(JSON.stringify({
      setup: existsSync(join(cacheDir(), 'env.sh')) ? null : ['bash', setup, cacheDir()],
      build: !options.prebuilt,
      serverArgs: ['--demo', ...options.serverArgs],
      codeServer: { bind: `127.0.0.1:${options.port}`, runDir, extensionDevelopmentPath: root },
    }, null, 2));
    return;
  }

  // 1. code-server, Node 24 and chromium, cached outside the repo (the e2e tests' setup).
  if (!existsSync(join(cacheDir(), 'env.sh'))) {
    console.log('Installing code-server (first run only)…');
    const r = spawnSync('bash', [setup, cacheDir()], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  // 2. dist/.
  if (!options.prebuilt) buildAll();

  // 3. The local server; 4. code-server once it is ready.
  let codeServer;
  let stopping = false;
  let exitCode = 0;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    await codeServer?.stop();
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    else process.exit(code);
  };
  const server = startDemoServer(options.serverArgs, (info) => {
    printServerInfo(info);
    const workspace = writeWorkspace(info, 'workbench-workspace');
    mkdirSync(runDir, { recursive: true });
    startCodeServer({ runDir, workspace, port: options.port, userDataDir: join(runDir, 'user-data'), extensionsDir: join(runDir, 'extensions') }).then(
      (cs) => {
        codeServer = cs;
        if (stopping) return void cs.stop();
        console.log(`Browser VS Code (code-server) with the extension loaded — open:
  ${cs.url({ extensionDevelopmentPath: root })}
Open the QuickBlox view in the activity bar (or Help > Welcome > Get started with QuickBlox Chat Workbench).
code-server log: ${join(runDir, 'code-server.log')}
Ctrl+C stops code-server and the local server.`);
      },
      (err) => {
        console.error(`workbench: code-server did not start: ${err.message} (log: ${join(runDir, 'code-server.log')})`);
        void stopAll(1);
      },
    );
  });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  server.on('exit', async (code) => {
    await codeServer?.stop();
    process.exit(stopping ? exitCode : (code ?? 0));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
