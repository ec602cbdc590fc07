// The stanza console's data path against a real local server: the service captures stanzas from
// connect, follows the server's decisions (GET /_local/stanzas), and sends raw XML that a second,
// plain xmpp.js client receives; the endpoint itself serves this machine only, without CORS.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import { RawStanzaError } from '../../src/client/rawStanza';
import { joinEntries } from '../../src/shared/consoleEntries';
import { userJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { newObjectId } from '../../src/shared/objectId';
import { LOCAL_STANZAS_PATH } from '../../src/shared/serverDecisionWire';
import { eventually, plainClient, signedInService, startDemoServer } from './clientHarness';

/** Status and headers of a GET to the stream, with these request headers; the body is not waited for. */
function probe(info: LocalServerInfo, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(LOCAL_STANZAS_PATH, info.rest), { headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console: stanzas and server decisions against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: DemoUser;
  let bob: DemoUser;
  let service: ChatService;
  let bobClient: Client | undefined;
  const bobReceived: Element[] = [];

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    [alice, bob] = info.demoUsers ?? [];
    service = await signedInService(info, alice, { stanzaLimit: 1000 });
    bobClient = await plainClient(info, bob);
    bobClient.on('stanza', (element) => bobReceived.push(element));
  });

  after(async () => {
    await bobClient?.stop().catch(() => undefined);
    await service?.dispose();
    await server?.close();
  });

  it('captured the stanzas of the sign-in itself, before any console was open', () => {
    const kinds = service.stanzas().map((r) => `${r.direction} ${r.kind} ${r.xml.slice(0, 12)}`);
    assert.ok(kinds.some((k) => k.startsWith('in other <stream:feat')), `stream features in ${kinds.join(', ')}`);
    assert.ok(kinds.some((k) => k.startsWith('out other <auth')), 'SASL auth (redacted)');
    assert.ok(kinds.some((k) => k.startsWith('out presence')), 'initial presence');
    assert.ok(!service.stanzas().some((r) => r.xml.includes(alice.password)), 'no credential in the log');
  });

  it('follows the local server\'s decisions and joins them to our stanzas', async () => {
    await eventually(() => (service.decisionStreamLive ? true : undefined), 'the decision stream');
    const id = newObjectId();
    await service.sendRawStanza(
      `<message to="${userJid(bob.id, info.appId, info.domain)}" type="chat" id="${id}"><body>raw hello</body></message>`,
      service.connections()[0],
    );
    const received = await eventually(() => bobReceived.find((e) => e.attrs.id === id), 'bob receives the raw stanza');
    assert.equal(received.getChildText('body'), 'raw hello');
    const decided = await eventually(() => service.decisions().find((d) => d.direction === 'in' && d.stanza.includes(id)), 'the decision');
    assert.equal(decided.session.split('/')[0], service.connections()[0]);
    const entry = joinEntries(service.stanzas(), service.decisions()).find((e) => e.record?.xml.includes(id));
    assert.ok(entry && entry.decisions.length > 0, 'the sent stanza carries what the server decided');
    // Bob's own traffic has no stanza in this window: it lands in the server lane.
    const lane = joinEntries(service.stanzas(), service.decisions()).filter((e) => e.lane === 'server');
    assert.ok(lane.some((e) => e.connection === userJid(bob.id, info.appId, info.domain)), 'bob\'s presence in the server lane');
  });

  it('refuses malformed raw XML before it reaches the wire', async () => {
    const before = service.stanzas().length;
    await assert.rejects(service.sendRawStanza('<message><body>x</message>'), RawStanzaError);
    await assert.rejects(service.sendRawStanza('<presence/>', 'someone-else@localhost'), /not signed in here/);
    assert.equal(service.stanzas().length, before);
  });

  it('serves the stream to this machine only, never to a rebinding Host, and without CORS', async () => {
    const ok = await probe(info, { Accept: 'text/event-stream' });
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-type']), /^text\/event-stream/);
    assert.equal((await probe(info, { Host: 'evil.example' })).status, 403);
    assert.equal((await probe(info, { Origin: 'https://evil.example' })).status, 403);
    const webview = await probe(info, { Origin: 'vscode-webview://abc' });
    assert.equal(webview.headers['access-control-allow-origin'], undefined, 'no page may read it cross-origin');
  });
});
