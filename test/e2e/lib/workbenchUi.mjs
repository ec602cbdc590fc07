// Playwright helpers for VS Code's workbench DOM (code-server 4.139 / VS Code 1.139). Every wait is
// bounded by the caller's timeout; the selectors are VS Code's own class names and ARIA attributes.

/** Clicks the activity bar entry of a view container, e.g. "QuickBlox". */
export async function openViewContainer(page, title, timeoutMs) {
  const entry = page.locator(`.activitybar [aria-label^="${title}"]`).first();
  await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  // Clicking an already open container would close it again.
  if ((await entry.getAttribute('aria-selected')) !== 'true') await entry.click();
}

/** The rows of the tree views in the side bar, as the user reads them. */
export async function treeRows(page) {
  return page.locator('.sidebar .monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
}

export async function waitForTreeRows(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await treeRows(page);
    if (predicate(rows)) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`tree rows not as expected within ${timeoutMs} ms; last seen: ${JSON.stringify(rows)}`);
}

export async function clickTreeRow(page, label) {
  await page.locator('.sidebar .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: label }) }).first().click();
}

/** Picks the row of the open quick pick that shows `text` (its label or description), by clicking it. */
export async function pickQuickItem(page, text, timeoutMs) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** The accessible labels of the status bar's items (an extension's item is labelled with its tooltip or text). */
export async function statusBarLabels(page) {
  return page.locator('.statusbar .statusbar-item').evaluateAll((items) =>
    items.map((item) => item.getAttribute('aria-label') || item.querySelector('[aria-label]')?.getAttribute('aria-label') || item.textContent?.trim() || ''),
  );
}

/** Runs a command the way a user does: F1, type its title, Enter. */
export async function runCommand(page, title, timeoutMs) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: timeoutMs });
  await page.keyboard.press('Enter');
}

/**
 * The frame of a visible webview showing `text` (inside the element matching `within`, if given).
 * Webviews are nested iframes (an outer host frame and an inner "active-frame" with the extension's
 * HTML), so search every frame of the page.
 */
export async function findWebviewFrame(page, text, timeoutMs, within) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      // getByText also looks inside the shadow roots of the webview UI toolkit's components; a hidden
      // webview kept alive in a background tab does not count.
      const scope = within ? frame.locator(within) : frame;
      const count = await scope.getByText(text).filter({ visible: true }).count().catch(() => 0);
      if (count > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview showed "${text}"${within ? ` in ${within}` : ''} within ${timeoutMs} ms`);
}

/** The editor tabs' titles, e.g. to see that a webview panel opened. */
export async function editorTabTitles(page) {
  return page.locator('.tabs-container .tab .label-name').allTextContents();
}

/**
 * The text of the first editor in the editor area whose text satisfies `predicate`. Monaco draws each
 * line as its own absolutely placed element with non-breaking spaces; put them back in order as text.
 */
export async function editorText(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await page.locator('.part.editor .monaco-editor .view-lines').evaluateAll((editors) =>
      editors.map((lines) =>
        [...lines.querySelectorAll('.view-line')]
          .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
          .map((line) => line.textContent.replace(/\u00a0/g, ' '))
          .join('\n'),
      ),
    );
    const hit = texts.find(predicate);
    if (hit !== undefined) return hit;
    await page.waitForTimeout(250);
  }
  throw new Error(`no editor showed the expected text within ${timeoutMs} ms; editors: ${JSON.stringify(texts)}`);
}

/**
 * Closes every editor tab whose title satisfies `predicate`, with the tab's own close button. A click
 * while the editor groups are still being laid out (one just closed) can miss, so it is tried again.
 */
export async function closeEditors(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (const title of (await editorTabTitles(page)).filter(predicate)) {
    const tab = page.locator('.tabs-container .tab').filter({ has: page.locator('.label-name', { hasText: title }) });
    while ((await tab.count()) > 0) {
      if (Date.now() > deadline) throw new Error(`the editor "${title}" did not close within ${timeoutMs} ms`);
      await tab.first().hover();
      await tab.first().locator('.tab-actions .action-label').click({ timeout: timeoutMs });
      await tab.first().waitFor({ state: 'detached', timeout: 1000 }).catch(() => undefined);
    }
  }
}

/** Answers VS Code's modal dialog saying `message` with its `button`. */
export async function confirmDialog(page, message, button, timeoutMs) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: message });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: timeoutMs });
}
