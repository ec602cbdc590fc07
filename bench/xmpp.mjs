// `npm run bench:xmpp`: the local server's XMPP speed next to Prosody's and ejabberd's, measured in the
// same run with the shared load generator (../shared/bench: load.mjs, suite.mjs, setup-*.sh). The shared
// folder is copied to a temp dir and installed there (its README's way); nothing of it lives in this repo.
// Our server runs from dist/server.js on a real data file, so every message it routes is persisted
// (`save_to_history=1` on every message); the peers store none. Scenarios alternate between the
// servers, each until it has 3 clean runs (suite.mjs), then the medians are printed side by side with
// the ratios, followed by 1,000 concurrent connections against our server with 0 messages lost.
// `--profile` instead runs each scenario once against our server under `node --cpu-prof` and prints
// where its busy time went (by cause, and the top functions, mapped to sources with dist/server.js.map);
// `--keep-profiles DIR` keeps the .cpuprofile files (Chrome DevTools opens them).
//   node bench/xmpp.mjs [--only 1to1-c20,muc-r5k10] [--reps 3] [--no-prosody] [--no-ejabberd] [--no-1000]
//   node bench/xmpp.mjs --profile [--only …] [--keep-profiles DIR]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sharedBench = join(repoRoot, '..', 'shared', 'bench');
const require = createRequire(import.meta.url);
// The store comes from tsc's output (npm run typecheck), the server from esbuild's.
const { openSqliteChatStore } = require(join(repoRoot, 'out/src/server/store/sqliteChatStore.js'));
const { openSqliteWasm } = require(join(repoRoot, 'out/src/server/store/sqliteWasm.js'));
const { parseReadyLine } = require(join(repoRoot, 'out/src/shared/localServer.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const profile = args.includes('--profile');
const REPS = profile ? '1' : option('reps', '3');
const SCENARIOS = option('only', '1to1-c20,1to1-c20-ws,muc-r5k10,muc-r5k10-ws').split(',');
const withThousand = !profile && !args.includes('--no-1000');
const USERS = 1000;
const PASSWORD = 'benchpass';
const APP_ID = 1;
const DOMAIN = 'localhost';
// suite.mjs's MUC scenario: 5 rooms of 10 occupants.
const ROOMS = 5;
const OCCUPANTS = 10;
const SAVE = '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history></extraParams>';

/** The peers: Debian's packages set up by the shared scripts on their own loopback ports. */
const PEERS = [
  { name: 'prosody', pidFile: 'prosody/run/prosody.pid', tcp: 'xmpp://127.0.0.1:15222', ws: 'ws://127.0.0.1:15280/xmpp-websocket' },
  { name: 'ejabberd', pidFile: 'ejabberd/run/ejabberd.pid', tcp: 'xmpp://127.0.0.1:25222', ws: 'ws://127.0.0.1:25280/xmpp-websocket' },
].filter((peer) => !profile && !args.includes(`--no-${peer.name}`));

const work = mkdtempSync(join(tmpdir(), 'qb-xmpp-bench-'));
// The peers run as their own users and must reach their folders inside.
chmodSync(work, 0o755);
// The build as it is now: a rebuild of dist/ during the run changes neither the server nor its source map.
const serverDir = join(work, 'server');
for (const file of ['server.js', 'server.js.map', 'node-sqlite3-wasm.wasm']) cpSync(join(repoRoot, 'dist', file), join(serverDir, file));
const children = new Set();
const startedPeers = [];
function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  for (const peer of startedPeers) spawnSync(join(work, 'bench', `stop-${peer.name}.sh`), { env: { ...process.env, BENCH_DIR: join(work, 'bench') }, stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const log = (text) => process.stderr.write(`${text}\n`);

/** The shared generator in a temp dir, with its own dependencies. */
function prepareGenerator() {
  const dir = join(work, 'bench');
  cpSync(sharedBench, dir, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dir]);
  log('installing the load generator (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

/**
 * USERS users with consecutive ids from `first` (`<id>-1@localhost`: the generator's `--user '{n}-1'`
 * with `--user-start first`) and the rooms' group dialogs, occupants in the generator's order.
 */
function seed(dbPath) {
  const started = Date.now();
  let store = openSqliteChatStore({ path: dbPath });
  const first = store.createUser({ login: 'bench1', password: PASSWORD }).id;
  store.close();
  // The password hash is slow on purpose (~50 ms each): the other users get a copy of the first one's.
  const db = openSqliteWasm(dbPath);
  try {
    db.transaction(() => {
      for (let i = 1; i < USERS; i++) {
        const { lastInsertRowid } = db
          .prepare('INSERT INTO users (login, password_hash, created_at, updated_at) SELECT ?, password_hash, created_at, updated_at FROM users WHERE id = ?')
          .run([`bench${i + 1}`, first]);
        if (lastInsertRowid !== first + i) throw new Error(`expected user id ${first + i}, got ${lastInsertRowid}`);
      }
    });
  } finally {
    db.close();
  }
  store = openSqliteChatStore({ path: dbPath });
  try {
    const rooms = [];
    for (let r = 0; r < ROOMS; r++) {
      const ids = Array.from({ length: OCCUPANTS }, (_, k) => first + r * OCCUPANTS + k);
      const dialog = store.createDialog({ type: 2, ownerId: ids[0], occupantIds: ids.slice(1), name: `bench room ${r}` });
      rooms.push(`${APP_ID}_${dialog.id}@muc.${DOMAIN}`);
    }
    log(`seeded ${USERS} users and ${ROOMS} group dialogs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { first, rooms };
  } finally {
    store.close();
  }
}

/** Our built server on the seeded file; with `profileDir`, under `node --cpu-prof`. */
async function startOurServer(dbPath, profileDir) {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...flags, join(serverDir, 'server.js'), '--data', dbPath, '--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 30 s')), 30_000);
    void exited.then((code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseReadyLine(line);
      if (!parsed) return;
      clearTimeout(timer);
      resolve(parsed);
    });
  });
  return {
    pid: child.pid,
    tcp: info.xmpp,
    ws: info.websocket,
    // A clean exit (SIGTERM), so that --cpu-prof writes its profile.
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      children.delete(child);
    },
  };
}

/** A peer from its shared setup script; undefined (and why) when it cannot be set up here. */
function startPeer(dir, peer) {
  log(`starting ${peer.name} (setup-${peer.name}.sh)…`);
  startedPeers.push(peer);
  const setup = spawnSync(join(dir, `setup-${peer.name}.sh`), { env: { ...process.env, BENCH_DIR: dir }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const pidFile = join(dir, peer.pidFile);
  if (setup.status !== 0 || !existsSync(pidFile)) {
    log(`${peer.name} left out: setup-${peer.name}.sh exited with ${setup.status}: ${setup.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    return undefined;
  }
  return { ...peer, pid: readFileSync(pidFile, 'utf8').trim() };
}

/** suite.mjs for one scenario and server; the per-server options go through load.mjs's XB_* variables. */
function suite(dir, server, scenario, target, env) {
  const out = join(work, `${server}.jsonl`);
  const result = spawnSync(
    process.execPath,
    // A profile is of one run, noisy or not.
    ['suite.mjs', '--server', server, '--server-pid', target.pid, '--service', target.tcp, '--ws', target.ws, '--domain', DOMAIN, '--only', scenario, '--reps', REPS, ...(profile ? ['--max-attempts', '1'] : []), '--out', out],
    { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 1_800_000 },
  );
  if (result.status !== 0) log(`suite ${server} ${scenario} exited with ${result.status}`);
  return out;
}

/** suite.mjs's own median table over the results files (importing it would start a suite). */
function medians(dir, files) {
  return spawnSync(process.execPath, ['suite.mjs', '--table', ...files], { cwd: dir, encoding: 'utf8' }).stdout;
}

async function main() {
  const dir = prepareGenerator();
  const dbPath = join(work, 'chat.db');
  const { first, rooms } = seed(dbPath);
  const ourEnv = { XB_USER: `{n}-${APP_ID}`, XB_USER_START: String(first), XB_PASSWORD: PASSWORD, XB_EXTRA: SAVE, XB_ROOM_JIDS: rooms.join(','), XB_NICK: '{n}' };
  if (profile) return profileEach(dir, dbPath, ourEnv);

  const ours = await startOurServer(dbPath);
  log(`our server: pid ${ours.pid}, ${ours.tcp}, ${ours.ws}`);
  const peers = PEERS.map((peer) => startPeer(dir, peer)).filter(Boolean);
  const files = new Set();
  for (const scenario of SCENARIOS) {
    for (const peer of peers) files.add(suite(dir, peer.name, scenario, peer, {}));
    files.add(suite(dir, 'local', scenario, ours, ourEnv));
  }
  const existing = [...files].filter((f) => existsSync(f));
  process.stdout.write(`\n## Medians of clean runs (suite.mjs)\n\n${medians(dir, existing)}\n`);
  process.stdout.write(ratios(existing, peers.map((peer) => peer.name)));

  if (withThousand) {
    log('1,000 concurrent connections…');
    const run = spawnSync(
      process.execPath,
      ['load.mjs', '--service', ours.tcp, '--domain', DOMAIN, '--mode', 'one2one', '--clients', String(USERS), '--messages', '20', '--window', '5', '--connect-concurrency', '50', '--connect-timeout', '300', '--server-pid', String(ours.pid), '--quiet', '1'],
      { cwd: dir, env: { ...process.env, ...ourEnv }, encoding: 'utf8', timeout: 600_000 },
    );
    const result = JSON.parse(run.stdout.trim().split('\n').pop() || '{}');
    const t = result.traffic;
    process.stdout.write(
      `\n## 1,000 concurrent connections (local, TCP, 20 messages each, save_to_history=1)\n\n` +
        `ok=${result.ok} connected in ${result.connect?.all_online_ms} ms (failed ${result.connect?.failed}), ` +
        (t ? `delivered ${t.delivered}/${t.expected}, lost ${t.lost}, duplicates ${t.duplicates}, ${t.deliveries_per_s}/s, p50 ${t.latency_ms.p50} ms, p99 ${t.latency_ms.p99} ms, server RSS ${t.server_rss_mb} MB\n` : `${result.error}\n`),
    );
  }
}

/** local ÷ each peer per scenario, from the medians of clean runs. */
function ratios(files, peerNames) {
  const rows = new Map();
  const median = (xs) => {
    const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
  };
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line);
      if (!r.traffic) continue;
      const key = `${r.scenario}|${r.server}`;
      if (!rows.has(key)) rows.set(key, { clean: [], all: [] });
      const figures = {
        dps: r.traffic.deliveries_per_s,
        us: (r.traffic.cpu.server_cpu_pct * r.traffic.cpu.wall_s * 1e4) / r.traffic.delivered,
      };
      rows.get(key).all.push(figures);
      if (!r.noisy) rows.get(key).clean.push(figures);
    }
  }
  const pick = (scenario, server) => {
    const row = rows.get(`${scenario}|${server}`);
    if (!row) return undefined;
    const used = row.clean.length ? row.clean : row.all;
    return { dps: median(used.map((f) => f.dps)), us: median(used.map((f) => f.us)) };
  };
  let out = '';
  for (const peerName of peerNames) {
    out += `\n## local ÷ ${peerName} (medians; throughput ≥ 1 and µs/delivery ≤ 1 meet the floor)\n\n| scenario | deliveries/s ratio | µs/delivery ratio |\n|---|---|---|\n`;
    for (const scenario of SCENARIOS) {
      const local = pick(scenario, 'local');
      const peer = pick(scenario, peerName);
      if (local && peer) out += `| ${scenario} | ${(local.dps / peer.dps).toFixed(2)} | ${(local.us / peer.us).toFixed(2)} |\n`;
    }
  }
  return out;
}

/** Each scenario once against a fresh server under --cpu-prof, then where its busy time went. */
async function profileEach(dir, dbPath, ourEnv) {
  const sourceMap = new SourceMap(JSON.parse(readFileSync(join(serverDir, 'server.js.map'), 'utf8')));
  for (const scenario of SCENARIOS) {
    const profileDir = join(work, `profile-${scenario}`);
    const server = await startOurServer(dbPath, profileDir);
    const out = suite(dir, 'local', scenario, server, ourEnv);
    await server.stop();
    const last = JSON.parse(readFileSync(out, 'utf8').trim().split('\n').pop());
    const [file] = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    const keep = option('keep-profiles', undefined);
    // With the source map of the very build profiled.
    if (keep) for (const [from, to] of [[join(profileDir, file), `${scenario}.cpuprofile`], [join(serverDir, 'server.js.map'), 'server.js.map']]) cpSync(from, join(keep, to));
    const { busyMs, causes, functions } = whereTimeGoes(join(profileDir, file), sourceMap);
    const t = last.traffic;
    const storeShare = causes.filter(([name]) => CAUSES.slice(0, 4).some(([storeCause]) => storeCause === name)).reduce((sum, [, share]) => sum + share, 0);
    process.stdout.write(
      `\n## ${scenario}: ${t ? `${t.deliveries_per_s} deliveries/s, p99 ${t.latency_ms.p99} ms` : last.error}; server busy ${busyMs.toFixed(0)} ms (start and shutdown left out)\n\n` +
        `by cause (self time; the store's four together: ${(storeShare * 100).toFixed(1)}%):\n${causes.map(([name, share]) => `  ${(share * 100).toFixed(1).padStart(5)}%  ${name}`).join('\n')}\n` +
        `top functions (self time):\n${functions.map(([name, share]) => `  ${(share * 100).toFixed(1).padStart(5)}%  ${name}`).join('\n')}\n`,
    );
  }
}

/**
 * What each sample of a .cpuprofile was busy with: its function's source (through the bundle's source
 * map) named as a cause; frames without a source (V8 builtins such as JSON.stringify) count for their
 * caller's. Idle samples are left out, so the shares are of the busy time.
 */
function whereTimeGoes(file, sourceMap) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
  const parentOf = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const located = new Map(nodes.map((node) => [node.id, locate(node.callFrame, sourceMap)]));
  const selfUs = new Map();
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  // Starting and stopping (the store's final checkpoint) run under the CLI's and the composition's
  // functions; traffic never does.
  const lifecycle = (node) => {
    for (let n = node; n; n = parentOf.get(n.id)) if (/^src\/server\/(cli|localServer)\.ts$/.test(located.get(n.id).source)) return true;
    return false;
  };
  const byCause = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const node of nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const { functionName } = node.callFrame;
    if (us === 0 || functionName === '(idle)' || lifecycle(node)) continue;
    busy += us;
    let owner = node;
    while (!located.get(owner.id).source && parentOf.has(owner.id)) owner = parentOf.get(owner.id);
    const cause = causeOf(functionName, located.get(owner.id).source);
    byCause.set(cause, (byCause.get(cause) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${located.get(node.id).where || `(in ${located.get(owner.id).where || cause})`}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const shares = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, us]) => [name, us / busy]);
  return { busyMs: busy / 1000, causes: shares(byCause, 20), functions: shares(byFunction, 25) };
}

/** Source file (repo-relative, or `node:…`, `wasm`) and `file:line` of a profiled function. */
function locate({ url, lineNumber, columnNumber }, sourceMap) {
  if (!url) return { source: '', where: '' };
  if (url.startsWith('wasm://')) return { source: 'wasm', where: 'wasm' };
  if (url.startsWith('node:')) return { source: url, where: url };
  if (!url.endsWith('/server.js')) return { source: url, where: url };
  const entry = sourceMap.findEntry(lineNumber, columnNumber);
  const source = entry.originalSource?.replace(/^.*?\/(src|node_modules)\//, '$1/') ?? 'bundle (no source)';
  return { source, where: `${source}:${(entry.originalLine ?? 0) + 1}` };
}

/** Causes in the order they are tested; the first four are the store's (while it serves, the server uses node:fs for nothing else). */
const CAUSES = [
  ['SQLite engine (WASM)', (source) => source === 'wasm'],
  ['SQLite binding (node-sqlite3-wasm JS)', (source) => source.startsWith('node_modules/node-sqlite3-wasm/')],
  ['store: our SQL modules', (source) => source.startsWith('src/server/store/')],
  ['SQLite file I/O (WAL writes, checkpoints: node:fs)', (source) => source === 'node:fs'],
  ['XML parsing (ltx parser)', (source) => /node_modules\/(ltx\/lib\/parsers|@xmpp\/xml\/lib\/Parser)/.test(source)],
  ['XML elements and serialising (ltx)', (source) => source.startsWith('node_modules/ltx/') || source.startsWith('node_modules/@xmpp/')],
  ['WebSocket framing (ws)', (source) => source.startsWith('node_modules/ws/')],
  ['XMPP stream, routing and modules', (source) => source.startsWith('src/server/xmpp/')],
  ['shared helpers (jid, stanza, ids)', (source) => source.startsWith('src/shared/')],
  ['Node core: sockets, streams, timers', (source) => source.startsWith('node:')],
];

function causeOf(functionName, source) {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native code outside JS functions';
  return CAUSES.find(([, test]) => test(source))?.[0] ?? (source || 'other');
}

// The servers' pipes keep the event loop alive: exit explicitly, which runs the cleanup.
main().then(
  () => process.exit(0),
  (error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  },
);
