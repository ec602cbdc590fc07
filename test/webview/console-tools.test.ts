// The stanza console's tools in real chromium, host stubbed at the protocol: filters, search,
// pause, folding, server decisions, and the raw-XML editor (templates, host validation, recall).
import assert from 'node:assert/strict';
import type { ServerDecision } from '../../src/shared/protocol';
import { consoleContext, consoleSnapshot, stanza, stanzas, STANZA_T0 } from './fixtures';
import { Harness, until, type WebviewPage } from './harness';

const EDITOR = '.st-send .qb-textarea textarea';
const DIALOG_SELECT = 'select[aria-label="Dialog the template addresses"]';

function decision(seq: number, overrides: Partial<ServerDecision> = {}): ServerDecision {
  return {
    seq,
    time: STANZA_T0 + seq,
    direction: 'in',
    session: '1001-1@localhost/workbench',
    stanza: `<message to="1002-1@localhost" id="s${seq}" type="chat" from="1001-1@localhost/workbench"><body>hello</body></message>`,
    decision: 'stored',
    ...overrides,
  };
}

describe('stanza console tools (chromium)', function () {
  const harness = new Harness();
  let view: WebviewPage;

  before(async () => harness.start());
  after(async () => harness.stop());
  afterEach(async function () {
    assert.deepEqual(view.errors, [], 'no page errors');
    assert.deepEqual(await view.violations(), [], 'no CSP violations');
    await view.close();
  });

  async function open(snapshot = consoleSnapshot(stanzas(1, 6)), state?: unknown): Promise<void> {
    view = await harness.open('console', state);
    await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
    await view.notify('snapshot', snapshot);
    await view.page.locator('.st-count').filter({ hasText: 'stanza' }).waitFor();
    await view.settle();
  }

  /** The toolkit applies a new value to its inner textarea asynchronously. */
  const valueIs = (expected: string) =>
    until(async () => ((await view.page.locator(EDITOR).inputValue()) === expected ? true : undefined), `editor shows ${expected}`);
  const count = () => view.page.locator('.st-count').textContent();
  const seqs = () => view.page.evaluate<string[]>("[...document.querySelectorAll('.st-row')].map((r) => r.dataset.key)");

  it('filters by direction, kind, connection and JID, and saves the filter', async () => {
    await open(
      consoleSnapshot([
        stanza(1, { direction: 'in', kind: 'presence', xml: '<presence from="1002-1@localhost/a"/>' }),
        stanza(2, { direction: 'out', kind: 'iq', xml: '<iq type="get" id="p1" to="localhost"><ping xmlns="urn:xmpp:ping"/></iq>' }),
        stanza(3, { direction: 'in', kind: 'message', connection: '1003-1@localhost', xml: '<message from="1004-1@localhost/x" to="1003-1@localhost"/>' }),
        stanza(4, { direction: 'out', kind: 'sm', xml: '<r xmlns="urn:xmpp:sm:3"/>' }),
      ]),
    );
    assert.equal(await count(), '4 stanzas');
    await view.page.locator('.qb-checkbox:has-text("Out")').click();
    await until(async () => ((await count()) === '2 of 4 stanzas' ? true : undefined), 'outgoing hidden');
    assert.deepEqual(await seqs(), ['s1', 's3']);
    await view.page.locator('.qb-checkbox:has-text("Presence")').click();
    await until(async () => ((await count()) === '1 of 4 stanzas' ? true : undefined), 'presence hidden');
    await view.page.locator('.qb-checkbox:has-text("Out")').click();
    await view.page.locator('.qb-checkbox:has-text("Presence")').click();
    await until(async () => ((await count()) === '4 stanzas' ? true : undefined), 'all back');
    await view.page.selectOption('select[aria-label="Connection"]', '1003-1@localhost');
    await until(async () => ((await seqs()).join() === 's3' ? true : undefined), 'one connection');
    await view.page.selectOption('select[aria-label="Connection"]', '');
    await view.page.fill('input[aria-label^="JID filter"]', '1002-1');
    await until(async () => ((await seqs()).join() === 's1' ? true : undefined), 'JID matches from');
    await view.page.fill('input[aria-label^="JID filter"]', 'LOCALHOST');
    await until(async () => ((await seqs()).join() === 's1,s2,s3' ? true : undefined), 'JID matches to, any case');
    const states = (await view.host()).states;
    assert.deepEqual((states[states.length - 1] as { filter: unknown }).filter, {
      lanes: ['in', 'out', 'server'],
      kinds: ['message', 'presence', 'iq', 'sm', 'other'],
      connection: '',
      jid: 'LOCALHOST',
    });
  });

  it('searches with highlights and steps through matches, unfolding a folded stanza', async () => {
    const long = `<message to="1002-1@localhost" id="long" type="chat">${Array.from({ length: 14 }, (_, i) => `<p${i}>x</p${i}>`).join('')}<needle>found</needle></message>`;
    await open(consoleSnapshot([...stanzas(1, 30), stanza(31, { xml: long }), ...stanzas(32, 3)]));
    assert.equal(await view.page.locator('.st-row[data-key="s31"] .x-fold').getAttribute('aria-expanded'), 'false', 'long stanzas start folded');
    assert.equal(await view.page.locator('.st-row[data-key="s31"] needle, .st-row[data-key="s31"] .x-line').count(), 1);
    await view.page.fill('input[aria-label="Search stanzas"]', 'HELLO 2');
    await until(async () => ((await view.page.locator('.st-search-status').textContent()) === '11 matching stanzas' ? true : undefined), 'count');
    await view.page.locator('input[aria-label="Search stanzas"]').press('Enter');
    await until(async () => ((await view.page.locator('.st-search-status').textContent()) === '1 of 11' ? true : undefined), 'first');
    await view.page.locator('.st-row.st-current[data-key="s2"]').waitFor();
    assert.equal(await view.page.locator('.st-row[data-key="s2"] mark').textContent(), 'hello 2');
    await view.page.locator('input[aria-label="Search stanzas"]').press('Shift+Enter');
    await view.page.locator('.st-row.st-current[data-key="s2"]').waitFor({ state: 'detached' });
    assert.equal(await view.page.locator('.st-search-status').textContent(), '11 of 11');

    await view.page.fill('input[aria-label="Search stanzas"]', 'found');
    await view.page.getByRole('button', { name: 'Next match' }).click();
    await view.page.locator('.st-row.st-current[data-key="s31"] mark:has-text("found")').waitFor();
    assert.equal(await view.page.locator('.st-row[data-key="s31"] .x-fold').getAttribute('aria-expanded'), 'true', 'unfolded to show the match');
  });

  it('folds and unfolds elements by click and keyboard', async () => {
    await open(consoleSnapshot([stanza(1, { xml: '<iq type="result" id="r"><query xmlns="jabber:iq:roster"><item jid="a@b"/><item jid="c@d"/></query></iq>' })]));
    const row = view.page.locator('.st-row[data-key="s1"]');
    assert.deepEqual(await row.locator('.x-line').allTextContents(), [
      '<iq type="result" id="r">',
      '<query xmlns="jabber:iq:roster">',
      '<item jid="a@b"/>',
      '<item jid="c@d"/>',
      '</query>',
      '</iq>',
    ]);
    await row.locator('.x-fold[data-path="0.0"]').click();
    await until(async () => ((await row.locator('.x-line').count()) === 3 ? true : undefined), 'query folded');
    assert.match((await row.locator('.x-line').nth(1).textContent()) ?? '', /^<query xmlns="jabber:iq:roster">…<\/query>$/);
    await row.locator('.x-fold[data-path="0.0"]').focus();
    await view.page.keyboard.press('Enter');
    await until(async () => ((await row.locator('.x-line').count()) === 6 ? true : undefined), 'unfolded by keyboard');
  });

  it('pause freezes the view, says so, and shows what arrived on resume', async () => {
    await open(consoleSnapshot(stanzas(1, 5)));
    await view.page.locator('.qb-button:has-text("Pause") .codicon-debug-pause').click();
    await view.page.locator('.st-paused:not([hidden])').waitFor();
    await view.page.locator('.qb-button:has-text("Resume") .codicon-debug-continue').waitFor();
    await view.notify('stanzas', { stanzas: stanzas(6, 3) });
    await until(async () => ((await view.page.locator('.st-paused').textContent())?.includes('3 new stanzas are kept') ? true : undefined), 'notice');
    await view.settle();
    assert.equal(await count(), '5 stanzas', 'the view did not change');
    await view.page.locator('.qb-button:has-text("Resume")').click();
    await view.page.locator('.st-row[data-key="s8"]').waitFor();
    assert.equal(await count(), '8 stanzas');
    assert.equal(await view.page.locator('.st-paused').isHidden(), true);
  });

  it('shows server decisions beside their stanza and unmatched ones in the server lane', async () => {
    await open(
      consoleSnapshot(
        [stanza(2, { direction: 'out' })],
        [decision(2), decision(9, { session: '1005-1@localhost/r', stanza: '<presence from="1005-1@localhost/r"/>', decision: 'rejected', detail: 'forbidden' })],
      ),
    );
    assert.equal(await view.page.locator('.st-row[data-key="s2"] .st-decision').textContent(), 'server stored');
    assert.equal(await view.page.locator('.st-row-server .st-dir').textContent(), '⇄ server');
    assert.equal(await view.page.locator('.st-row-server .st-decision').textContent(), 'server rejected: forbidden');
    // Live: a decision first, its stanza a moment later, and the other way round.
    await view.notify('decisions', { decisions: [decision(10, { stanza: '<message id="s4" to="1002-1@localhost"/>', decision: 'routed', direction: 'in' })] });
    await view.notify('stanzas', { stanzas: [stanza(4, { direction: 'out' })] });
    await view.page.locator('.st-row[data-key="s4"] .st-decision:has-text("routed")').waitFor();
    await view.notify('stanzas', { stanzas: [stanza(5, { direction: 'in', xml: '<message id="m5" from="1002-1@localhost/x"/>' })] });
    await view.notify('decisions', { decisions: [decision(11, { direction: 'out', stanza: '<message id="m5"/>', decision: 'routed' })] });
    await view.page.locator('.st-row[data-key="s5"] .st-decision:has-text("routed")').waitFor();
    assert.equal(await view.page.locator('.st-row-server').count(), 1, 'matched decisions have no row of their own');
  });

  it('fills templates with the dialog and JIDs, shows the host\'s validation and recalls sent stanzas', async () => {
    await open();
    await view.page.selectOption(DIALOG_SELECT, '5f0000000000000000000001');
    await view.page.selectOption('select[aria-label="Template"]', 'message');
    const editor = view.page.locator(EDITOR);
    await until(async () => ((await editor.inputValue()).includes('to="1002-1@localhost"') ? true : undefined), 'message template');
    assert.match(await editor.inputValue(), /<dialog_id>5f0000000000000000000001<\/dialog_id>/);
    assert.match(await editor.inputValue(), /id="[0-9a-f]{24}"/);
    const check = await view.waitForRequest('validate');
    await view.reply(check.seq ?? -1, { ok: true, summary: 'A <message type="chat"> stanza to 1002-1@localhost.' });
    await view.page.locator('.st-send-status.st-valid').waitFor();

    await view.page.selectOption('select[aria-label="Template"]', 'iq');
    await until(async () => ((await editor.inputValue()).startsWith('<iq type="get" to="localhost"') ? true : undefined), 'iq to the server');
    await view.page.selectOption(DIALOG_SELECT, '5f0000000000000000000002');
    await view.page.selectOption('select[aria-label="Template"]', 'groupchat');
    await until(async () => ((await editor.inputValue()).includes('to="1_5f0000000000000000000002@muc.localhost" type="groupchat"') ? true : undefined), 'room');

    await editor.fill('<message><body>x</message>');
    const bad = await until(
      async () => (await view.requests('validate')).find((r) => (r.params as { xml: string }).xml === '<message><body>x</message>'),
      'the check of the typed text',
    );
    assert.deepEqual(bad.params, { xml: '<message><body>x</message>' }, 'the page posts text only');
    await view.reply(bad.seq ?? -1, { ok: false, error: 'Not well-formed XML: body must be closed.' });
    await until(async () => ((await view.page.locator('.st-send-status.st-invalid').textContent()) === 'Not well-formed XML: body must be closed.' ? true : undefined), 'error shown');

    await editor.fill('<presence/>');
    await editor.press('Control+Enter');
    const send = await view.waitForRequest('send');
    assert.deepEqual(send.params, { xml: '<presence/>', connection: '1001-1@localhost' });
    await view.reply(send.seq ?? -1, null);
    await view.page.locator('.st-send-status:has-text("Sent")').waitFor();
    await editor.fill('<presence type="unavailable"/>');
    await editor.press('Control+Enter');
    const refused = await view.waitForRequest('send', 2);
    await view.replyError(refused.seq ?? -1, 'chat is offline; reconnect before sending');
    await view.page.locator('.st-send-status.st-invalid:has-text("Not sent: chat is offline")').waitFor();

    await editor.fill('draft in progress');
    await editor.press('Control+ArrowUp');
    await valueIs('<presence/>');
    await editor.press('Control+ArrowDown');
    await valueIs('draft in progress');
    const states = (await view.host()).states;
    assert.deepEqual((states[states.length - 1] as { history: string[] }).history, ['<presence/>']);
  });

  it('addresses a dialog as the chosen sender sees it when several users are signed in', async () => {
    const PRIVATE = '5f0000000000000000000001';
    const GROUP = '5f0000000000000000000002';
    const ROOM = `1_${GROUP}@muc.localhost`;
    const BOBS_OWN = '5f0000000000000000000003';
    const context = consoleContext({
      connections: ['1001-1@localhost', '1002-1@localhost'],
      dialogs: {
        '1001-1@localhost': [
          { id: PRIVATE, name: 'Bob', type: 'private', to: '1002-1@localhost', lastMessageId: '5f00000000000000000000aa' },
          { id: GROUP, name: 'Team chat', type: 'group', to: ROOM },
        ],
        '1002-1@localhost': [
          { id: PRIVATE, name: 'Alice', type: 'private', to: '1001-1@localhost', lastMessageId: '5f00000000000000000000aa' },
          { id: GROUP, name: 'Team chat', type: 'group', to: ROOM },
          { id: BOBS_OWN, name: 'Carol', type: 'private', to: '1003-1@localhost' },
        ],
      },
    });
    await open(consoleSnapshot(stanzas(1, 2), [], context));
    const editor = view.page.locator(EDITOR);
    const dialogChoices = () => view.page.locator(`${DIALOG_SELECT} option`).allTextContents();
    const insert = async (template: string, expected: string) => {
      await view.page.selectOption('select[aria-label="Template"]', template);
      return until(async () => ((await editor.inputValue()).includes(expected) ? editor.inputValue() : undefined), `a ${template} template with ${expected}`);
    };

    assert.deepEqual(await dialogChoices(), ['Bob (private)', 'Team chat (group)'], 'the first user\'s dialogs, named as they see them');
    await view.page.selectOption(DIALOG_SELECT, PRIVATE);
    await insert('message', 'to="1002-1@localhost"');

    await view.page.selectOption('select[aria-label="Send as"]', '1002-1@localhost');
    assert.deepEqual(await dialogChoices(), ['Alice (private)', 'Team chat (group)', 'Carol (private)'], 'the second user\'s own list');
    assert.equal(await view.page.locator(DIALOG_SELECT).inputValue(), PRIVATE, 'a dialog both list stays chosen');
    const asBob = await insert('message', 'to="1001-1@localhost"');
    assert.match(asBob, new RegExp(`<dialog_id>${PRIVATE}</dialog_id>`));
    await insert('marker', 'id="5f00000000000000000000aa"');
    await view.page.selectOption(DIALOG_SELECT, GROUP);
    await insert('groupchat', `to="${ROOM}"`);
    await view.page.selectOption(DIALOG_SELECT, BOBS_OWN);
    await insert('message', 'to="1003-1@localhost"');

    await view.page.selectOption('select[aria-label="Send as"]', '1001-1@localhost');
    assert.deepEqual(await dialogChoices(), ['Bob (private)', 'Team chat (group)'], 'Carol\'s dialog is not the first user\'s to address');
    await insert('message', 'to="1002-1@localhost"');
    await editor.press('Control+Enter');
    const send = await view.waitForRequest('send');
    assert.equal((send.params as { connection: string }).connection, '1001-1@localhost');
  });

  it('recalls the history saved by an earlier page, and exports with the current filter', async () => {
    await open(consoleSnapshot(stanzas(1, 3)), { follow: true, history: ['<presence/>', '<iq type="get" id="1"/>'], draft: '' });
    const editor = view.page.locator(EDITOR);
    await editor.focus();
    await editor.press('Control+ArrowUp');
    await valueIs('<iq type="get" id="1"/>');
    await editor.press('Control+ArrowUp');
    await valueIs('<presence/>');

    await view.page.locator('.qb-checkbox:has-text("Server")').click();
    await view.page.locator('.qb-button:has-text("Export JSON lines")').click();
    const request = await view.waitForRequest('export');
    assert.deepEqual(request.params, {
      format: 'jsonl',
      filter: { lanes: ['in', 'out'], kinds: ['message', 'presence', 'iq', 'sm', 'other'], connection: '', jid: '' },
    });
    await view.reply(request.seq ?? -1, { path: '/tmp/stanzas.jsonl', count: 3 });
    await view.page.locator('.st-status:has-text("Exported 3 stanzas to /tmp/stanzas.jsonl")').waitFor();
  });
});
