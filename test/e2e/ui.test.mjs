// The extension as a user meets it, driven through the workbench in headless chromium: the QuickBlox
// view, the dialogs, a conversation panel, its composer, the stanza console, and a second user
// signed in beside the first. The other end of the conversation is a plain xmpp.js client in this
// Node process, so a pass means the message typed in the webview really crossed the local server.
// Inputs (set by run.mjs): QB_E2E_SERVER_INFO (the server's ready JSON), QB_E2E_WORKSPACE, QB_E2E_RESULTS.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clickTreeRow, editorTabTitles, findWebviewFrame, openViewContainer, pickQuickItem, runCommand, statusBarLabels, waitForTreeRows } from './lib/workbenchUi.mjs';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { openWorkbench } = require('./lib/workbench.cjs');
const { connectPeer } = require(join(repoRoot, 'out', 'test', 'e2e', 'xmppPeer.js'));

const WAIT_MS = 30000;

describe('QuickBlox Chat Workbench in the workbench UI', function () {
  this.timeout(90000);
  const info = JSON.parse(process.env.QB_E2E_SERVER_INFO ?? 'null');
  const workspace = process.env.QB_E2E_WORKSPACE;
  const results = process.env.QB_E2E_RESULTS ?? join(repoRoot, 'test-results', 'e2e');
  const runDir = mkdtempSync(join(tmpdir(), 'qb-e2e-ui-'));
  // The extension signs in as the first demo user when quickblox.local.user is empty.
  const me = info?.demoUsers?.[0];
  let workbench;
  let page;
  let peer;
  let privateDialog; // { label, description } of the private dialog's tree row
  let sentText;
  let failed = false;

  const shot = (name) => page.screenshot({ path: join(results, name) });
  // The tree row's description previews the last message ("2 new · 11:39 AM · text…"); the panel shows it whole.
  const lastMessagePreview = () =>
    privateDialog.description.replace(/^\d+ new · /, '').replace(/^[\d/.:, ]+(?:[AP]M)? · /, '').replace(/…$/, '');

  before(async function () {
    assert.ok(info && workspace, 'QB_E2E_SERVER_INFO and QB_E2E_WORKSPACE must be set (run through test/e2e/run.mjs)');
    assert.ok(me, 'the local server reported no demo users');
    mkdirSync(results, { recursive: true });
    try {
      // Only the extension under development: no tests path, so the window stays up for us to drive.
      workbench = await openWorkbench({ runDir, workspace, payload: { extensionDevelopmentPath: repoRoot } });
      page = workbench.page;
      await page.goto(workbench.url, { waitUntil: 'domcontentloaded' });
      await page.locator('.monaco-workbench').waitFor({ timeout: WAIT_MS });
    } catch (err) {
      failed = true; // afterEach does not run for a failed before hook
      throw err;
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    await page?.screenshot({ path: join(results, 'ui-failure.png') }).catch(() => undefined);
  });

  after(async function () {
    await peer?.stop();
    await workbench?.close();
    if (failed) console.log(`    UI run kept in ${runDir} (code-server.log, browser-console.log); screenshot ${join(results, 'ui-failure.png')}`);
    else rmSync(runDir, { recursive: true, force: true });
  });

  it('shows the demo dialogs in the QuickBlox view', async function () {
    await openViewContainer(page, 'QuickBlox', WAIT_MS);
    // Opening the view is what signs the extension in; the dialogs follow.
    const rows = await waitForTreeRows(page, (r) => r.some((row) => row.label === 'Demo group') && r.length >= 2, WAIT_MS);
    const others = new Set(info.demoUsers.filter((u) => u.id !== me.id).map((u) => u.fullName));
    privateDialog = rows.find((row) => others.has(row.label));
    assert.ok(privateDialog, `a private dialog labelled with another demo user's name, in ${JSON.stringify(rows)}`);
    assert.ok(privateDialog.description, 'the private dialog shows its last message');
    // Away from the activity bar, whose hover tooltip would otherwise be in the picture.
    await page.mouse.move(900, 450);
    await page.waitForFunction(() => !document.querySelector('.workbench-hover-container'), null, { timeout: 5000 });
    await shot('tree.png');
  });

  it('opens the private dialog with its history', async function () {
    await clickTreeRow(page, privateDialog.label);
    await findWebviewFrame(page, lastMessagePreview(), WAIT_MS);
    assert.ok((await editorTabTitles(page)).includes(privateDialog.label), 'an editor tab titled with the dialog name');
  });

  it('sends from the composer to the other user', async function () {
    const other = info.demoUsers.find((u) => u.fullName === privateDialog.label);
    peer = await connectPeer(info, other);
    sentText = `Hello from the e2e composer ${Date.now()}`;
    const frame = await findWebviewFrame(page, lastMessagePreview(), WAIT_MS);
    await frame.locator('textarea').first().click();
    await page.keyboard.type(sentText);
    await page.keyboard.press('Enter');
    const received = await peer.waitForMessage(sentText, 15000);
    assert.equal(received.body, sentText);
    await findWebviewFrame(page, sentText, WAIT_MS);
    await shot('conversation.png');
  });

  it('shows the exchange in the stanza console', async function () {
    await runCommand(page, 'QuickBlox: Show Stanza Console', WAIT_MS);
    // The console's list (not the conversation beside it) shows the stanza of the message just sent.
    await findWebviewFrame(page, sentText, WAIT_MS, '[aria-label="XMPP stanzas"]');
    await shot('stanza-console.png');
  });

  it('signs in as the other user too: a tree root and a status bar item per user', async function () {
    const other = info.demoUsers.find((u) => u.fullName === privateDialog.label);
    await runCommand(page, 'QuickBlox: Sign In as Another User…', WAIT_MS);
    await pickQuickItem(page, other.fullName, WAIT_MS);
    const roots = [`${me.login} — online`, `${other.login} — online`];
    await waitForTreeRows(page, (rows) => roots.every((root) => rows.some((row) => row.label === root)), WAIT_MS);
    await waitForStatusBar((labels) => [me, other].every((u) => labels.some((l) => l.includes(`online as ${u.login}`))));
  });

  it('shows a message sent as the first user in the other user\'s tree, counted as new', async function () {
    const text = `Hello, other me ${Date.now()}`;
    // The other user's row of the private dialog is named after the first user; "N new · time · text".
    const unreadOf = (rows) => Number(/^(\d+) new/.exec(rows.find((row) => row.label === me.fullName)?.description ?? '')?.[1] ?? 0);
    const before = unreadOf(await waitForTreeRows(page, (r) => r.some((row) => row.label === me.fullName), WAIT_MS));
    const frame = await findWebviewFrame(page, sentText, WAIT_MS);
    await frame.locator('textarea').first().click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    const rows = await waitForTreeRows(page, (r) => unreadOf(r) === before + 1 && r.some((row) => row.label === me.fullName && row.description.includes(text.slice(0, 20))), WAIT_MS);
    assert.ok(rows.some((row) => row.label === privateDialog.label), 'the first user\'s row is still there');
    const badge = await page
      .locator('.activitybar [aria-label^="QuickBlox"]')
      .first()
      .evaluate((entry) => entry.closest('.action-item')?.querySelector('.badge-content')?.textContent ?? '');
    assert.ok(Number(badge) >= 1, `the QuickBlox view's badge counts it (shows "${badge}")`);
    await shot('users.png');
  });

  it('signs the other user out: the tree and the status bar show one user again', async function () {
    const other = info.demoUsers.find((u) => u.fullName === privateDialog.label);
    await runCommand(page, 'QuickBlox: Sign Out User…', WAIT_MS);
    await pickQuickItem(page, other.login, WAIT_MS);
    await waitForTreeRows(page, (rows) => rows.some((row) => row.label === 'Private') && !rows.some((row) => row.label.startsWith(`${other.login} — `)), WAIT_MS);
    await waitForStatusBar((labels) => labels.some((l) => l.includes(`online as ${me.login}`)) && !labels.some((l) => l.includes(other.login)));
  });

  /** Polls the status bar's item labels until `predicate` holds; bounded by WAIT_MS. */
  async function waitForStatusBar(predicate) {
    const deadline = Date.now() + WAIT_MS;
    let labels = [];
    while (Date.now() < deadline) {
      labels = await statusBarLabels(page);
      if (predicate(labels)) return labels;
      await page.waitForTimeout(250);
    }
    throw new Error(`status bar not as expected within ${WAIT_MS} ms; last seen: ${JSON.stringify(labels)}`);
  }
});
