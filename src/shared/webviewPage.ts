// The HTML shell of every webview panel, built in one place for the extension host and for the
// webview tests, so the tests load exactly the page VS Code shows.
//
// The page is a mount point and one nonce'd script: all content is rendered by the script from
// JSON messages, so no chat text is ever spliced into HTML. No 'unsafe-inline': styles come from
// the stylesheets (the script may still set element styles through the CSSOM) and from <style>
// elements carrying the nonce. The toolkit (FAST) needs the latter: it probes :focus-visible
// support with an empty <style>, nonce'd from the `csp-nonce` meta; blocked, its components fall
// back to :focus and show focus rings after mouse clicks too.

export interface WebviewPage {
  /** What the page may load from: `webview.cspSource` in VS Code, the test server's origin in tests. */
  cspSource: string;
  /** A fresh random value per page load. */
  nonce: string;
  /** Stylesheet URLs, in order. */
  styles: readonly string[];
  /** The bundle's URL. */
  script: string;
  /** An inline script run before the bundle; the webview tests install their stand-in for VS Code with it. */
  prelude?: string;
}

/**
 * What every page loads before its own stylesheet, as paths from the extension's root: the codicon
 * font's stylesheet (copied from @vscode/codicons by esbuild.mjs; it loads the font beside it) and the
 * shared layout.
 */
export const BASE_STYLES: readonly string[] = ['dist/codicons/codicon.css', 'media/webview.css'];

export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} https: data:`,
  ].join('; ');
}

export function webviewPageHtml(page: WebviewPage): string {
  const { nonce } = page;
  const head = [
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${webviewCsp(page.cspSource, nonce)}">`,
    `<meta property="csp-nonce" content="${nonce}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ...page.styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    ...(page.prelude ? [`<script nonce="${nonce}">${page.prelude}</script>`] : []),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
${head.join('\n')}
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${page.script}"></script>
</body>
</html>`;
}
