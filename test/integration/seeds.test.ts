// Every documented example request in ../shared/seeds/ replayed against the local server: the docs' ids,
// users and tokens replaced by real ones (a fresh in-memory demo server per example, with dialogs and
// messages made for the ids the example names), then the documented success status and the documented
// response shape (keys and value types, see seeds.shape.ts) asserted.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { signSessionParams } from '../../src/shared/signature';
import { startLocalServer, type RunningLocalServer } from '../../src/server/localServer';
import { readSeedCatalog, type DocumentedResponse, type SeedExample, type SeedRequest } from './seeds.examples';
import { keysIn, shapeDifferences, withOptionalKeys, type Json } from './seeds.shape';

const catalog = readSeedCatalog();
const OBJECT_ID = /\b[0-9a-f]{24}\b/g;
const USER_ID_FIELDS = new Set(['recipient_id', 'occupants_ids']);
/** Dialog fields the protocol spec (§4.1, §4.2) documents beyond what these older pages show. */
const SPEC_DIALOG_FIELDS = ['is_join_required', 'admin_ids', 'total_entries'];

interface Answer {
  status: number;
  text: string;
}

function send(rest: string, req: SeedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers = { ...req.headers, ...(body && { 'Content-Length': String(body.length) }) };
    // node:http, not fetch: one documented example is a GET with a body (curl -X GET -d …).
    const r = request(new URL(req.url.slice(1), rest), { method: req.method, headers, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('timeout', () => r.destroy(new Error('timed out')));
    r.on('error', reject);
    r.end(body);
  });
}

/** The documented success status of the endpoint, from the docs' table ("/chat/Dialog/{id} | PUT | … | 200"). */
function documentedStatus(req: SeedRequest): number {
  const path = req.url.split('?')[0].replace(/\.json$/, '');
  for (const [key, status] of catalog.statuses) {
    const [method, template] = key.split(' ');
    const pattern = new RegExp(`^${template.replace(/\.json$/, '').replace(/\{id1\},\{id2\},\{id3\}\.\.\./, '[^/]+').replace(/\{id\}/g, '[^/,]+')}$`);
    if (method === req.method && pattern.test(path)) return status;
  }
  return 200;
}

/** The endpoint as a template, so examples of one endpoint can lend each other their documented answers. */
function endpointOf(req: SeedRequest): string {
  return `${req.method} ${req.url.split('?')[0].replace(OBJECT_ID, '{id}')}`;
}

interface Expectation {
  responses: DocumentedResponse[];
  /** Documented keys this request need not get back. */
  optional: string[];
  /** Keys that may come back although this example's docs do not show them. */
  allowedExtra: Set<string>;
}

/** /chat/Dialog or /chat/Message: the model whose fields any page of the docs may show. */
function resourceOf(req: SeedRequest): string {
  return req.url.split('?')[0].replace(/\.json$/, '').split('/').slice(0, 3).join('/');
}

/**
 * The responses to hold this example to: its own, else those documented for other requests to its
 * endpoint. Keys the docs show for the same model elsewhere (the newer pages add last_message_id) may be extra.
 */
function expectationOf(example: SeedExample): Expectation {
  const endpoint = endpointOf(example.request);
  const own = topLevelKeys(example.request);
  const peers = catalog.examples.filter((e) => e.responses.length && endpointOf(e.request) === endpoint);
  const allowedExtra = new Set([...own, ...SPEC_DIALOG_FIELDS]);
  for (const e of catalog.examples.filter((e) => resourceOf(e.request) === resourceOf(example.request))) {
    for (const r of e.responses) if (r.kind === 'json') keysIn(r.value as Json, allowedExtra);
  }
  if (example.responses.length) return { responses: example.responses, optional: [], allowedExtra };
  return {
    responses: peers.flatMap((e) => e.responses),
    // A field the other example sent and this one does not (markable, attachments) need not come back.
    optional: peers.flatMap((e) => topLevelKeys(e.request)).filter((k) => !own.includes(k)),
    allowedExtra,
  };
}

function topLevelKeys(req: SeedRequest): string[] {
  const body = jsonBody(req);
  return body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
}

function jsonBody(req: SeedRequest): Json | undefined {
  return req.body !== undefined && req.headers['Content-Type']?.includes('json') ? (JSON.parse(req.body) as Json) : undefined;
}

/** Real users, dialogs, messages and credentials for what an example names, and the example rewritten to use them. */
class Substitution {
  private readonly users = new Map<number, number>();
  private readonly dialogs = new Map<string, string>();
  private readonly messages = new Map<string, string>();
  private readonly alice: number;
  private readonly spare: number[];

  constructor(
    private readonly server: RunningLocalServer,
    private readonly token: string,
  ) {
    const demo = server.info.demoUsers ?? [];
    this.alice = demo[0].id;
    this.spare = demo.slice(1).map((u) => u.id);
  }

  rewrite(req: SeedRequest): SeedRequest {
    const body = jsonBody(req);
    const dialogInBody = body && typeof body === 'object' && !Array.isArray(body) ? body.chat_dialog_id : undefined;
    const [path, query] = req.url.split('?');
    const messagePath = /^\/chat\/Message\/([0-9a-f,]+)\.json$/.exec(path);
    const newPath = messagePath
      ? path.replace(messagePath[1], messagePath[1].split(',').map((id) => this.message(id, typeof dialogInBody === 'string' ? dialogInBody : undefined)).join(','))
      : path.replace(OBJECT_ID, (id) => this.dialog(id));
    const url = query === undefined ? newPath : `${newPath}?${query.replace(OBJECT_ID, (id) => this.dialog(id))}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'QB-Token') headers[name] = this.token;
      else if (name === 'Authorization') headers[name] = `ApiKey ${this.server.info.apiKey}`;
      else if (name === 'On-Behalf-Of') headers[name] = String(this.alice);
      else headers[name] = value;
    }
    return { ...req, url, headers, body: body === undefined ? req.body : JSON.stringify(this.json(body, undefined)) };
  }

  private json(value: Json, field: string | undefined): Json {
    if (field !== undefined && USER_ID_FIELDS.has(field)) {
      if (typeof value === 'number') return this.user(value);
      if (typeof value === 'string') return value.replace(/\d+/g, (id) => String(this.user(Number(id))));
      if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? this.user(v) : v));
    }
    if (field === 'chat_dialog_id' && typeof value === 'string') return this.dialog(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v, undefined));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v, k)]));
    return value;
  }

  /** The docs' user ids become bob, carol, then new users; the caller is always alice. */
  private user(documented: number): number {
    let id = this.users.get(documented);
    if (id === undefined) {
      const n = this.users.size;
      id = this.spare[n] ?? this.server.store.createUser({ login: `seed-user-${n}`, password: `seed-pass-${n}` }).id;
      this.users.set(documented, id);
    }
    return id;
  }

  /** A group dialog alice owns, with every mapped user in it and some history from alice and bob. */
  private dialog(documented: string): string {
    let id = this.dialogs.get(documented);
    if (id === undefined) {
      const { store } = this.server;
      const occupants = [...new Set([...this.spare, ...this.users.values()])];
      id = store.createDialog({ type: 2, ownerId: this.alice, occupantIds: occupants, name: `seed dialog ${this.dialogs.size}` }).id;
      const now = Math.floor(Date.now() / 1000);
      for (const [i, sender] of [this.spare[0], this.alice, this.spare[0], this.alice].entries()) {
        store.createMessage({ dialogId: id, senderId: sender, body: `seed message ${i}`, dateSent: now - 10 + i });
      }
      this.dialogs.set(documented, id);
    }
    return id;
  }

  /** One of alice's own messages (so editing it is allowed), a different one per documented id. */
  private message(documented: string, documentedDialog: string | undefined): string {
    let id = this.messages.get(documented);
    if (id === undefined) {
      const dialogId = this.dialog(documentedDialog ?? 'no dialog named');
      const own = this.server.store.listMessages(dialogId, { limit: 100, skip: 0 }).filter((m) => m.senderId === this.alice);
      id = own[this.messages.size % own.length].id;
      this.messages.set(documented, id);
    }
    return id;
  }
}

async function userToken(server: RunningLocalServer): Promise<string> {
  const { info } = server;
  const alice = info.demoUsers?.[0];
  assert.ok(alice);
  const params = {
    application_id: info.appId,
    auth_key: info.authKey,
    nonce: Math.floor(Math.random() * 1e9),
    timestamp: Math.floor(Date.now() / 1000),
    user: { login: alice.login, password: alice.password },
  };
  const response = await fetch(`${info.rest}session.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...params, signature: signSessionParams(params, info.authSecret) }),
  });
  assert.equal(response.status, 201, 'POST /session.json');
  return ((await response.json()) as { session: { token: string } }).session.token;
}

describe('seeds: the documented examples replayed', function () {
  this.timeout(20_000);

  it('finds the documented examples', () => {
    assert.ok(catalog.examples.length >= 20, `only ${catalog.examples.length} examples parsed`);
    assert.ok(catalog.statuses.size >= 10, 'the table of success statuses');
  });

  for (const example of catalog.examples) {
    it(example.name, async () => {
      const server = await startLocalServer({ memory: true, demo: true, httpPort: 0, xmppPort: 0 });
      try {
        const substitution = new Substitution(server, await userToken(server));
        const req = substitution.rewrite(example.request);
        const answer = await send(server.info.rest, req);
        const status = documentedStatus(example.request);
        assert.equal(answer.status, status, `${req.method} ${req.url} ${req.body ?? ''} → ${answer.status} ${answer.text}`);
        const { responses, optional, allowedExtra } = expectationOf(example);
        if (responses.length === 0) return; // the docs show no answer for this request or its endpoint
        if (responses.every((r) => r.kind === 'empty')) {
          assert.equal(answer.text, '', 'the docs answer with an empty body');
          return;
        }
        const actual = JSON.parse(answer.text) as Json;
        const attempts = responses
          .filter((r): r is Extract<DocumentedResponse, { kind: 'json' }> => r.kind === 'json')
          .map((r) => shapeDifferences(withOptionalKeys(r.value as Json, optional), actual, allowedExtra));
        const best = attempts.reduce((a, b) => (b.length < a.length ? b : a));
        assert.deepEqual(best, [], `the answer's shape differs from the docs:\n${answer.text}`);
      } finally {
        await server.close();
      }
    });
  }
});
