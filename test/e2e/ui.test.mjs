// The extension as a user meets it, driven through the workbench in headless chromium: the QuickBlox
// view, the dialogs, a conversation panel, its composer and advanced composer, a message's toolbar
// (edit, copy id, inspect JSON, delete for everyone), the stanza console, and a second user signed
// in beside the first. The other end of the conversation is a plain xmpp.js client in this
// Node process, so a pass means the message typed in the webview really crossed the local server.
// Inputs (set by run.mjs): QB_E2E_SERVER_INFO (the server's ready JSON), QB_E2E_WORKSPACE, QB_E2E_RESULTS.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clickTreeRow,
  closeEditors,
  confirmDialog,
  editorTabTitles,
  editorText,
  findWebviewFrame,
  openViewContainer,
  pickQuickItem,
  runCommand,
  statusBarLabels,
  waitForTreeRows,
} from './lib/workbenchUi.mjs';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { openWorkbench } = require('./lib/workbench.cjs');
const { connectPeer } = require(join(repoRoot, 'out', 'test', 'e2e', 'xmppPeer.js'));

const WAIT_MS = 30000;
/** The custom parameter the advanced composer sends. */
const PARAM = { key: 'e2e_priority', value: 'high' };

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
  /** The message sent with the advanced composer: its text (once edited, the new one) and id. */
  const advanced = { text: '', id: '' };
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
      // "Copy ID" writes through the browser's clipboard; reading it back needs the permission.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.url).origin });
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
  });

  it('sends with the advanced composer: a custom parameter, markable off', async function () {
    const frame = await findWebviewFrame(page, sentText, WAIT_MS);
    await frame.getByRole('button', { name: 'Advanced' }).click();
    await frame.getByRole('button', { name: 'Add parameter' }).click();
    await frame.locator('input[aria-label="Parameter 1 name"]').fill(PARAM.key);
    await frame.locator('input[aria-label="Parameter 1 value"]').fill(PARAM.value);
    const markable = frame.getByRole('checkbox', { name: /^markable/ });
    await markable.click();
    await waitFor(async () => (await markable.getAttribute('aria-checked')) === 'false', 'markable to be off');
    advanced.text = `Sent with options ${Date.now()}`;
    await frame.locator('textarea').first().click();
    await page.keyboard.type(advanced.text);
    await page.keyboard.press('Enter');

    const received = await peer.waitForMessage(advanced.text, 15000);
    assert.equal(received.params[PARAM.key], PARAM.value, 'the custom parameter travels in <extraParams>');
    assert.equal(received.markable, false, 'no <markable/>: no markers asked for');
    const row = frame.locator('.msg', { hasText: advanced.text });
    await row.locator('.qb-chip', { hasText: `${PARAM.key}=${PARAM.value}` }).waitFor({ timeout: WAIT_MS });
    advanced.id = await row.getAttribute('data-id');
    assert.ok(advanced.id, 'the row names its message');
    // Closed, the options stay put but no longer apply: the composer is the plain one again.
    await frame.getByRole('button', { name: 'Advanced' }).click();
    await frame.locator('input[aria-label="Parameter 1 name"]').waitFor({ state: 'hidden', timeout: WAIT_MS });
  });

  it('edits it from its toolbar: the text changes, "edited" shows, the other user gets the correction', async function () {
    const frame = await findWebviewFrame(page, advanced.text, WAIT_MS);
    await messageAction(frame, 'Edit');
    const edited = `Edited in the e2e run ${Date.now()}`;
    await frame.getByText('Editing your message').waitFor({ timeout: WAIT_MS });
    const box = frame.locator('textarea').first();
    await waitFor(async () => (await box.inputValue()) === advanced.text, 'the composer to hold the message to edit');
    // Replaced whole (typing after Ctrl+A could lose its first key to the box's own focus handling).
    await box.fill(edited);
    await box.press('Enter');

    const correction = await peer.waitForMessage(edited, 15000);
    assert.equal(correction.replaces, advanced.id, 'a XEP-0308 correction of that message');
    const row = messageRow(frame);
    await row.locator('.msg-body', { hasText: edited }).waitFor({ timeout: WAIT_MS });
    await row.locator('.msg-edited', { hasText: 'edited' }).waitFor({ timeout: WAIT_MS });
    advanced.text = edited;
    // The README's picture: history, ticks, the parameter chip, "edited" and the toolbar of a hovered message.
    await row.hover();
    await row.getByRole('toolbar', { name: 'Message actions' }).waitFor({ timeout: WAIT_MS });
    await shot('conversation.png');
  });

  it('copies the message id from its toolbar', async function () {
    const frame = await findWebviewFrame(page, advanced.text, WAIT_MS);
    await messageAction(frame, 'Copy ID');
    await waitForStatusBar((labels) => labels.some((l) => l.includes(`Copied message id ${advanced.id}`)));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), advanced.id, 'the clipboard holds the id');
  });

  it('inspects the message JSON from its toolbar: a document shows the custom field', async function () {
    const frame = await findWebviewFrame(page, advanced.text, WAIT_MS);
    await messageAction(frame, 'Inspect JSON');
    const json = await editorText(page, (text) => text.includes(advanced.id) && text.includes(PARAM.key), WAIT_MS);
    const message = JSON.parse(json);
    assert.equal(message._id, advanced.id);
    assert.equal(message[PARAM.key], PARAM.value, 'the custom parameter is a top-level field, as QuickBlox stores it');
    assert.equal(message.message, advanced.text, 'the edited text');
    await closeEditors(page, (title) => title.includes(advanced.id), WAIT_MS);
    await findWebviewFrame(page, advanced.text, WAIT_MS);
  });

  it('deletes it for everyone from its toolbar, after asking', async function () {
    const other = info.demoUsers.find((u) => u.fullName === privateDialog.label);
    assert.ok((await historyOf(other)).some((m) => m._id === advanced.id), 'the other user has it before');
    const frame = await findWebviewFrame(page, advanced.text, WAIT_MS);
    await messageAction(frame, 'Delete for everyone');
    await confirmDialog(page, 'Delete this message for everyone?', 'Delete', WAIT_MS);
    await messageRow(frame).waitFor({ state: 'detached', timeout: WAIT_MS });
    assert.ok(!(await historyOf(other)).some((m) => m._id === advanced.id), 'gone from the other user\'s history too');
  });

  it('shows the exchange in the stanza console', async function () {
    await runCommand(page, 'QuickBlox: Show Stanza Console', WAIT_MS);
    const console = await findWebviewFrame(page, 'Server decisions', WAIT_MS);
    // Many stanzas came after the first message: find it as a user would, with the console's search.
    const search = console.locator('input[aria-label="Search stanzas"]');
    await search.fill(sentText);
    await search.press('Enter');
    // The console's list (not the conversation beside it) shows the stanza of the message sent first.
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

  /** Polls `probe` until it holds; bounded by WAIT_MS. */
  async function waitFor(probe, what) {
    const deadline = Date.now() + WAIT_MS;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
      await page.waitForTimeout(100);
    }
  }

  /** The row of the message sent with the advanced composer. */
  function messageRow(frame) {
    return frame.locator(`.msg[data-id="${advanced.id}"]`);
  }

  /** Clicks one of that message's toolbar buttons (by its accessible name), shown by hovering the row. */
  async function messageAction(frame, name) {
    const row = messageRow(frame);
    await row.hover();
    await row.getByRole('button', { name, exact: true }).click();
  }

  /** The private dialog's messages as `user` gets them from the server (REST, with the server's API key). */
  async function historyOf(user) {
    const asUser = { headers: { Authorization: `ApiKey ${info.apiKey}`, 'On-Behalf-Of': String(user.id) } };
    const get = async (path) => {
      const response = await fetch(new URL(path, info.rest), asUser);
      assert.equal(response.status, 200, `GET ${path} as ${user.login}`);
      return response.json();
    };
    const dialogs = await get('chat/Dialog.json?type=3');
    const dialog = dialogs.items.find((d) => d.occupants_ids.includes(me.id));
    assert.ok(dialog, `${user.login} has a private dialog with ${me.login}`);
    return (await get(`chat/Message.json?chat_dialog_id=${dialog._id}&limit=100&sort_desc=date_sent`)).items;
  }

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
