// `npm run bench:xmpp`: the local server's XMPP speed next to Prosody's, measured in the same run with
// the shared load generator (../shared/bench: load.mjs, suite.mjs, setup-prosody.sh). The shared folder
// is copied to a temp dir and installed there (its README's way); nothing of it lives in this repo.
// Our server runs from dist/server.js on a real data file, so every message it routes is persisted
// (`save_to_history=1` on every message); Prosody stores none. Scenarios alternate between the two
// servers, each until it has 3 clean runs (suite.mjs), then the medians are printed side by side with
// the ratios, followed by 1,000 concurrent connections against our server with 0 messages lost.
//   node bench/xmpp.mjs [--only 1to1-c20,muc-r5k10] [--reps 3] [--no-prosody] [--no-1000]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
const REPS = option('reps', '3');
const SCENARIOS = option('only', '1to1-c20,1to1-c20-ws,muc-r5k10,muc-r5k10-ws').split(',');
const withProsody = !args.includes('--no-prosody');
const withThousand = !args.includes('--no-1000');
const USERS = 1000;
const PASSWORD = 'benchpass';
const APP_ID = 1;
const DOMAIN = 'localhost';
// suite.mjs's MUC scenario: 5 rooms of 10 occupants.
const ROOMS = 5;
const OCCUPANTS = 10;
const SAVE = '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history></extraParams>';

const work = mkdtempSync(join(tmpdir(), 'qb-xmpp-bench-'));
// Prosody runs as its own user and must reach its folder inside.
chmodSync(work, 0o755);
const children = new Set();
let prosodyStarted = false;
function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  if (prosodyStarted) spawnSync(join(work, 'bench', 'stop-prosody.sh'), { env: { ...process.env, BENCH_DIR: join(work, 'bench') }, stdio: 'ignore' });
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

async function startOurServer(dbPath) {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/server.js'), '--data', dbPath, '--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseReadyLine(line);
      if (!parsed) return;
      clearTimeout(timer);
      resolve(parsed);
    });
  });
  return { pid: child.pid, tcp: info.xmpp, ws: info.websocket };
}

function startProsody(dir) {
  log('starting Prosody (setup-prosody.sh)…');
  prosodyStarted = true;
  execFileSync(join(dir, 'setup-prosody.sh'), { env: { ...process.env, BENCH_DIR: dir }, stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(join(dir, 'prosody/run/prosody.pid'), 'utf8').trim();
}

/** suite.mjs for one scenario and server; the per-server options go through load.mjs's XB_* variables. */
function suite(dir, server, scenario, target, env) {
  const out = join(work, `${server}.jsonl`);
  const result = spawnSync(
    process.execPath,
    ['suite.mjs', '--server', server, '--server-pid', target.pid, '--service', target.tcp, '--ws', target.ws, '--domain', DOMAIN, '--only', scenario, '--reps', REPS, '--out', out],
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
  const ours = await startOurServer(dbPath);
  log(`our server: pid ${ours.pid}, ${ours.tcp}, ${ours.ws}`);
  const prosody = withProsody && { pid: startProsody(dir), tcp: 'xmpp://127.0.0.1:15222', ws: 'ws://127.0.0.1:15280/xmpp-websocket' };

  const ourEnv = { XB_USER: `{n}-${APP_ID}`, XB_USER_START: String(first), XB_PASSWORD: PASSWORD, XB_EXTRA: SAVE, XB_ROOM_JIDS: rooms.join(','), XB_NICK: '{n}' };
  const files = new Set();
  for (const scenario of SCENARIOS) {
    if (prosody) files.add(suite(dir, 'prosody', scenario, prosody, {}));
    files.add(suite(dir, 'local', scenario, ours, ourEnv));
  }
  const existing = [...files].filter((f) => existsSync(f));
  process.stdout.write(`\n## Medians of clean runs (suite.mjs)\n\n${medians(dir, existing)}\n`);
  process.stdout.write(ratios(existing));

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

/** local ÷ prosody per scenario, from the medians of clean runs. */
function ratios(files) {
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
  let out = '\n## local ÷ Prosody (medians; throughput ≥ 1 and µs/delivery ≤ 1 meet the floor)\n\n| scenario | deliveries/s ratio | µs/delivery ratio |\n|---|---|---|\n';
  for (const scenario of SCENARIOS) {
    const pick = (server) => {
      const row = rows.get(`${scenario}|${server}`);
      if (!row) return undefined;
      const used = row.clean.length ? row.clean : row.all;
      return { dps: median(used.map((f) => f.dps)), us: median(used.map((f) => f.us)) };
    };
    const local = pick('local');
    const peer = pick('prosody');
    if (!local || !peer) continue;
    out += `| ${scenario} | ${(local.dps / peer.dps).toFixed(2)} | ${(local.us / peer.us).toFixed(2)} |\n`;
  }
  return out;
}

// The servers' pipes keep the event loop alive: exit explicitly, which runs the cleanup.
main().then(
  () => process.exit(0),
  (error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  },
);
