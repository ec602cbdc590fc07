// Browsers (the SDK in a webview or a local page) call from another origin: allow what the SDK sends
// and let it read the token expiry header (spec §1.3). Only origins the access policy admits get here,
// and the allowed origin is echoed rather than `*`, so no other page can read the answers.
import type { ServerResponse } from 'node:http';

export function setCorsHeaders(res: ServerResponse, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  // The answer depends on the Origin: a cache must not hand one origin's answer to another.
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'QB-Token-ExpirationDate');
}

export function answerPreflight(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    'Content-Type, QB-Token, QB-OS, QB-SDK, QB-Account-Key, Authorization, On-Behalf-Of',
  );
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(200, { 'Content-Length': '0' });
  res.end();
}
