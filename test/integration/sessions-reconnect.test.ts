// An additional user's connection lost and regained, through a loopback TCP relay in front of the
// local server's XMPP port: while it is down the relay accepts and drops every attempt, so the
// attempts' times show the backoff (xmppSession.ts) and ChatSessions shows the user reconnecting.
// The server keeps a dropped session resumable (XEP-0198) for half a second only, shorter than the
// first retry, so the user comes back with a new session, as after a server restart.
import * as assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { ChatService } from '../../src/client/chatService';
import { ChatSessions } from '../../src/client/chatSessions';
import type { ChatServiceApi } from '../../src/client/contracts';
import { localConnectionTarget } from '../../src/client/profile';
import type { LocalServerInfo } from '../../src/shared/localServer';
import { startLocalServer } from '../../src/server/localServer';
import { logger, WAIT_MS } from './clientHarness';

/** The first three retries come after 1 s, 2 s and 4 s; this bounds waiting for any of them. */
const RETRY_WAIT_MS = 6000;

/** Forwards to `port` while up; while down, accepts and closes at once (what a restarting server looks like). */
class Relay {
  up = true;
  readonly attempts: number[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly port: number) {
    this.server = createServer((client) => {
      this.attempts.push(Date.now());
      if (!this.up) {
        client.destroy();
        return;
      }
      const upstream = connect(this.port, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }

  /** Drops every relayed connection and refuses new ones until `up` is set again. */
  cut(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('client: an additional user reconnecting with backoff', function () {
  this.timeout(30_000);
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let info: LocalServerInfo;
  let relay: Relay;
  let sessions: ChatSessions;
  let bob: ChatServiceApi;

  before(async () => {
    server = await startLocalServer({ host: '127.0.0.1', httpPort: 0, xmppPort: 0, memory: true, demo: true, logger, xmppLimits: { smHibernationMs: 500 } });
    info = server.info;
    const [alice, bobUser] = info.demoUsers ?? [];
    relay = new Relay(Number(new URL(info.xmpp).port));
    const relayPort = await relay.listen();
    sessions = new ChatSessions((options) => new ChatService({ logger, timeoutMs: WAIT_MS, ...options }), { logger });
    await sessions.primary.connect(localConnectionTarget(info, alice));
    const added = await sessions.add({ ...localConnectionTarget(info, bobUser), chatService: `xmpp://127.0.0.1:${relayPort}` });
    assert.ok(added);
    bob = added;
  });

  after(async () => {
    await sessions?.dispose();
    await relay?.close();
    await server?.close();
  });

  it('waits longer before each retry, shows the user reconnecting, and comes back online', async () => {
    const entry = () => sessions.list().find((e) => e.service === bob);
    const signedInAttempts = relay.attempts.length;
    const cutAt = Date.now();
    relay.cut();
    await until(() => entry()?.state === 'reconnecting', WAIT_MS, 'bob reconnecting');
    assert.ok((entry()?.lostAt ?? 0) >= cutAt, 'when the connection was lost');
    assert.equal(sessions.primary.state, 'online', 'alice\'s connection does not go through the relay');

    await until(() => relay.attempts.length >= signedInAttempts + 2, 2 * RETRY_WAIT_MS, 'two refused retries');
    relay.up = true;
    await until(() => bob.state === 'online', RETRY_WAIT_MS, 'bob online again');
    const [first, second, third] = relay.attempts.slice(signedInAttempts);
    const waits = [first - cutAt, second - first, third - second];
    assert.ok(waits[1] >= 1.5 * waits[0] && waits[2] >= 1.5 * waits[1], `each wait longer than the one before: ${waits.join(', ')} ms`);
    assert.equal(entry()?.lostAt, undefined, 'back online: nothing lost any more');
  });
});
