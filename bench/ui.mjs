// `npm run bench:ui`: how the webviews and the extension hold up, in real chromium.
//   1. conversation: a snapshot of 10,000 messages posted to the panel; time from the post to the
//      first rows painted (performance marks; "painted" = the task after the animation frame in
//      which the rows exist) and the page's DOM node count once settled;
//   2. stanza console: 2,000 stanzas/s for 10 s, posted the way the host does (one batch per 50 ms,
//      src/ui/stanzaConsole.ts); dropped frames (requestAnimationFrame gaps > 2 × 16.7 ms), stanzas
//      lost (the console's count vs sent; its buffer is set above the number sent, so any loss is a
//      real one), JS heap (CDP Runtime.getHeapUsage) before, after, and after a GC
//      (what the 20,000 kept stanzas retain);
//   3. extension activation: the `[figure] activation` line of the e2e suite (test/e2e/run.mjs),
//      which runs the extension in a real VS Code (code-server).
// The pages are the webview tests' (test/webview/harness.ts): the host's own page builder and the
// built bundles under dist/webview, with VS Code stubbed at the protocol boundary.
//
//   node bench/ui.mjs [--runs N] [--no-activation | --activation-from FILE]
//     --runs N               conversation first-paint runs (median reported; default 5)
//     --no-activation        skip the e2e run (a few minutes)
//     --activation-from FILE read the figure from a saved e2e output instead of running it
// Needs dist/ (npm run build) and out/ (tsc -p tsconfig.json): the bench:ui script builds both.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FLOORS = { firstPaintMs: 200, domNodes: 1500, lostStanzas: 0, activationMs: 50 };
const MESSAGES = 10_000;
const RATE = 2_000;
const SECONDS = 10;
const FRAME_MS = 1000 / 60;

function option(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}
const runs = Number(option('--runs') ?? 5);
const say = (...a) => console.log('[bench:ui]', ...a);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const f of ['out/test/webview/harness.js', 'out/test/webview/fixtures.js', 'dist/webview/conversation.js', 'dist/webview/console.js']) {
  if (!existsSync(join(root, f))) {
    console.error(`${f} is missing: run \`npm run build && npx tsc -p tsconfig.json\` (npm run bench:ui does)`);
    process.exit(1);
  }
}
const { Harness, until } = require(join(root, 'out/test/webview/harness.js'));
const fixtures = require(join(root, 'out/test/webview/fixtures.js'));

async function ready(view) {
  await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
}

// ---- 1. conversation: first paint and DOM size of a 10,000-message snapshot ----
async function conversation(harness) {
  const snap = fixtures.snapshot({ messages: fixtures.messages(1, MESSAGES) });
  const paints = [];
  let nodes = 0;
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const view = await harness.open('conversation');
    await ready(view);
    // The snapshot is in the page before the clock starts: only posting and rendering are timed.
    await view.page.evaluate((s) => (globalThis.__benchSnapshot = s), snap);
    const ms = await view.page.evaluate(
      () =>
        new Promise((resolve) => {
          performance.mark('snapshot-posted');
          globalThis.__toWebview({ kind: 'notify', method: 'snapshot', params: globalThis.__benchSnapshot });
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            performance.mark('first-rows-painted');
            resolve(performance.measure('first-paint', 'snapshot-posted', 'first-rows-painted').duration);
          };
          const frame = () => {
            // The frame in which rows exist is painted right after its callbacks: the next task is after the paint.
            if (document.querySelector('.msg')) channel.port2.postMessage(0);
            else requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
    );
    paints.push(ms);
    await view.settle();
    await view.page.waitForTimeout(200);
    nodes = await view.nodeCount();
    rows = await view.page.locator('.msg').count();
    if (view.errors.length) throw new Error(`conversation page errors: ${view.errors.join('; ')}`);
    await view.close();
  }
  return { firstPaintMs: median(paints), firstPaintRuns: paints, domNodes: nodes, rows };
}

// ---- 2. stanza console: 2,000 stanzas/s for 10 s ----
async function stanzaConsole(harness) {
  const view = await harness.open('console');
  await ready(view);
  const limit = RATE * SECONDS * 2;
  await view.notify('snapshot', fixtures.consoleSnapshot([], [], fixtures.consoleContext({ limit })));
  await view.settle();
  const cdp = await view.page.context().newCDPSession(view.page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heapBefore = await cdp.send('Runtime.getHeapUsage');

  const result = await view.page.evaluate(
    ({ rate, seconds, frameMs }) =>
      new Promise((resolve) => {
        const conns = ['1001-1@localhost', '1002-1@localhost'];
        const kinds = ['message', 'presence', 'iq', 'sm', 'other'];
        const make = (seq) => ({
          seq,
          time: Date.now(),
          direction: seq % 2 === 0 ? 'out' : 'in',
          connection: conns[seq % 2],
          kind: kinds[seq % 7 === 0 ? 1 + (seq % 4) : 0],
          xml: `<message to="1002-1@localhost" from="1001-1@localhost/r${seq % 3}" id="s${seq}" type="chat"><body>stanza number ${seq} of the flood</body><markable xmlns="urn:xmpp:chat-markers:0"/></message>`,
        });
        const total = rate * seconds;
        let sent = 0;
        const gaps = [];
        let last = 0;
        let frames = 0;
        let measuring = true;
        const tick = (t) => {
          if (last) gaps.push(t - last);
          last = t;
          frames++;
          if (measuring) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const start = performance.now();
        // The host coalesces stanzas for 50 ms and posts each batch (src/ui/stanzaConsole.ts).
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
          if (due > sent) {
            const batch = [];
            while (sent < due) batch.push(make(++sent));
            globalThis.__toWebview({ kind: 'notify', method: 'stanzas', params: { stanzas: batch } });
          }
          if (sent >= total) {
            clearInterval(timer);
            const elapsed = performance.now() - start;
            // Let the last batch render before counting.
            setTimeout(() => {
              measuring = false;
              const long = gaps.filter((g) => g > 2 * frameMs);
              const missed = long.reduce((n, g) => n + Math.round(g / frameMs) - 1, 0);
              const count = Number((document.querySelector('.st-count')?.textContent ?? '').replace(/\D/g, '') || 0);
              resolve({
                sent,
                elapsedMs: elapsed,
                frames,
                longGaps: long.length,
                missedFrames: missed,
                worstGapMs: Math.max(0, ...gaps),
                counted: count,
                lastRow: Boolean(document.querySelector(`.st-row[data-seq="${total}"]`)),
                perfMemory: performance.memory ? performance.memory.usedJSHeapSize : undefined,
              });
            }, 500);
          }
        }, 50);
      }),
    { rate: RATE, seconds: SECONDS, frameMs: FRAME_MS },
  );
  const heapAfter = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heapRetained = await cdp.send('Runtime.getHeapUsage');
  await view.settle();
  const nodes = await view.nodeCount();
  if (view.errors.length) throw new Error(`console page errors: ${view.errors.join('; ')}`);
  await view.close();
  return { ...result, heapBeforeMB: heapBefore.usedSize / 2 ** 20, heapAfterMB: heapAfter.usedSize / 2 ** 20, heapRetainedMB: heapRetained.usedSize / 2 ** 20, nodes, limit };
}

// ---- 3. activation, from the e2e suite ----
function activationFrom(text) {
  const m = /\[figure\] activation: ([\d.]+) ms/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function runE2e() {
  say('running the e2e suite for the activation figure (node test/e2e/run.mjs --prebuilt; a few minutes)…');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'test/e2e/run.mjs'), '--prebuilt'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.on('exit', (code) => {
      const summary = /^\d+ passed, \d+ failed$/m.exec(text)?.[0] ?? `exit ${code}`;
      resolve({ ms: activationFrom(text), note: `e2e run: ${summary}` });
    });
  });
}

async function activation() {
  if (process.argv.includes('--no-activation')) return { ms: undefined, note: 'skipped (--no-activation)' };
  const file = option('--activation-from');
  if (file) return { ms: activationFrom(readFileSync(file, 'utf8')), note: `from ${file}` };
  return runE2e();
}

function table(rows) {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

async function main() {
  const harness = new Harness();
  await harness.start();
  let conv;
  let cons;
  try {
    say(`conversation: ${MESSAGES.toLocaleString('en')} messages, ${runs} runs`);
    conv = await conversation(harness);
    say(`first paint runs (ms): ${conv.firstPaintRuns.map((x) => x.toFixed(1)).join(', ')}; ${conv.rows} rows in the DOM`);
    say(`stanza console: ${RATE.toLocaleString('en')} stanzas/s for ${SECONDS} s`);
    cons = await stanzaConsole(harness);
    say(
      `console: ${cons.frames} frames in ${(cons.elapsedMs / 1000).toFixed(1)} s, ${cons.longGaps} gaps > ${(2 * FRAME_MS).toFixed(1)} ms ` +
        `(worst ${cons.worstGapMs.toFixed(1)} ms), last stanza rendered: ${cons.lastRow}, ${cons.nodes} DOM nodes, buffer ${cons.limit}`,
    );
  } finally {
    await harness.stop();
  }
  const act = await activation();
  say(`activation: ${act.note}`);

  const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'meets' : 'MISSES');
  const lost = cons.sent - cons.counted;
  const rows = [
    ['figure', 'value', 'floor', 'verdict'],
    ['conversation first paint (10,000 msgs, median)', `${conv.firstPaintMs.toFixed(1)} ms`, `< ${FLOORS.firstPaintMs} ms`, verdict(conv.firstPaintMs < FLOORS.firstPaintMs)],
    ['conversation DOM nodes', conv.domNodes, `< ${FLOORS.domNodes.toLocaleString('en')}`, verdict(conv.domNodes < FLOORS.domNodes)],
    ['console stanzas lost (of sent)', `${lost} of ${cons.sent.toLocaleString('en')}`, 'none', verdict(lost === 0 && cons.lastRow)],
    ['console dropped frames (gaps > 33.3 ms)', `${cons.longGaps} gaps, ~${cons.missedFrames} frames of ${cons.frames}`, '-', '-'],
    ['console JS heap: before, after, after GC', `${cons.heapBeforeMB.toFixed(1)}, ${cons.heapAfterMB.toFixed(1)}, ${cons.heapRetainedMB.toFixed(1)} MB`, '-', '-'],
    ['extension activation (own time)', act.ms === undefined ? 'n/a' : `${act.ms.toFixed(1)} ms`, `< ${FLOORS.activationMs} ms`, verdict(act.ms === undefined ? undefined : act.ms < FLOORS.activationMs)],
  ];
  console.log('\n' + table(rows) + '\n');
  const missed = rows.slice(1).some((r) => r[3] === 'MISSES');
  process.exitCode = missed ? 1 : 0;
}

main().catch((err) => {
  console.error('bench:ui:', err);
  process.exit(1);
});
