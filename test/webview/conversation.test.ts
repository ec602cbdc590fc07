import assert from 'node:assert/strict';
import { ALICE, BOB, DIALOG_ID, ME, dialog, message, messages, snapshot } from './fixtures';
import { conversationSuite, INPUT, LIST } from './conversationPage';
import { until, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('conversation webview (chromium)', function () {
  const suite = conversationSuite();
  let view: WebviewPage;

  async function openWith(snap = snapshot(), state?: unknown): Promise<WebviewPage> {
    view = await suite.open(snap, state);
    return view;
  }

  it('says ready first and renders the history with sender names, bodies and chips', async () => {
    const history = [
      message(1, { sender_id: ALICE, message: 'Hi there' }),
      message(2, { sender_id: ME, message: 'Hello Alice\nsecond line' }),
      message(3, {
        sender_id: BOB,
        message: 'see attached',
        attachments: [
          { type: 'image', id: '4f1c2a' },
          { type: 'file', url: 'https://example.com/report.pdf' },
        ],
        priority: 'high',
        meta: { n: 1 },
      }),
      message(4, { sender_id: 4242, message: 'who am I?' }),
    ];
    await openWith(snapshot({ messages: history }));

    assert.deepEqual((await view.host()).posted[0], { kind: 'ready' });
    assert.equal(await view.page.locator('#app > .conv-header').count(), 1, 'mounted in the shell\'s #app');
    assert.equal(await view.strayBodyChildren(), 0);
    assert.equal(await view.page.locator('.conv-title').textContent(), 'Team chat');
    assert.equal(await view.page.locator('.conv-type').textContent(), 'Group');
    assert.equal(await view.page.locator('.qb-badge').textContent(), 'online');
    assert.deepEqual(await view.page.locator('.msg-sender').allTextContents(), ['Alice', 'You', 'Bob', 'User 4242']);
    assert.deepEqual(await view.page.locator('.msg-body').allTextContents(), [
      'Hi there',
      'Hello Alice\nsecond line',
      'see attached',
      'who am I?',
    ]);
    assert.deepEqual(await view.page.locator('.msg[data-id="m000003"] .qb-chip').allTextContents(), [
      'image 4f1c2a',
      'file https://example.com/report.pdf',
      'priority=high',
      'meta={"n":1}',
    ]);
    assert.equal(await view.page.locator('.msg-time').first().textContent(), '2024-05-01 12:00');
    await view.screenshot('conversation.png');
  });

  it('Enter sends the text, Shift+Enter adds a newline, and a successful send clears the box', async () => {
    await openWith(snapshot({ messages: [message(1)] }));
    const input = view.page.locator(INPUT);
    await input.click();
    await input.pressSequentially('hello');
    await input.press('Shift+Enter');
    await input.pressSequentially('world');
    await view.settle();
    assert.deepEqual(await view.requests('send'), [], 'Shift+Enter did not send');
    assert.equal(await input.inputValue(), 'hello\nworld');

    await input.press('Enter');
    const send = await view.waitForRequest('send');
    assert.deepEqual(send.params, { text: 'hello\nworld' });
    assert.equal(await input.inputValue(), 'hello\nworld', 'kept until the host accepts it');
    await view.reply(send.seq ?? -1, { id: 'm999' });
    await until(async () => ((await input.inputValue()) === '' ? true : undefined), 'composer cleared');
  });

  it('shows a failed send inline and keeps the text', async () => {
    await openWith(snapshot({ messages: [message(1)] }));
    const input = view.page.locator(INPUT);
    await input.fill('will fail');
    await input.press('Enter');
    const send = await view.waitForRequest('send');
    await view.replyError(send.seq ?? -1, 'not connected to chat');
    await view.page.locator('.conv-error:has-text("not connected")').waitFor();
    assert.equal(await view.page.locator('.conv-error').textContent(), 'Not sent: not connected to chat');
    assert.equal(await input.inputValue(), 'will fail');
  });

  it('disables the composer while offline and follows connection notifications', async () => {
    await openWith(snapshot({ messages: [message(1)], connection: 'offline' }));
    assert.equal(await view.page.locator(INPUT).isDisabled(), true);
    await view.notify('connection', { state: 'online' });
    await until(async () => ((await view.page.locator(INPUT).isDisabled()) ? undefined : true), 'enabled');
    assert.equal(await view.page.locator('.qb-badge').textContent(), 'online');
    await view.notify('connection', { state: 'reconnecting', detail: 'socket closed' });
    await until(async () => ((await view.page.locator(INPUT).isDisabled()) ? true : undefined), 'disabled');
    assert.equal(await view.page.locator('.qb-badge').getAttribute('title'), 'socket closed');
  });

  it('before its first snapshot says why it is empty, and sends nothing', async () => {
    view = suite.track(await suite.harness.open('conversation'));
    await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
    const notice = view.page.locator('.conv-notice');
    await view.notify('connection', { state: 'connecting' });
    await until(async () => ((await notice.textContent()) === 'Connecting to QuickBlox…' ? true : undefined), 'the connecting notice');
    // Online, but the host could not load this dialog (e.g. restored after switching users).
    const problem = 'Could not load this conversation: bob is not an occupant of dialog 6650a0000000000000000001.';
    await view.notify('connection', { state: 'online', detail: problem });
    await until(async () => ((await notice.textContent()) === problem ? true : undefined), 'the load failure, readable');
    assert.equal(await notice.isVisible(), true);
    await view.settle();
    assert.equal(await view.page.locator(INPUT).isDisabled(), true, 'no composer for a conversation that did not load');

    await view.notify('snapshot', snapshot({ messages: [message(1)] }));
    await view.page.locator('.msg').first().waitFor();
    await until(async () => ((await view.page.locator(INPUT).isDisabled()) ? undefined : true), 'composer enabled');
    assert.equal(await notice.textContent(), '', 'the notice goes with the first snapshot');
  });

  it('a new snapshot while older messages load drops the "Loading older" notice with the request', async () => {
    await openWith(snapshot({ messages: messages(1000, 300), hasMore: true }));
    await view.scrollTo(LIST, 0);
    const request = await view.waitForRequest('loadOlder');
    const notice = view.page.locator('.conv-notice');
    assert.equal(await notice.textContent(), 'Loading older messages…');
    // A reconnect resyncs the page; the reply to the old request, when it comes, is discarded.
    await view.notify('snapshot', snapshot({ messages: messages(1000, 300), hasMore: false }));
    await until(async () => ((await notice.textContent()) === '' ? true : undefined), 'the notice cleared');
    await view.reply(request.seq ?? -1, { messages: messages(900, 100), hasMore: false });
    await view.settle();
    await view.scrollTo(LIST, 0);
    await view.settle();
    assert.equal(await view.page.locator('.msg').first().getAttribute('data-id'), 'm001000', 'the stale page is dropped');
  });

  it('shows hostile text literally: no <img>, no dialog', async () => {
    await openWith(
      snapshot({
        dialog: { ...snapshot().dialog, name: HOSTILE },
        names: { [ALICE]: HOSTILE },
        messages: [
          message(1, { sender_id: ALICE, message: HOSTILE, attachments: [{ type: HOSTILE, url: 'javascript:alert(2)' }] }),
          message(2, { [HOSTILE]: HOSTILE }),
        ],
      }),
    );
    await view.page.waitForTimeout(300);
    assert.equal(await view.page.locator('.msg-body').first().textContent(), HOSTILE);
    assert.equal(await view.page.locator('.msg-sender').first().textContent(), HOSTILE);
    assert.equal(await view.page.locator('.conv-title').textContent(), HOSTILE);
    assert.equal(await view.page.locator('img').count(), 0);
    assert.equal(await view.page.locator('[onerror]').count(), 0);
  });

  it('keeps the DOM small with 10,000 messages and starts at the newest', async () => {
    await openWith(snapshot({ messages: messages(0, 10_000) }));
    const nodes = await view.nodeCount();
    const rows = await view.page.locator('.msg').count();
    assert.ok(nodes < 1500, `DOM has ${nodes} nodes`);
    assert.ok(rows < 100, `${rows} rows rendered`);
    assert.equal(await view.page.locator('.msg[data-id="m009999"]').isVisible(), true, 'newest visible');
    const m = await view.scrollMetrics(LIST);
    assert.ok(m.height - m.top - m.client < 2, 'scrolled to the bottom');

    // Scrolling through the middle keeps it small too.
    await view.scrollTo(LIST, Math.floor(m.height / 2));
    await view.settle();
    assert.ok((await view.nodeCount()) < 1500);
    await view.screenshot('conversation-10k-middle.png');
  });

  it('appends live messages once, following the bottom only when already there', async () => {
    await openWith(snapshot({ messages: messages(0, 200) }));
    await view.notify('messages', { messages: [message(200), message(199)] });
    await view.page.locator('.msg[data-id="m000200"]').waitFor();
    await view.settle();
    assert.equal(await view.page.locator('.msg[data-id="m000199"]').count(), 1, 'deduplicated by _id');
    let m = await view.scrollMetrics(LIST);
    assert.ok(m.height - m.top - m.client < 2, 'followed to the bottom');

    await view.scrollTo(LIST, 1000);
    await view.settle();
    const before = await view.scrollMetrics(LIST);
    await view.notify('messages', { messages: [message(201)] });
    await view.settle();
    m = await view.scrollMetrics(LIST);
    assert.equal(Math.round(m.top), Math.round(before.top), 'stayed in place while reading history');
    assert.ok(m.height > before.height);
  });

  it('scrolling to the top asks for older messages and prepends them without moving the view', async () => {
    await openWith(snapshot({ messages: messages(1000, 300), hasMore: true }));
    assert.deepEqual(await view.requests('loadOlder'), [], 'not at the top yet');
    await view.scrollTo(LIST, 0);
    const request = await view.waitForRequest('loadOlder');
    assert.deepEqual(request.params, { beforeDateSent: message(1000).date_sent, beforeId: 'm001000' });
    await view.settle();
    const anchor = view.page.locator('.msg[data-id="m001000"]');
    const y0 = (await anchor.boundingBox())?.y;
    assert.equal(await view.page.locator('.conv-notice').textContent(), 'Loading older messages…');
    await view.screenshot('conversation-loading-older.png');

    await view.reply(request.seq ?? -1, { messages: messages(900, 100), hasMore: false });
    await view.settle();
    await view.settle();
    const y1 = (await anchor.boundingBox())?.y;
    assert.ok(y0 !== undefined && y1 !== undefined && Math.abs(y1 - y0) < 2, `anchor row moved ${y0} → ${y1}`);
    await view.scrollTo(LIST, 0);
    await view.page.locator('.msg[data-id="m000900"]').waitFor();
    await view.settle();
    assert.equal((await view.requests('loadOlder')).length, 1, 'hasMore=false stops paging');
  });

  it('restores dialog, draft and scroll position after a reload', async () => {
    const snap = snapshot({ messages: messages(0, 500) });
    await openWith(snap);
    await view.scrollTo(LIST, 4321);
    await view.settle();
    await view.page.locator(INPUT).fill('half-written reply');
    await view.settle();
    const firstVisible = await view.page.evaluate<string>(
      `(() => { const list = document.querySelector('.conv-list').getBoundingClientRect();
        return [...document.querySelectorAll('.msg')].find((r) => r.getBoundingClientRect().bottom > list.top).dataset.id; })()`,
    );
    const states = (await view.host()).states;
    const saved = states[states.length - 1];
    assert.ok(saved && typeof saved === 'object');
    assert.equal((saved as { dialogId: string }).dialogId, DIALOG_ID);
    assert.equal((saved as { draft: string }).draft, 'half-written reply');
    await view.close();

    await openWith(snap, saved);
    assert.equal(await view.page.locator(INPUT).inputValue(), 'half-written reply');
    const reloadedFirst = await view.page.evaluate<string>(
      `(() => { const list = document.querySelector('.conv-list').getBoundingClientRect();
        return [...document.querySelectorAll('.msg')].find((r) => r.getBoundingClientRect().bottom > list.top).dataset.id; })()`,
    );
    assert.equal(reloadedFirst, firstVisible);
    const after = (await view.host()).states;
    assert.deepEqual(after[after.length - 1], saved, 'the restored position is what gets saved again');
  });

  it('is keyboard reachable: the list and the composer take focus', async () => {
    await openWith(snapshot({ messages: messages(0, 50) }));
    assert.equal(
      await view.page.evaluate<boolean>("document.activeElement === document.querySelector('.qb-textarea')"),
      true,
      'composer focused on open',
    );
    await view.page.keyboard.press('Shift+Tab');
    assert.equal(await view.page.evaluate<string>('document.activeElement.className'), 'conv-list');
    const before = await view.scrollMetrics(LIST);
    await view.page.keyboard.press('PageUp');
    await until(async () => ((await view.scrollMetrics(LIST)).top < before.top ? true : undefined), 'PageUp scrolls');
  });

  it('runs the toolkit under the host CSP with adopted stylesheets', async () => {
    await openWith(snapshot({ messages: [message(1)] }));
    const probe = await view.page.evaluate<{ sheets: number; background: string; hasShadow: boolean }>(
      `(() => { const button = document.querySelector('.conv-composer-row .qb-button');
        return { hasShadow: !!button.shadowRoot, sheets: button.shadowRoot.adoptedStyleSheets.length,
                 background: getComputedStyle(button).backgroundColor }; })()`,
    );
    assert.equal(probe.hasShadow, true);
    assert.ok(probe.sheets > 0, 'component styles arrive as adopted stylesheets');
    assert.equal(probe.background, 'rgb(0, 120, 212)', 'button takes --vscode-button-background');

    // Control: the CSP is live, so an inline <style> of ours would have been reported.
    const before = (await view.host()).violations.length;
    await view.page.evaluate("document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' }))");
    await until(async () => ((await view.host()).violations.length > before ? true : undefined), 'a violation');
    await until(async () => (view.errors.length > 0 ? true : undefined), 'the console report');
    await view.page.evaluate('window.__host.violations.length = 0');
    view.errors.length = 0;
  });

  describe('markers and chat states', () => {
    const TYPING = '.conv-typing';
    const privateSnapshot = (history = [message(1, { sender_id: ALICE })]) =>
      snapshot({ dialog: dialog({ type: 3, name: '', occupants_ids: [ME, ALICE] }), messages: history });

    /** The tick's codicon (one check or two), its state and what it says to a screen reader. */
    async function statusOf(id: string): Promise<{ icon: string | undefined; status: string | null; label: string | null }> {
      const tick = view.page.locator(`.msg[data-id="${id}"] .msg-status`);
      const icon = /codicon-([\w-]+)/.exec((await tick.locator('.codicon').getAttribute('class')) ?? '')?.[1];
      return { icon, status: await tick.getAttribute('data-status'), label: await tick.getAttribute('aria-label') };
    }

    it('shows one check sent, two delivered and two read on our own messages only, and follows status notifications', async () => {
      await openWith(
        snapshot({
          messages: [
            message(1, { sender_id: ME, read_ids: [ME], delivered_ids: [ME] }),
            message(2, { sender_id: ME, read_ids: [ME], delivered_ids: [ME, ALICE] }),
            message(3, { sender_id: ME, read_ids: [ME, ALICE, BOB], delivered_ids: [ME, ALICE, BOB] }),
            message(4, { sender_id: ALICE, read_ids: [ALICE], delivered_ids: [ALICE] }),
          ],
        }),
      );
      assert.deepEqual(await statusOf('m000001'), { icon: 'check', status: 'sent', label: 'Sent' });
      assert.deepEqual(await statusOf('m000002'), { icon: 'check-all', status: 'delivered', label: 'Delivered by Alice' });
      assert.deepEqual(await statusOf('m000003'), { icon: 'check-all', status: 'read', label: 'Read by Alice, Bob' });
      assert.equal(await view.page.locator('.msg[data-id="m000004"] .msg-status').count(), 0, 'no ticks on others\' messages');
      const colour = (id: string) =>
        view.page.evaluate<string>(`getComputedStyle(document.querySelector('.msg[data-id="${id}"] .msg-status')).color`);
      assert.equal(await colour('m000003'), 'rgb(77, 170, 252)', 'read takes the accent colour');
      assert.notEqual(await colour('m000002'), await colour('m000003'));

      await view.notify('status', { messageId: 'm000001', userId: ALICE, status: 'delivered' });
      await until(async () => ((await statusOf('m000001')).status === 'delivered' ? true : undefined), 'delivered');
      assert.deepEqual(await statusOf('m000001'), { icon: 'check-all', status: 'delivered', label: 'Delivered by Alice' });
      await view.notify('status', { messageId: 'm000001', userId: ALICE, status: 'read' });
      await until(async () => ((await statusOf('m000001')).status === 'read' ? true : undefined), 'read');
      assert.equal((await statusOf('m000001')).label, 'Read by Alice');

      // A marker may overtake its live message: it is applied when the message arrives.
      await view.notify('status', { messageId: 'm000005', userId: BOB, status: 'read' });
      await view.notify('messages', { messages: [message(5, { sender_id: ME, read_ids: [ME], delivered_ids: [ME] })] });
      await view.page.locator('.msg[data-id="m000005"]').waitFor();
      assert.deepEqual(await statusOf('m000005'), { icon: 'check-all', status: 'read', label: 'Read by Bob' });
      await view.screenshot('conversation-ticks.png');
    });

    it('shows who is typing, and clears it on paused, on their message and after 30 s', async () => {
      await openWith(privateSnapshot());
      const indicator = view.page.locator(TYPING);
      const text = async (want: string) => until(async () => ((await indicator.textContent()) === want ? true : undefined), `"${want}"`);
      assert.equal(await indicator.textContent(), '');
      assert.equal(await indicator.getAttribute('role'), 'status');

      await view.notify('typing', { userId: ALICE, state: 'composing' });
      await text('Alice is typing…');
      assert.equal(await indicator.isVisible(), true);
      await view.screenshot('conversation-typing.png');
      await view.notify('typing', { userId: ALICE, state: 'paused' });
      await text('');
      assert.equal(await indicator.isVisible(), false, 'takes no room');

      await view.notify('typing', { userId: ALICE, state: 'composing' });
      await text('Alice is typing…');
      await view.notify('messages', { messages: [message(2, { sender_id: ALICE })] });
      await text('');

      await view.notify('typing', { userId: ME, state: 'composing' });
      await view.notify('typing', { userId: ALICE, state: 'gone' });
      await view.settle();
      assert.equal(await indicator.textContent(), '', 'never for ourselves');

      await view.page.clock.install();
      await view.notify('typing', { userId: ALICE, state: 'composing' });
      await text('Alice is typing…');
      await view.page.clock.fastForward(29_000);
      assert.equal(await indicator.textContent(), 'Alice is typing…');
      await view.page.clock.fastForward(1_500);
      await text('');
    });

    it('the composer posts composing, paused after 3 s idle or on send, in group dialogs too', async () => {
      await openWith(privateSnapshot());
      await view.page.clock.install();
      const input = view.page.locator(INPUT);
      const states = async () => (await view.requests('typing')).map((r) => (r.params as { state: string }).state);
      await input.pressSequentially('hel');
      await view.waitForRequest('typing');
      assert.deepEqual(await states(), ['composing'], 'once, not per keystroke');
      await view.page.clock.fastForward(3_100);
      await view.waitForRequest('typing', 2);
      assert.deepEqual(await states(), ['composing', 'paused']);

      await input.pressSequentially('lo');
      await view.waitForRequest('typing', 3);
      await input.press('Enter');
      await view.waitForRequest('send');
      assert.deepEqual(await states(), ['composing', 'paused', 'composing', 'paused'], 'paused on send');
      await view.page.clock.fastForward(5_000);
      assert.equal((await view.requests('typing')).length, 4, 'no second paused');
      await view.close();

      // A group dialog's chat states go to its room: the page asks the same way.
      await openWith(snapshot({ messages: [message(1)] }));
      await view.page.locator(INPUT).pressSequentially('hi group');
      const group = await view.waitForRequest('typing');
      assert.deepEqual(group.params, { state: 'composing' }, 'a group dialog gets chat states too');
    });
  });
});
