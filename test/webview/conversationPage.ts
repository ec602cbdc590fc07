// Opening the conversation webview the way the host does (ready, then a snapshot), and the checks
// every conversation test ends with: no page errors, no dialogs, no CSP reports.
import assert from 'node:assert/strict';
import { snapshot } from './fixtures';
import { Harness, until, type WebviewPage } from './harness';

export const LIST = '.conv-list';
export const INPUT = '.qb-textarea textarea';

/** Opens the page with `state` as its saved state, waits for `ready`, and shows `snap`. */
async function openConversation(harness: Harness, snap = snapshot(), state?: unknown): Promise<WebviewPage> {
  const view = await harness.open('conversation', state);
  await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
  await view.notify('snapshot', snap);
  await view.page.locator('.msg').first().waitFor();
  await view.settle();
  return view;
}

async function assertCleanAndClose(view: WebviewPage): Promise<void> {
  assert.deepEqual(view.errors, [], 'no page errors');
  assert.deepEqual(view.dialogs, [], 'no dialogs');
  assert.deepEqual(await view.violations(), [], 'no CSP violations');
  await view.close();
}

/** A conversation suite's browser, and the page each test opened: checked clean and closed after it. */
export interface ConversationSuite {
  readonly harness: Harness;
  /** Opens the page and shows `snap` (see openConversation). */
  open(snap?: ReturnType<typeof snapshot>, state?: unknown): Promise<WebviewPage>;
  /** A page the test opened itself, to be checked and closed like the others. */
  track(view: WebviewPage): WebviewPage;
}

/** Registers the suite's hooks: the browser for the suite, the clean-and-close check after each test. */
export function conversationSuite(): ConversationSuite {
  const harness = new Harness();
  let current: WebviewPage | undefined;
  before(async () => harness.start());
  after(async () => harness.stop());
  afterEach(async () => {
    const view = current;
    current = undefined;
    if (view) await assertCleanAndClose(view);
  });
  const track = (view: WebviewPage) => (current = view);
  return { harness, track, open: async (snap, state) => track(await openConversation(harness, snap, state)) };
}
