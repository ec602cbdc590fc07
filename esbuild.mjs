// Builds the three kinds of bundle: the extension (Node, `vscode` external), the local server CLI
// (Node, runnable on its own) and the webview front-ends (browser). Type checking is `npm run typecheck`.
// Flags: --only=extension|server|webview, --production (minify, no source maps), --watch, --quiet.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const quiet = args.includes('--quiet');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: quiet ? 'error' : 'info',
  legalComments: 'none',
};

// ws loads these optional native speed-ups inside try/catch; leaving them out keeps the bundles addon-free.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['bufferutil', 'utf-8-validate'] };

const builds = {
  extension: [{ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: [...node.external, 'vscode'] }],
  server: [{ ...node, entryPoints: ['src/server/cli.ts'], outfile: 'dist/server.js' }],
  webview: [
    {
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      entryPoints: { conversation: 'webview/conversation/main.ts', console: 'webview/console/main.ts' },
      outdir: 'dist/webview',
    },
  ],
};

// node-sqlite3-wasm finds its .wasm next to the running script, so it ships beside dist/server.js.
function copySqliteWasm() {
  const wasm = join(dirname(require.resolve('node-sqlite3-wasm')), 'node-sqlite3-wasm.wasm');
  mkdirSync('dist', { recursive: true });
  copyFileSync(wasm, 'dist/node-sqlite3-wasm.wasm');
}

// The webviews' icon font (@vscode/codicons): its stylesheet names the font by a relative URL, so
// both go to one folder, which the pages load from (src/ui/webviewHost.ts).
function copyCodicons() {
  const from = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join(from, file), join('dist/codicons', file));
}

const selected = Object.entries(builds).filter(([name]) => !only || only === name);
if (selected.length === 0) {
  console.error(`esbuild.mjs: unknown --only=${only}; use extension, server or webview`);
  process.exit(2);
}
if (!only || only === 'server') copySqliteWasm();
if (!only || only === 'webview') copyCodicons();

const options = selected.flatMap(([, list]) => list);
if (watch) {
  for (const o of options) await (await esbuild.context(o)).watch();
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}
