// The conversation panel's message features in real chromium: edited, deleted and system rows,
// attachments and custom parameters, the per-message toolbar (mouse and keyboard) and the requests
// it posts, editing in the composer, and the advanced composer's options, problems and saved state.
import assert from 'node:assert/strict';
import { ALICE, BOB, DIALOG_ID, ME, dialog, message, snapshot } from './fixtures';
import { conversationSuite, INPUT, LIST } from './conversationPage';
import { until, type PostedMessage, type WebviewPage } from './harness';

const HOSTILE = '<img src=x onerror=alert(1)>';
const row = (id: string) => `.msg[data-id="${id}"]`;

describe('conversation webview: message features (chromium)', function () {
  const suite = conversationSuite();
  let view: WebviewPage;

  async function open(snap = snapshot(), state?: unknown): Promise<WebviewPage> {
    view = await suite.open(snap, state);
    return view;
  }

  const text = (selector: string) => view.page.locator(selector).textContent();
  const texts = (selector: string) => view.page.locator(selector).allTextContents();
  const waitText = (selector: string, want: string) =>
    until(async () => ((await view.page.locator(selector).first().textContent()) === want ? true : undefined), `${selector} to read "${want}"`);
  const gone = (selector: string) => until(async () => ((await view.page.locator(selector).count()) === 0 ? true : undefined), `${selector} to go`);
  /** The toolbar's buttons of a row by their accessible names (each shows only an icon). */
  const actionsOf = async (id: string) => {
    await view.page.locator(row(id)).hover();
    const buttons = view.page.locator(`${row(id)} .msg-action`);
    return Promise.all(Array.from({ length: await buttons.count() }, (_, i) => buttons.nth(i).getAttribute('aria-label')));
  };
  const click = async (id: string, action: string) => {
    await view.page.locator(row(id)).hover();
    await view.page.locator(`${row(id)} .msg-action[data-action="${action}"]`).click();
  };

  describe('rows', () => {
    it('marks edited messages, and follows edits live from the sender only', async () => {
      await open(
        snapshot({
          messages: [
            message(1, { sender_id: ALICE, message: 'as sent' }),
            message(2, { sender_id: ALICE, message: 'fixed typo', created_at: '2024-05-01T12:00:00Z', updated_at: '2024-05-01T12:05:00Z' }),
            message(3, { sender_id: BOB, message: 'bob says' }),
          ],
        }),
      );
      assert.equal(await view.page.locator(`${row('m000001')} .msg-edited`).count(), 0, 'unedited');
      assert.equal(await text(`${row('m000002')} .msg-edited`), 'edited', 'edited in the history: updated after it was created');

      await view.notify('edited', { messageId: 'm000001', userId: ALICE, text: 'corrected live' });
      await waitText(`${row('m000001')} .msg-body`, 'corrected live');
      assert.equal(await text(`${row('m000001')} .msg-edited`), 'edited');

      await view.notify('edited', { messageId: 'm000003', userId: ALICE, text: 'alice cannot correct bob' });
      await view.settle();
      assert.equal(await text(`${row('m000003')} .msg-body`), 'bob says', 'a correction from someone else is ignored');
      assert.equal(await view.page.locator(`${row('m000003')} .msg-edited`).count(), 0);
      await view.screenshot('conversation-edited.png');
    });

    it('turns a message deleted by someone else into a placeholder without actions', async () => {
      await open(snapshot({ messages: [message(1, { sender_id: ALICE, message: 'soon gone' }), message(2, { sender_id: BOB })] }));
      await view.notify('deleted', { messageIds: ['m000001', 'm999999'] });
      await waitText(`${row('m000001')} .msg-body`, 'Message deleted');
      assert.equal(await view.page.locator('.msg-deleted').count(), 1);
      assert.equal(await view.page.locator(`${row('m000001')} .msg-actions`).count(), 0, 'nothing to do with a deleted message');
      assert.equal(await text(`${row('m000001')} .msg-sender`), 'Alice');
      assert.equal(await view.page.locator('.msg').count(), 2, 'an unknown id changes nothing');
    });

    it('shows group events and system notifications as centred, muted rows', async () => {
      await open(
        snapshot({
          messages: [
            message(1, { sender_id: ALICE, message: 'Alice added Bob', notification_type: '2', occupants_ids_added: '1003' }),
            message(2, { sender_id: BOB, message: null, notification_type: '1' }),
            message(3, { sender_id: BOB, message: 'a plain message' }),
          ],
        }),
      );
      assert.deepEqual(await texts('.msg-event .msg-system-text'), ['Alice: Alice added Bob', 'Bob: group event 1']);
      assert.equal(await view.page.locator('.msg-system .msg-body').count(), 0, 'no chat bubble body');
      const look = await view.page.evaluate<{ align: string; colour: string; body: string }>(
        `(() => { const s = getComputedStyle(document.querySelector('.msg-event'));
          return { align: s.textAlign, colour: s.color, body: getComputedStyle(document.body).color }; })()`,
      );
      assert.equal(look.align, 'center');
      assert.notEqual(look.colour, look.body, 'muted: not the normal text colour');
      assert.deepEqual(await texts(`${row('m000001')} .qb-chip`), ['notification_type=2', 'occupants_ids_added=1003']);

      await view.notify('system', { notice: { id: 'sys1', senderId: ALICE, body: 'call me', dateSent: message(4).date_sent, params: { kind: 'call' } } });
      await view.page.locator('.msg-notice').waitFor();
      assert.equal(await text('.msg-notice .msg-system-text'), 'System notification from Alice: call me');
      assert.deepEqual(await texts('.msg-notice .qb-chip'), ['kind=call']);
      assert.deepEqual(await actionsOf('sys1'), ['Show stanza', 'Copy ID'], 'a notification was never stored: no JSON, edit or delete');
      await view.notify('system', { notice: { id: 'sys1', senderId: ALICE, body: 'call me', dateSent: message(4).date_sent, params: {} } });
      await view.settle();
      assert.equal(await view.page.locator('.msg-notice').count(), 1, 'once per id');
      await view.screenshot('conversation-system.png');
    });

    it('shows attachments and custom parameters compactly, expandable to full values', async () => {
      const long = 'x'.repeat(300);
      await open(
        snapshot({
          messages: [
            message(1, {
              sender_id: ALICE,
              message: 'files',
              attachments: [
                { type: 'image', id: '47863', name: 'cat.png' },
                { type: 'file', url: 'https://example.com/a.pdf' },
              ],
              priority: 'high',
              long,
              nested: { a: [1, 2] },
              save_to_history: '1',
            }),
          ],
        }),
      );
      assert.deepEqual(await texts(`${row('m000001')} .msg-attachments .qb-chip`), ['image 47863 "cat.png"', 'file https://example.com/a.pdf']);
      const summary = view.page.locator(`${row('m000001')} .msg-params-summary`);
      assert.deepEqual(await summary.locator('.qb-chip').allTextContents(), ['priority=high', `long=${long}`, 'nested={"a":[1,2]}'], 'protocol keys are not custom');
      assert.equal(await view.page.locator('.msg-params-list').count(), 0, 'collapsed: no list built');
      const collapsed = (await view.page.locator(row('m000001')).boundingBox())?.height ?? 0;

      await summary.click();
      await view.page.locator('.msg-params-list').waitFor();
      assert.deepEqual(await texts('.msg-params-list dt'), ['priority', 'long', 'nested']);
      assert.deepEqual(await texts('.msg-params-list dd'), ['high', long, '{"a":[1,2]}']);
      await view.settle();
      const expanded = (await view.page.locator(row('m000001')).boundingBox())?.height ?? 0;
      assert.ok(expanded > collapsed + 20, `the row grew to show the values (${collapsed} → ${expanded})`);
      await view.screenshot('conversation-params.png');
      await summary.click();
      await gone('.msg-params-list');
    });

    it('shows hostile text in every new rendering literally', async () => {
      await open(
        snapshot({
          names: { [ALICE]: HOSTILE },
          messages: [
            message(1, { sender_id: ALICE, message: 'x', attachments: [{ type: HOSTILE, id: HOSTILE, name: HOSTILE }], [HOSTILE]: HOSTILE }),
            message(2, { sender_id: ALICE, message: HOSTILE, notification_type: HOSTILE }),
            message(3, { sender_id: ALICE, message: 'to be edited' }),
          ],
        }),
      );
      await view.notify('edited', { messageId: 'm000003', userId: ALICE, text: HOSTILE });
      await view.notify('system', { notice: { id: 'sys', senderId: ALICE, body: HOSTILE, dateSent: message(4).date_sent, params: { k: HOSTILE } } });
      await view.page.locator('.msg-notice').waitFor();
      await view.page.locator(`${row('m000001')} .msg-params-summary`).click();
      await view.page.locator('.msg-params-list').waitFor();
      await view.page.waitForTimeout(200);
      assert.equal(await text(`${row('m000003')} .msg-body`), HOSTILE);
      assert.equal(await text(`${row('m000002')} .msg-system-text`), `${HOSTILE}: ${HOSTILE}`);
      assert.equal(await text('.msg-notice .msg-system-text'), `System notification from ${HOSTILE}: ${HOSTILE}`);
      assert.equal(await text('.msg-params-list dd'), HOSTILE);
      assert.ok((await text(`${row('m000001')} .msg-attachments`))?.includes(HOSTILE));
      assert.equal(await view.page.locator('img').count(), 0);
      assert.equal(await view.page.locator('[onerror]').count(), 0);
    });
  });

  describe('the message toolbar', () => {
    const history = () =>
      snapshot({
        messages: [message(1, { sender_id: ALICE, message: 'from alice' }), message(2, { sender_id: ME, message: 'mine', read_ids: [ME], delivered_ids: [ME] })],
      });

    it('offers what each message allows: edit and delete-for-all on ours, delete-for-all on any when we own the dialog', async () => {
      await open(snapshot({ dialog: dialog({ user_id: BOB }), messages: history().messages }));
      assert.equal(await view.page.locator(`${row('m000001')} .msg-actions`).isVisible(), false, 'hidden until hovered');
      assert.deepEqual(await actionsOf('m000001'), ['Inspect JSON', 'Show stanza', 'Copy ID', 'Delete for me']);
      assert.deepEqual(await actionsOf('m000002'), ['Inspect JSON', 'Show stanza', 'Copy ID', 'Edit', 'Delete for me', 'Delete for everyone']);
      await view.page.getByRole('button', { name: 'Delete for everyone' }).waitFor();
      await view.screenshot('conversation-toolbar.png');
      await view.close();

      await open(snapshot({ dialog: dialog({ user_id: ME }), messages: history().messages }));
      assert.deepEqual(await actionsOf('m000001'), ['Inspect JSON', 'Show stanza', 'Copy ID', 'Delete for me', 'Delete for everyone'], 'the owner deletes anyone\'s');
    });

    it('offers no JSON, edit or delete for a message that was never stored, and no edit without text', async () => {
      await open(
        snapshot({
          messages: [
            message(1, { sender_id: ME, message: 'not kept', save_to_history: 0 }),
            message(2, { sender_id: ME, message: null, attachments: [{ type: 'image', id: '47863' }] }),
          ],
        }),
      );
      assert.deepEqual(await actionsOf('m000001'), ['Show stanza', 'Copy ID'], 'the server has nothing to show, edit or delete');
      assert.deepEqual(await actionsOf('m000002'), ['Inspect JSON', 'Show stanza', 'Copy ID', 'Delete for me', 'Delete for everyone'], 'nothing to edit');
    });

    it('shows each action as a codicon from the icon font, its name as the tooltip', async () => {
      await open(history());
      await view.page.locator(row('m000002')).hover();
      const buttons = view.page.locator(`${row('m000002')} .msg-action`);
      const icons = await Promise.all(
        Array.from({ length: await buttons.count() }, async (_, i) => {
          const button = buttons.nth(i);
          const icon = (await button.locator('.codicon').getAttribute('class')) ?? '';
          return [/codicon-([\w-]+)/.exec(icon)?.[1], await button.getAttribute('title')];
        }),
      );
      assert.deepEqual(icons, [
        ['json', 'Inspect the message JSON'],
        ['code', 'Show the raw stanza'],
        ['copy', 'Copy the message id'],
        ['edit', 'Edit this message in the composer'],
        ['eye-closed', 'Delete for me: the others keep it'],
        ['trash', 'Delete for everyone'],
      ]);
      assert.ok((await view.loadedFonts()).includes('codicon'), 'the codicon font loaded under the page\'s CSP');
      const glyph = await buttons.first().locator('.codicon').boundingBox();
      assert.ok(glyph && glyph.width >= 12 && glyph.height >= 12, `the icon is drawn at icon size (${JSON.stringify(glyph)})`);
    });

    it('posts inspect, stanza and copy requests for the message, and shows a failure', async () => {
      await open(history());
      await click('m000001', 'inspectJson');
      await click('m000001', 'inspectStanza');
      await click('m000002', 'copyId');
      await view.waitForRequest('action', 3);
      assert.deepEqual(
        (await view.requests('action')).map((r) => r.params),
        [
          { action: 'inspectJson', messageId: 'm000001' },
          { action: 'inspectStanza', messageId: 'm000001' },
          { action: 'copyId', messageId: 'm000002' },
        ],
      );
      const failed = (await view.requests('action'))[0];
      await view.replyError(failed.seq ?? -1, 'the server has no message m000001');
      await waitText('.conv-action-error', 'Could not open the message JSON: the server has no message m000001');
    });

    it('is reachable from the keyboard: arrows move between messages, Tab reaches the actions', async () => {
      await open(history());
      await view.page.locator(LIST).focus();
      await view.page.keyboard.press('ArrowUp');
      const focusedId = () => view.page.evaluate<string | undefined>("document.activeElement.closest('.msg')?.dataset.id");
      assert.equal(await focusedId(), 'm000002', 'the newest message in view');
      assert.equal(await view.page.locator(`${row('m000002')} .msg-actions`).isVisible(), true, 'its toolbar shows');
      await view.page.keyboard.press('ArrowUp');
      assert.equal(await focusedId(), 'm000001');
      await view.page.keyboard.press('ArrowDown');
      assert.equal(await focusedId(), 'm000002');
      await view.page.keyboard.press('Tab');
      assert.equal(await view.page.evaluate<string>('document.activeElement.dataset.action'), 'inspectJson');
      await view.page.keyboard.press('Tab');
      await view.page.keyboard.press('Enter');
      const request = await view.waitForRequest('action');
      assert.deepEqual(request.params, { action: 'inspectStanza', messageId: 'm000002' });
      await view.page.keyboard.press('Escape');
      assert.equal(await view.page.evaluate<boolean>("document.activeElement.matches('.msg')"), true, 'Escape goes back to the message');
      // Only the focused message's actions are Tab stops: the rest of the list is one stop.
      assert.equal(await view.page.locator('.msg-action[tabindex="0"]').count(), 6);
      await view.page.locator(INPUT).focus();
      assert.equal(await view.page.locator('.msg-action[tabindex="0"]').count(), 0);
    });

    it('deletes for me or for everyone: the request names the choice, and the row goes once deleted', async () => {
      await open(history());
      await click('m000002', 'deleteForEveryone');
      const forAll = await view.waitForRequest('delete');
      assert.deepEqual(forAll.params, { messageId: 'm000002', forEveryone: true });
      // The host's own deleted notification arrives before its reply: the row goes, no placeholder.
      await view.notify('deleted', { messageIds: ['m000002'] });
      await gone(row('m000002'));
      await view.reply(forAll.seq ?? -1, { deleted: true });

      await click('m000001', 'deleteForMe');
      const forMe = await view.waitForRequest('delete', 2);
      assert.deepEqual(forMe.params, { messageId: 'm000001', forEveryone: false });
      await view.reply(forMe.seq ?? -1, { deleted: false });
      await view.settle();
      assert.equal(await view.page.locator(row('m000001')).count(), 1, 'not confirmed: the message stays');

      await click('m000001', 'deleteForMe');
      const again = await view.waitForRequest('delete', 3);
      await view.reply(again.seq ?? -1, { deleted: true });
      await gone(row('m000001'));
      assert.equal(await view.page.locator('.msg-deleted').count(), 0, 'our own deletions leave no placeholder');
    });

    it('edits one of our messages in the composer, keeping the draft aside', async () => {
      await open(history());
      const input = view.page.locator(INPUT);
      await input.fill('my unsent draft');
      await click('m000002', 'edit');
      await until(async () => ((await input.inputValue()) === 'mine' ? true : undefined), 'the message text in the composer');
      assert.equal(await view.page.locator('.conv-editing').isVisible(), true, 'says it is editing');
      await view.screenshot('conversation-editing.png');

      await input.press('Escape');
      await until(async () => ((await input.inputValue()) === 'my unsent draft' ? true : undefined), 'the draft back');
      assert.equal(await view.page.locator('.conv-editing').isVisible(), false);

      await click('m000002', 'edit');
      await until(async () => ((await input.inputValue()) === 'mine' ? true : undefined), 'editing again');
      await input.fill('mine, edited');
      await input.press('Enter');
      const edit = await view.waitForRequest('edit');
      assert.deepEqual(edit.params, { messageId: 'm000002', text: 'mine, edited' });
      assert.deepEqual(await view.requests('send'), [], 'an edit is not a new message');
      await view.replyError(edit.seq ?? -1, 'not allowed');
      await waitText('.conv-error', 'Not saved: not allowed');
      assert.equal(await input.inputValue(), 'mine, edited', 'the edit is kept');

      await input.press('Enter');
      const retry = await view.waitForRequest('edit', 2);
      await view.notify('edited', { messageId: 'm000002', userId: ME, text: 'mine, edited' });
      await view.reply(retry.seq ?? -1, null);
      await until(async () => ((await input.inputValue()) === 'my unsent draft' ? true : undefined), 'the draft back after saving');
      await waitText(`${row('m000002')} .msg-body`, 'mine, edited');
      assert.equal(await text(`${row('m000002')} .msg-edited`), 'edited');
    });
  });

  describe('the advanced composer', () => {
    const privateChat = () => snapshot({ dialog: dialog({ type: 3, name: '', occupants_ids: [ME, ALICE] }), messages: [message(1, { sender_id: ALICE })] });
    const field = (label: string) => view.page.getByLabel(label, { exact: true });
    const checkbox = (label: string) => view.page.locator('.qb-checkbox', { hasText: label });

    async function openAdvanced(): Promise<void> {
      const toggle = view.page.locator('.conv-advanced-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await view.page.locator('.conv-advanced').isVisible(), false);
      await toggle.click();
      await view.page.locator('.conv-advanced').waitFor();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    }

    async function sendText(value: string): Promise<PostedMessage> {
      const before = (await view.requests('send')).length;
      await view.page.locator(INPUT).fill(value);
      await view.page.locator(INPUT).press('Enter');
      return view.waitForRequest('send', before + 1);
    }

    it('sends custom parameters, attachments, markable, save_to_history and REST as options', async () => {
      await open(privateChat());
      await openAdvanced();
      await view.page.getByRole('button', { name: 'Add parameter' }).click();
      await field('Parameter 1 name').fill('priority');
      await field('Parameter 1 value').fill('high');
      await view.page.getByRole('button', { name: 'Add parameter' }).click();
      await field('Parameter 2 name').fill('ticket');
      await field('Parameter 2 value').fill('QB-42');
      await view.page.getByRole('button', { name: 'Add attachment' }).click();
      await field('Attachment 1 id or URL').fill('47863');
      await field('Attachment 1 name').fill('cat.png');
      await view.page.getByRole('button', { name: 'Add attachment' }).click();
      await field('Attachment 2 type').fill('file');
      await field('Attachment 2 id or URL').fill('https://example.com/a.pdf');
      await checkbox('markable').click();
      await checkbox('save_to_history').click();
      await view.screenshot('conversation-advanced.png');

      const first = await sendText('with options');
      assert.deepEqual(first.params, {
        text: 'with options',
        options: {
          customParams: { priority: 'high', ticket: 'QB-42' },
          attachments: [
            { type: 'image', id: '47863', name: 'cat.png' },
            { type: 'file', url: 'https://example.com/a.pdf' },
          ],
          markable: false,
          saveToHistory: false,
          viaRest: false,
        },
      });
      await view.reply(first.seq ?? -1, { id: 'x1' });
      await until(async () => ((await view.page.locator(INPUT).inputValue()) === '' ? true : undefined), 'the text cleared');
      assert.equal(await field('Parameter 1 name').inputValue(), 'priority', 'the options stay for the next send');

      await checkbox('save_to_history').click();
      await checkbox('Send over REST').click();
      await view.page.getByRole('button', { name: 'Remove attachment 1' }).click();
      await view.page.getByRole('button', { name: 'Remove parameter 2' }).click();
      const second = await sendText('over rest');
      assert.deepEqual(second.params, {
        text: 'over rest',
        options: {
          customParams: { priority: 'high' },
          attachments: [{ type: 'file', url: 'https://example.com/a.pdf' }],
          markable: false,
          saveToHistory: true,
          viaRest: true,
        },
      });
      await view.reply(second.seq ?? -1, { id: 'x2' });

      // An attachment is a message on its own: no text needed.
      await view.page.locator(INPUT).fill('');
      await view.page.locator(INPUT).press('Enter');
      const bare = await view.waitForRequest('send', 3);
      assert.equal((bare.params as { text: string }).text, '');

      // Closed, it applies nothing (and keeps what it holds).
      await view.reply(bare.seq ?? -1, { id: 'x3' });
      await view.page.locator('.conv-advanced-toggle').click();
      const plain = await sendText('plain again');
      assert.deepEqual(plain.params, { text: 'plain again' });
    });

    it('shows problems beside their fields, sends nothing, and loses no input', async () => {
      await open(snapshot({ messages: [message(1)] }));
      await openAdvanced();
      await view.page.getByRole('button', { name: 'Add parameter' }).click();
      await field('Parameter 1 name').fill('bad key');
      await field('Parameter 1 value').fill('v');
      await view.page.getByRole('button', { name: 'Add parameter' }).click();
      await field('Parameter 2 name').fill('dialog_id');
      await field('Parameter 2 value').fill('v');
      await view.page.getByRole('button', { name: 'Add attachment' }).click();
      await field('Attachment 1 id or URL').fill('');
      await field('Attachment 1 name').fill('orphan.png');
      await checkbox('save_to_history').click();
      await checkbox('Send over REST').click();
      await view.page.locator(INPUT).fill('keep me');
      await view.page.locator(INPUT).press('Enter');

      await waitText('.conv-error', 'Not sent: fix the 4 problems shown in the advanced options');
      assert.deepEqual(await texts('.conv-adv-problem:not(:empty)'), [
        '"bad key" cannot be a parameter name: use letters, digits, _ . - and start with a letter or _',
        '"dialog_id" is a QuickBlox protocol field; choose another name',
        'an attachment needs an id (a content id) or a url',
        'save_to_history=0 needs XMPP: a message sent over REST is always stored',
      ]);
      assert.deepEqual(await view.requests('send'), [], 'nothing left the page');
      assert.equal(await view.page.locator(INPUT).inputValue(), 'keep me');
      assert.equal(await field('Parameter 1 name').inputValue(), 'bad key');
      await view.screenshot('conversation-advanced-problems.png');

      // Fixing a field clears its problem; the host's own refusal is shown too, and nothing is lost.
      await field('Parameter 1 name').fill('good_key');
      assert.equal(await view.page.locator('.conv-adv-problem:not(:empty)').count(), 3);
      await view.page.getByRole('button', { name: 'Remove parameter 2' }).click();
      await view.page.getByRole('button', { name: 'Remove attachment 1' }).click();
      await checkbox('save_to_history').click();
      await view.page.locator(INPUT).press('Enter');
      const send = await view.waitForRequest('send');
      await view.replyError(send.seq ?? -1, 'the server rejected the parameters');
      await waitText('.conv-error', 'Not sent: the server rejected the parameters');
      assert.equal(await view.page.locator(INPUT).inputValue(), 'keep me');
      assert.equal(await field('Parameter 1 name').inputValue(), 'good_key');
    });

    it('keeps its options, the edit in progress and the user across a reload', async () => {
      const snap = { ...privateChat(), userId: BOB, myUserId: BOB, messages: [message(1, { sender_id: BOB, message: 'bob wrote' })] };
      await open(snap);
      await openAdvanced();
      await view.page.getByRole('button', { name: 'Add parameter' }).click();
      await field('Parameter 1 name').fill('trace');
      await field('Parameter 1 value').fill('on');
      await checkbox('Send over REST').click();
      await view.page.locator(INPUT).fill('draft');
      await click('m000001', 'edit');
      await until(async () => ((await view.page.locator(INPUT).inputValue()) === 'bob wrote' ? true : undefined), 'editing');
      await view.page.locator(INPUT).fill('bob rewrote');
      await view.settle();
      const states = (await view.host()).states;
      const saved = states[states.length - 1] as Record<string, unknown>;
      assert.equal(saved.dialogId, DIALOG_ID);
      assert.equal(saved.userId, BOB, 'the host restores the panel as the same user');
      assert.deepEqual(saved.editing, { messageId: 'm000001', stash: 'draft' });
      await view.close();

      await open(snap, saved);
      assert.equal(await view.page.locator('.conv-advanced').isVisible(), true, 'still open');
      assert.equal(await field('Parameter 1 name').inputValue(), 'trace');
      assert.equal(await field('Parameter 1 value').inputValue(), 'on');
      assert.equal(await view.page.locator(INPUT).inputValue(), 'bob rewrote');
      assert.equal(await view.page.locator('.conv-editing').isVisible(), true, 'still editing');
      await view.page.locator(INPUT).press('Enter');
      const edit = await view.waitForRequest('edit');
      assert.deepEqual(edit.params, { messageId: 'm000001', text: 'bob rewrote' });
      await view.reply(edit.seq ?? -1, null);
      await until(async () => ((await view.page.locator(INPUT).inputValue()) === 'draft' ? true : undefined), 'the draft from before the reload');
      const sent = await sendText('after');
      assert.deepEqual(sent.params, { text: 'after', options: { customParams: { trace: 'on' }, markable: true, saveToHistory: true, viaRest: true } });
    });
  });
});
