import assert from 'node:assert/strict';
import { consoleSnapshot, stanza, stanzas } from './fixtures';
import { Harness, until, type WebviewPage } from './harness';

const LIST = '.st-list';
const HOSTILE_XML =
  '<message type="chat"><body>&lt;img src=x onerror=alert(1)&gt;</body><img src="x" onerror="alert(2)"/><script>alert(3)</script></message>';

describe('stanza console webview (chromium)', function () {
  const harness = new Harness();
  let view: WebviewPage;

  before(async () => harness.start());
  after(async () => harness.stop());
  afterEach(async function () {
    assert.deepEqual(view.errors, [], 'no page errors');
    assert.deepEqual(view.dialogs, [], 'no dialogs');
    assert.deepEqual(await view.violations(), [], 'no CSP violations');
    await view.close();
  });

  async function openWith(initial = stanzas(1, 6), state?: unknown): Promise<WebviewPage> {
    view = await harness.open('console', state);
    await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
    await view.notify('snapshot', consoleSnapshot(initial));
    await view.page.locator('.st-row').first().waitFor();
    await view.settle();
    return view;
  }

  async function atBottom(): Promise<boolean> {
    const m = await view.scrollMetrics(LIST);
    return m.height - m.top - m.client < 2;
  }

  it('says ready first and renders time, direction, connection, kind and XML in order', async () => {
    await openWith([
      stanza(1, { direction: 'out', kind: 'presence', xml: '<presence/>' }),
      stanza(2, { direction: 'in', kind: 'iq', connection: '1002-1@localhost', xml: '<iq type="result" id="a"/>' }),
      stanza(3, { direction: 'in', kind: 'message', xml: HOSTILE_XML }),
    ]);
    assert.deepEqual((await view.host()).posted[0], { kind: 'ready' });
    assert.equal(await view.page.locator('#app > .st-toolbar').count(), 1, 'mounted in the shell\'s #app');
    assert.equal(await view.strayBodyChildren(), 0);
    assert.deepEqual(await view.page.locator('.st-time').allTextContents(), [
      '12:34:56.790',
      '12:34:56.791',
      '12:34:56.792',
    ]);
    assert.deepEqual(await view.page.locator('.st-dir').allTextContents(), ['→ out', '← in', '← in']);
    assert.deepEqual(await view.page.evaluate<string[]>("[...document.querySelectorAll('.st-row')].map((r) => r.className)"), [
      'st-row st-row-out',
      'st-row st-row-in',
      'st-row st-row-in',
    ]);
    assert.deepEqual(await view.page.locator('.st-conn').allTextContents(), [
      '1001-1@localhost',
      '1002-1@localhost',
      '1001-1@localhost',
    ]);
    assert.deepEqual(await view.page.locator('.st-kind').allTextContents(), ['presence', 'iq', 'message']);
    assert.equal(await view.page.locator('.st-count').textContent(), '3 stanzas');

    await view.page.waitForTimeout(300);
    // Pretty-printed: the same text, one element per line, nothing of it turned into markup.
    assert.deepEqual(await view.page.locator('.st-row[data-seq="3"] .x-line').allTextContents(), [
      '<message type="chat">',
      '<body>&lt;img src=x onerror=alert(1)&gt;</body>',
      '<img src="x" onerror="alert(2)"/>',
      '<script>alert(3)</script>',
      '</message>',
    ]);
    assert.equal(await view.page.locator('img').count(), 0);
    assert.equal(await view.page.locator('.st-list script').count(), 0);
  });

  it('appends live batches once and keeps the DOM small with 10,000 stanzas', async () => {
    await openWith(stanzas(1, 10_000));
    await view.notify('stanzas', { stanzas: stanzas(9_999, 4) });
    await view.page.locator('.st-row[data-seq="10002"]').waitFor();
    await view.settle();
    assert.equal(await view.page.locator('.st-count').textContent(), '5000 stanzas', 'overlap deduplicated, bounded like the host buffer');
    assert.equal(await view.page.locator('.st-row[data-seq="10002"]').count(), 1);
    const nodes = await view.nodeCount();
    assert.ok(nodes < 1500, `DOM has ${nodes} nodes`);
    assert.ok(await atBottom(), 'followed the tail');
    await view.screenshot('console.png');
  });

  it('follow tail: on by default, off when the user scrolls up, and back on from the toggle', async () => {
    await openWith(stanzas(1, 300));
    const follow = view.page.locator('.qb-checkbox:has-text("Follow tail")');
    assert.equal(await follow.getAttribute('aria-checked'), 'true');

    await view.scrollTo(LIST, 500);
    await until(async () => ((await follow.getAttribute('aria-checked')) === 'false' ? true : undefined), 'follow off');
    const before = await view.scrollMetrics(LIST);
    await view.notify('stanzas', { stanzas: stanzas(301, 20) });
    await view.page.locator('.st-count:has-text("320")').waitFor();
    await view.settle();
    assert.equal(Math.round((await view.scrollMetrics(LIST)).top), Math.round(before.top), 'paused');

    await follow.click();
    await until(async () => ((await atBottom()) ? true : undefined), 'jumped to the end');
    await view.notify('stanzas', { stanzas: stanzas(321, 20) });
    await view.page.locator('.st-row[data-seq="340"]').waitFor();
    await view.settle();
    assert.ok(await atBottom(), 'follows again');
    const states = (await view.host()).states;
    assert.equal((states[states.length - 1] as { follow: boolean }).follow, true);
  });

  it('Clear asks the host and empties the list once it agrees', async () => {
    await openWith(stanzas(1, 10));
    await view.page.locator('.qb-button:has-text("Clear")').click();
    const clear = await view.waitForRequest('clear');
    assert.deepEqual(clear.params, {});
    assert.equal(await view.page.locator('.st-count').textContent(), '10 stanzas', 'nothing removed before the reply');
    await view.reply(clear.seq ?? -1, null);
    await until(async () => ((await view.page.locator('.st-row').count()) === 0 ? true : undefined), 'cleared');
    assert.equal(await view.page.locator('.st-count').textContent(), '0 stanzas');

    await view.notify('stanzas', { stanzas: stanzas(11, 2) });
    await view.page.locator('.st-row[data-seq="12"]').waitFor();
    assert.equal(await view.page.locator('.st-row').count(), 2);
  });

  it('shows the toolkit focus ring after keyboard focus only, not after a click', async () => {
    await openWith(stanzas(1, 3));
    const button = view.page.locator('.qb-button:has-text("Clear")');
    // The ring is drawn on the button's inner control, styled `.control:focus-visible` when FAST's
    // probe could insert its <style> under the CSP, `.control:focus` when the CSP blocked it.
    const ring = () =>
      view.page.evaluate<string>(
        `(() => { const control = [...document.querySelectorAll('.qb-button')].find((b) => b.textContent === 'Clear').shadowRoot.querySelector('.control');
          return getComputedStyle(control).outlineStyle; })()`,
      );
    await button.click();
    await view.waitForRequest('clear');
    assert.equal(await ring(), 'none', 'no ring after a mouse click');
    await view.page.keyboard.press('Tab');
    await view.page.keyboard.press('Shift+Tab');
    assert.equal(await ring(), 'solid', 'a ring after keyboard focus');
  });

  it('restores the follow setting after a reload', async () => {
    await openWith(stanzas(1, 5), { follow: false });
    assert.equal(await view.page.locator('.qb-checkbox:has-text("Follow tail")').getAttribute('aria-checked'), 'false');
  });
});
