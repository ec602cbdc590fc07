// Reads a request body within a size limit and turns query + body into one Params object.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';
import { mergeParams, parseFormEncoded, parseJsonBody, type Params } from './params';

/** Whether the request has a body at all (HTTP/1.1: only with Content-Length or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new HttpError(413, [`The request body is larger than ${maxBytes} bytes. Send less data per request.`]);
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      req.resume(); // drain, so the socket can carry the 413 response
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk); // past the limit keep draining, but stop buffering
    });
    req.on('end', () => (size > maxBytes ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * Query parameters merged with the body's (the body wins). The body is JSON when the content type
 * says so or, with no content type, when it looks like an object; otherwise form-encoded, which is
 * what the SDK sends on every verb including GET and DELETE.
 */
export function requestParams(rawQuery: string, body: string, contentType: string | undefined): Params {
  const query = parseFormEncoded(rawQuery);
  if (body.trim() === '') return query;
  const isJson = contentType ? /json/i.test(contentType) : body.trimStart().startsWith('{');
  return mergeParams(query, isJson ? parseJsonBody(body) : parseFormEncoded(body));
}
