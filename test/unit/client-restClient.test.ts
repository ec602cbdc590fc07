// The REST client against a scripted loopback HTTP server: what goes on the wire for mark-read, and
// that its documented empty 200 answer is a success while JSON calls still insist on JSON.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuickBloxError } from '../../src/client/quickbloxError';
import { RestClient } from '../../src/client/restClient';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('client: REST client', () => {
  let server: Server;
  let client: RestClient;
  const seen: Seen[] = [];
  /** What the next request is answered with. */
  let answer: { status: number; body: string };

  before(async () => {
    server = createServer((req, res) => {
      void readAll(req).then((body) => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          contentType: req.headers['content-type'],
          body,
        });
        res.writeHead(answer.status, answer.body ? { 'content-type': 'application/json' } : {}).end(answer.body);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    client = new RestClient({ apiEndpoint: `http://127.0.0.1:${port}/`, appId: 1, apiKey: 'key', timeoutMs: 2000 });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  after(async () => {
    await client.close();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('marks a dialog read with the SDK form PUT /chat/Message.json and accepts an empty 200', async () => {
    answer = { status: 200, body: '' };
    await client.markDialogRead('5f0000000000000000000001');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'PUT');
    assert.equal(seen[0].url, '/chat/Message.json');
    assert.match(seen[0].contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[0].body)), { chat_dialog_id: '5f0000000000000000000001', read: '1' });
  });

  it('reports a refused mark-read with the server errors', async () => {
    answer = { status: 403, body: '{"errors":["You are not an occupant"]}' };
    await assert.rejects(client.markDialogRead('5f0000000000000000000001'), (error: unknown) => {
      assert.ok(error instanceof QuickBloxError);
      assert.equal(error.status, 403);
      assert.match(error.message, /not an occupant/);
      return true;
    });
  });

  it('edits a message with the SDK form PUT /chat/Message/{id}.json: chat_dialog_id and message', async () => {
    answer = { status: 200, body: '' };
    await client.updateMessageText('5f0000000000000000000001', '5f00000000000000000000aa', 'new & improved');
    assert.equal(seen[0].method, 'PUT');
    assert.equal(seen[0].url, '/chat/Message/5f00000000000000000000aa.json');
    assert.match(seen[0].contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[0].body)), { chat_dialog_id: '5f0000000000000000000001', message: 'new & improved' });
  });

  it('deletes a message for us with no body, and for everyone with force=1 in the form body', async () => {
    answer = { status: 200, body: '' };
    await client.deleteMessage('5f00000000000000000000aa', false);
    await client.deleteMessage('5f00000000000000000000aa', true);
    assert.deepEqual(
      seen.map((s) => [s.method, s.url, s.body]),
      [
        ['DELETE', '/chat/Message/5f00000000000000000000aa.json', ''],
        ['DELETE', '/chat/Message/5f00000000000000000000aa.json', 'force=1'],
      ],
    );
  });

  it('turns a deletion report naming the message under WrongPermissions or NotFound into an error', async () => {
    const id = '5f00000000000000000000aa';
    answer = { status: 200, body: JSON.stringify({ SuccessfullyDeleted: { ids: [] }, WrongPermissions: { ids: [id] }, NotFound: { ids: [] } }) };
    await assert.rejects(client.deleteMessage(id, true), (error: unknown) => {
      assert.ok(error instanceof QuickBloxError);
      assert.equal(error.status, 403);
      assert.match(error.message, /only the message's sender or the dialog's owner/);
      return true;
    });
    answer = { status: 200, body: JSON.stringify({ SuccessfullyDeleted: { ids: [] }, WrongPermissions: { ids: [] }, NotFound: { ids: [id] } }) };
    await assert.rejects(client.deleteMessage(id, false), /has no message 5f00000000000000000000aa you can see/);
  });

  it('still refuses an empty body where a JSON model is expected', async () => {
    answer = { status: 200, body: '' };
    await assert.rejects(client.listDialogs(), /the response is not JSON/);
  });
});
