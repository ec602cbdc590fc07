// What the REST integration tests share: an in-process local server (127.0.0.1, port 0, in memory,
// demo data), plain fetch calls the way the SDK and the docs make them, and signed sessions.
import * as assert from 'node:assert/strict';
import { createHmac, randomInt } from 'node:crypto';
import type { DemoUser } from '../../src/shared/localServer';
import type { QBDialog, QBDialogList, QBSession, QBUser } from '../../src/shared/models';
import { startLocalServer, type RunningLocalServer } from '../../src/server/localServer';

export interface Response<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export type ErrorBody = { errors: string[] | Record<string, string[]> };

export interface CallOptions {
  form?: string;
  json?: unknown;
  raw?: string;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface RestHarness {
  server: RunningLocalServer;
  alice: DemoUser;
  bob: DemoUser;
  carol: DemoUser;
  aliceToken: string;
  bobToken: string;
  carolToken: string;
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<Response<T>>;
  signedSessionForm(user?: { login: string; password: string }, overrides?: { nonce?: number; timestamp?: number; secret?: string }): string;
  appToken(): Promise<string>;
  userToken(user: { login: string; password: string }): Promise<string>;
  dialogsOf(token: string): Promise<QBDialog[]>;
  newUser(login: string): Promise<{ user: QBUser; token: string; password: string }>;
}

/** Starts the server before the suite's tests and stops it after them; the harness is filled in before(). */
export function useRestServer(): RestHarness {
  const h = {} as RestHarness;
  before(async () => {
    h.server = await startLocalServer({ host: '127.0.0.1', httpPort: 0, xmppPort: 0, memory: true, demo: true });
    const base = h.server.info.rest.replace(/\/$/, '');
    h.call = async <T>(method: string, path: string, options: CallOptions = {}): Promise<Response<T>> => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers['QB-Token'] = options.token;
      let body: string | undefined;
      if (options.form !== undefined) {
        headers['Content-Type'] = options.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8';
        body = options.form;
      } else if (options.json !== undefined || options.raw !== undefined) {
        headers['Content-Type'] = options.contentType ?? 'application/json; charset=utf-8';
        body = options.raw ?? JSON.stringify(options.json);
      }
      const res = await fetch(base + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed as T, text, headers: res.headers };
    };
    h.signedSessionForm = (user, overrides = {}) => {
      const info = h.server.info;
      const pairs: Array<[string, string]> = [
        ['application_id', String(info.appId)],
        ['auth_key', info.authKey],
        ['nonce', String(overrides.nonce ?? randomInt(1, 1e9))],
        ['timestamp', String(overrides.timestamp ?? Math.floor(Date.now() / 1000))],
      ];
      if (user) pairs.push(['user[login]', user.login], ['user[password]', user.password]);
      // Signed independently of the server's code, exactly as spec §2.1 describes.
      const signed = pairs.map(([k, v]) => `${k}=${v}`).sort().join('&');
      const signature = createHmac('sha1', overrides.secret ?? info.authSecret).update(signed).digest('hex');
      return [...pairs, ['signature', signature]]
        .map(([k, v]) => `${k.includes('[') ? k : encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .sort()
        .join('&');
    };
    h.userToken = async (user) => {
      const res = await h.call<{ session: QBSession }>('POST', '/session.json', { form: h.signedSessionForm(user) });
      assert.equal(res.status, 201, res.text);
      return res.body.session.token;
    };
    h.appToken = async () => (await h.call<{ session: QBSession }>('POST', '/session.json', { form: h.signedSessionForm() })).body.session.token;
    h.dialogsOf = async (token) => {
      const res = await h.call<QBDialogList>('GET', '/chat/Dialog.json?', { token });
      assert.equal(res.status, 200, res.text);
      return res.body.items;
    };
    h.newUser = async (login) => {
      const password = `${login}-password`;
      const res = await h.call<{ user: QBUser }>('POST', '/users.json', {
        token: await h.appToken(),
        form: `user[login]=${login}&user[password]=${password}&user[full_name]=${encodeURIComponent(`${login} Test`)}`,
      });
      assert.equal(res.status, 201, res.text);
      return { user: res.body.user, token: await h.userToken({ login, password }), password };
    };
    const [alice, bob, carol] = h.server.info.demoUsers ?? [];
    assert.ok(alice && bob && carol, 'three demo users');
    Object.assign(h, { alice, bob, carol });
    h.aliceToken = await h.userToken(alice);
    h.bobToken = await h.userToken(bob);
    h.carolToken = await h.userToken(carol);
  });
  after(async () => {
    await h.server?.close();
  });
  return h;
}
