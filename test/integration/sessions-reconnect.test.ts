// An additional user's connection lost and regained, through a loopback TCP relay in front of the
// local server's XMPP port: while it is down the relay accepts and drops every attempt, so the
// attempts' times show the backoff (xmppSession.ts) and ChatSessions shows the user reconnecting,
// with each failed attempt and when the next one starts. In the first case the server keeps a
// dropped session resumable (XEP-0198) for half a second only, shorter than the first retry, so the
// user comes back with a new session, as after a server restart; in the second it keeps it for its
// default 5 minutes, so the stream is resumed, and messages cross at once, none lost or doubled.
import * as assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { ChatService } from '../../src/client/chatService';
import { ChatSessions } from '../../src/client/chatSessions';
import type { ChatServiceApi } from '../../src/client/contracts';
import { localConnectionTarget } from '../../src/client/profile';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { DialogTypes, type QBMessage } from '../../src/shared/models';
import { NS } from '../../src/shared/stanza';
import type { XmppLimits } from '../../src/server/xmpp/limits';
import { startLocalServer } from '../../src/server/localServer';
import { inRoom, loggedStanzas, logger, ownOccupantJid, until, WAIT_MS } from './clientHarness';

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

/** Alice signed in directly, Bob through a relay that the test can cut. */
interface ReconnectWorld {
  server: Awaited<ReturnType<typeof startLocalServer>>;
  info: LocalServerInfo;
  relay: Relay;
  sessions: ChatSessions;
  alice: DemoUser;
  bob: ChatServiceApi;
  close(): Promise<void>;
}

async function reconnectWorld(xmppLimits: Partial<XmppLimits>): Promise<ReconnectWorld> {
  const server = await startLocalServer({ host: '127.0.0.1', httpPort: 0, xmppPort: 0, memory: true, demo: true, logger, xmppLimits });
  const info = server.info;
  const [alice, bobUser] = info.demoUsers ?? [];
  const relay = new Relay(Number(new URL(info.xmpp).port));
  const relayPort = await relay.listen();
  const sessions = new ChatSessions((options) => new ChatService({ logger, timeoutMs: WAIT_MS, ...options }), { logger });
  await sessions.primary.connect(localConnectionTarget(info, alice));
  const bob = await sessions.add({ ...localConnectionTarget(info, bobUser), chatService: `xmpp://127.0.0.1:${relayPort}` });
  assert.ok(bob);
  return {
    server,
    info,
    relay,
    sessions,
    alice,
    bob,
    async close() {
      await sessions.dispose();
      await relay.close();
      await server.close();
    },
  };
}

/** The joins `service` sent to the room of the demo group, and the demo group's id. */
function demoGroupJoins(world: ReconnectWorld): { dialogId: string; count: () => number } {
  const group = world.bob.dialogs.find((d) => d.type === DialogTypes.group);
  assert.ok(group, 'the demo group');
  const occupant = ownOccupantJid(world.info, world.bob, group._id);
  const count = () => loggedStanzas(world.bob, 'out').filter((s) => s.is('presence') && s.attrs.to === occupant && s.attrs.type === undefined).length;
  return { dialogId: group._id, count };
}

/** Every `message` event of `service` from now on. */
function collectMessages(service: ChatServiceApi): QBMessage[] {
  const messages: QBMessage[] = [];
  service.on('message', (m) => messages.push(m));
  return messages;
}

describe('client: an additional user reconnecting with backoff', function () {
  this.timeout(30_000);
  let world: ReconnectWorld;

  before(async () => {
    world = await reconnectWorld({ smHibernationMs: 500 });
  });

  after(async () => {
    await world?.close();
  });

  it('waits longer before each retry, shows the user reconnecting with each failed attempt, and comes back online in its rooms', async () => {
    const { relay, sessions, bob, info } = world;
    const joins = demoGroupJoins(world);
    await until(() => inRoom(info, bob, joins.dialogId), WAIT_MS, 'bob in the demo group\'s room');
    const joinsBefore = joins.count();
    const entry = () => sessions.list().find((e) => e.service === bob);
    const retries: { attempt: number; nextRetryAt: number; at: number }[] = [];
    bob.on('retry', (retry) => retries.push({ ...retry, at: Date.now() }));
    const signedInAttempts = relay.attempts.length;
    const cutAt = Date.now();
    relay.cut();
    await until(() => entry()?.state === 'reconnecting', WAIT_MS, 'bob reconnecting');
    assert.ok((entry()?.lostAt ?? 0) >= cutAt, 'when the connection was lost');
    assert.equal(entry()?.retry, undefined, 'no attempt has failed yet');
    assert.equal(sessions.primary.state, 'online', 'alice\'s connection does not go through the relay');

    await until(() => relay.attempts.length >= signedInAttempts + 2 && retries.length >= 2, 2 * RETRY_WAIT_MS, 'two refused retries');
    assert.deepEqual(retries.slice(0, 2).map((r) => r.attempt), [1, 2], 'the attempts are counted');
    for (const r of retries.slice(0, 2)) {
      const wait = r.nextRetryAt - r.at;
      assert.ok(wait > 0 && wait <= 30_000, `the next attempt is announced ahead: ${wait} ms`);
    }
    assert.ok(retries[1].nextRetryAt - retries[1].at > retries[0].nextRetryAt - retries[0].at, 'the second wait is announced longer than the first');
    assert.deepEqual(entry()?.retry, { attempt: retries.at(-1)?.attempt, nextRetryAt: retries.at(-1)?.nextRetryAt }, 'ChatSessions shows the last one');
    relay.up = true;
    await until(() => bob.state === 'online', RETRY_WAIT_MS, 'bob online again');
    const [first, second, third] = relay.attempts.slice(signedInAttempts);
    const waits = [first - cutAt, second - first, third - second];
    assert.ok(waits[1] >= 1.5 * waits[0] && waits[2] >= 1.5 * waits[1], `each wait longer than the one before: ${waits.join(', ')} ms`);
    assert.deepEqual({ lostAt: entry()?.lostAt, retry: entry()?.retry }, { lostAt: undefined, retry: undefined }, 'back online: nothing lost any more');
    // A new session is in no room: it joins them again.
    await until(() => joins.count() === joinsBefore + 1 && inRoom(info, bob, joins.dialogId), WAIT_MS, 'bob back in the demo group\'s room');
  });
});

describe('client: an additional user whose dropped stream is resumed (XEP-0198)', function () {
  this.timeout(30_000);
  let world: ReconnectWorld;

  before(async () => {
    // The server's default: a dropped session stays resumable for 5 minutes.
    world = await reconnectWorld({});
  });

  after(async () => {
    await world?.close();
  });

  it('goes online again on the resumed stream, and messages cross at once, none lost or doubled', async () => {
    const { relay, sessions, bob, info } = world;
    const aliceService = sessions.primary;
    const joins = demoGroupJoins(world);
    await until(() => inRoom(info, bob, joins.dialogId), WAIT_MS, 'bob in the demo group\'s room');
    const joinsBefore = joins.count();
    const dialog = aliceService.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.me?.id ?? 0));
    assert.ok(dialog, 'the demo private dialog of alice and bob');
    const toBob = collectMessages(bob);
    const toAlice = collectMessages(aliceService);
    const bobRecords = bob.stanzas().length;

    relay.cut();
    await until(() => bob.state === 'reconnecting', WAIT_MS, 'bob reconnecting');
    // While Bob is away the server keeps what is sent to him for the resumed stream.
    const whileAway = await aliceService.sendMessage(dialog._id, 'sent while bob was away');
    relay.up = true;
    await until(() => bob.state === 'online', RETRY_WAIT_MS, 'bob online again');
    const resumed = bob.stanzas().slice(bobRecords).some((r) => r.direction === 'in' && r.xml.startsWith('<resumed') && r.xml.includes(NS.sm));
    assert.ok(resumed, 'the stream was resumed, not a new session');

    const rightAfter = await bob.sendMessage(dialog._id, 'sent right after resuming');
    await until(() => toAlice.some((m) => m._id === rightAfter._id) && toBob.some((m) => m._id === whileAway._id), WAIT_MS, 'both messages across');
    // Any duplicate would come with the next stanzas: one more round trip settles them.
    const probe = await aliceService.sendMessage(dialog._id, 'probe');
    await until(() => toBob.some((m) => m._id === probe._id), WAIT_MS, 'the probe at bob');
    assert.deepEqual(toBob.filter((m) => m.sender_id !== bob.me?.id).map((m) => m.message), ['sent while bob was away', 'probe'], 'bob got each once');
    assert.deepEqual(toAlice.filter((m) => m.sender_id === bob.me?.id).map((m) => m.message), ['sent right after resuming'], 'alice got it once');
    const history = await aliceService.loadMessages(dialog._id, { limit: 10, markAsRead: false });
    for (const sent of [whileAway, rightAfter]) assert.equal(history.filter((m) => m._id === sent._id).length, 1, `"${sent.message}" stored once`);
    assert.equal(joins.count(), joinsBefore, 'the resumed session is still in its rooms: no join again');
  });
});
