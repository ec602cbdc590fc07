// Opening the conversation webview the way the host does (ready, then a snapshot), and the checks
// every conversation test ends with: no page errors, no dialogs, no CSP reports.
import assert from 'node:assert/strict';
import { snapshot } from './fixtures';
import { type Harness, until, type WebviewPage } from './harness';

export const LIST = '.conv-list';
export const INPUT = '.qb-textarea textarea';

/** Opens the page with `state` as its saved state, waits for `ready`, and shows `snap`. */
export async function openConversation(harness: Harness, snap = snapshot(), state?: unknown): Promise<WebviewPage> {
  const view = await harness.open('conversation', state);
  await until(async () => ((await view.host()).posted.length > 0 ? true : undefined), 'ready');
  await view.notify('snapshot', snap);
  await view.page.locator('.msg').first().waitFor();
  await view.settle();
  return view;
}

export async function assertCleanAndClose(view: WebviewPage): Promise<void> {
  assert.deepEqual(view.errors, [], 'no page errors');
  assert.deepEqual(view.dialogs, [], 'no dialogs');
  assert.deepEqual(await view.violations(), [], 'no CSP violations');
  await view.close();
}
