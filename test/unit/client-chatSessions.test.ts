import * as assert from 'node:assert/strict';
import { ChatSessions, type SessionServiceOptions } from '../../src/client/chatSessions';
import type { ChatServiceApi, ChatServiceEvents, ConnectionTarget, Disposable, Listener } from '../../src/client/contracts';
import { TypedEmitter } from '../../src/client/events';
import type { QBDialog, QBUser } from '../../src/shared/models';
import type { ConnectionState, ServerDecision, StanzaRecord } from '../../src/shared/protocol';

/** Logins the fake server knows, with their user ids; any other login is refused. */
const USERS: Record<string, number> = { alice: 1, bob: 2, carol: 3, 'bob@example.com': 2 };

/**
 * The part of ChatService that ChatSessions uses, in memory: connect signs in when the login is
 * known (after `gate`, so a test can act while it is under way), records one stanza per send.
 */
class FakeService {
  readonly events = new TypedEmitter<ChatServiceEvents>();
  state: ConnectionState = 'offline';
  me: QBUser | undefined;
  dialogs: QBDialog[] = [];
  disposed = false;
  records: StanzaRecord[] = [];
  sent: { xml: string; connection?: string }[] = [];

  constructor(
    readonly options: SessionServiceOptions,
    /** Connect waits for this before it signs in. */
    private readonly gate: Promise<void>,
    private readonly appId = 7,
  ) {}

  on<E extends keyof ChatServiceEvents>(event: E, listener: Listener<ChatServiceEvents[E]>): Disposable {
    return this.events.on(event, listener);
  }

  async connect(target: ConnectionTarget): Promise<void> {
    this.setState('connecting');
    await this.gate;
    if (this.disposed) throw new Error('connect was superseded by another connect or disconnect');
    const id = USERS[target.login];
    if (id === undefined) {
      this.setState('error', 'unauthorized');
      throw new Error(`no user ${target.login}`);
    }
    this.me = { id, login: target.login } as QBUser;
    this.setState('online');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.setState('offline');
    this.events.clear();
  }

  connections(): string[] {
    return this.state === 'online' && this.me ? [`${this.me.id}-${this.appId}@localhost`] : [];
  }

  async sendRawStanza(xml: string, connection?: string): Promise<void> {
    this.sent.push({ xml, connection });
  }

  record(xml: string): StanzaRecord {
    const record: StanzaRecord = { seq: this.options.sequence.next(), time: 0, direction: 'out', connection: this.connections()[0] ?? '', kind: 'message', xml };
    this.records.push(record);
    this.events.emit('stanza', record);
    return record;
  }

  stanzas(): StanzaRecord[] {
    return [...this.records];
  }

  clearStanzas(): void {
    this.records = [];
  }

  decisions(): ServerDecision[] {
    return [];
  }

  get decisionStreamLive(): boolean {
    return this.options.followDecisions;
  }

  setState(state: ConnectionState, detail?: string): void {
    this.state = state;
    this.events.emit('state', state, detail);
  }
}

function target(login: string): ConnectionTarget {
  return { apiEndpoint: 'http://127.0.0.1:1/', chatService: 'xmpp://127.0.0.1:2', chatDomain: 'localhost', appId: 7, login, password: `${login}-pass` };
}

describe('client: ChatSessions', () => {
  let created: FakeService[];
  let sessions: ChatSessions;
  let clock: number;
  /** What the next service's connect waits for. */
  let nextGate: Promise<void>;

  beforeEach(async () => {
    created = [];
    clock = 1000;
    nextGate = Promise.resolve();
    sessions = new ChatSessions(
      (options) => {
        const service = new FakeService(options, nextGate);
        nextGate = Promise.resolve();
        created.push(service);
        return service as unknown as ChatServiceApi;
      },
      { now: () => clock },
    );
    await sessions.primary.connect(target('alice'));
  });

  afterEach(async () => {
    await sessions.dispose();
  });

  it('builds every service on one sequence, and only the primary follows decisions', async () => {
    await sessions.add(target('bob'));
    assert.equal(created.length, 2);
    assert.equal(created[0].options.sequence, created[1].options.sequence, 'one counter for all');
    assert.deepEqual(created.map((s) => s.options.followDecisions), [true, false]);
    assert.equal(sessions.decisionStreamLive, true, 'the primary\'s stream');
  });

  it('lists the primary first, then additional users with their ids and states', async () => {
    const bob = created.length;
    const adding = sessions.add(target('bob'));
    assert.deepEqual(
      sessions.list().map((e) => ({ primary: e.primary, login: e.login, userId: e.userId, state: e.state })),
      [
        { primary: true, login: 'alice', userId: 1, state: 'online' },
        { primary: false, login: 'bob', userId: undefined, state: 'connecting' },
      ],
      'bob is listed while he signs in, by the login he signs in with',
    );
    await adding;
    assert.equal(sessions.list()[1].userId, 2);
    assert.equal(sessions.list()[1].state, 'online');
    assert.equal(sessions.list()[1].service, created[bob] as unknown as ChatServiceApi);
  });

  it('finds the service acting as a user: the primary for undefined, nothing for a stranger', async () => {
    const bob = await sessions.add(target('bob'));
    assert.equal(sessions.serviceFor(undefined), sessions.primary);
    assert.equal(sessions.serviceFor(1), sessions.primary);
    assert.equal(sessions.serviceFor(2), bob);
    assert.equal(sessions.serviceFor(3), undefined);
  });

  it('fires onDidChange for sign in, state changes and sign out', async () => {
    let changes = 0;
    const subscription = sessions.onDidChange(() => changes++);
    const bob = await sessions.add(target('bob'));
    assert.ok(changes >= 2, 'listed, then connecting and online');
    const before = changes;
    created[1].setState('reconnecting', 'read ECONNRESET');
    assert.equal(changes, before + 1);
    assert.ok(bob);
    await sessions.remove(bob);
    assert.equal(changes, before + 2, 'removed (the disposed service\'s own events no longer count)');
    subscription.dispose();
  });

  it('notes when a connection was lost while it reconnects, and forgets it once back', async () => {
    clock = 5000;
    created[0].setState('reconnecting');
    clock = 9000;
    created[0].setState('reconnecting', 'connect ECONNREFUSED');
    assert.deepEqual({ lostAt: sessions.list()[0].lostAt, detail: sessions.list()[0].detail }, { lostAt: 5000, detail: 'connect ECONNREFUSED' });
    created[0].setState('online');
    assert.equal(sessions.list()[0].lostAt, undefined);
  });

  it('records each failed reconnect attempt of a user, tells listeners, and forgets it once back', async () => {
    let changes = 0;
    const subscription = sessions.onDidChange(() => changes++);
    created[0].setState('reconnecting', 'connect ECONNREFUSED');
    assert.equal(sessions.list()[0].retry, undefined, 'no attempt failed yet');
    created[0].events.emit('retry', { attempt: 1, nextRetryAt: 12_000 });
    created[0].events.emit('retry', { attempt: 2, nextRetryAt: 16_000 });
    assert.deepEqual(sessions.list()[0].retry, { attempt: 2, nextRetryAt: 16_000 }, 'the last one');
    assert.equal(changes, 3, 'the state change and each attempt');
    created[0].setState('online');
    assert.equal(sessions.list()[0].retry, undefined);
    subscription.dispose();
  });

  it('refuses a user already signed in, before creating anything', async () => {
    await assert.rejects(sessions.add(target('alice')), /alice is already signed in here \(the profile's user\)/);
    await sessions.add(target('bob'));
    await assert.rejects(sessions.add(target('bob')), /bob is already signed in here/);
    await assert.rejects(sessions.add(target('BOB')), /BOB is already signed in here/, 'logins ignore case, as on QuickBlox');
    assert.equal(created.length, 2, 'no service built for a refused login');
  });

  it('signs in afresh a user who could not stay signed in', async () => {
    await sessions.add(target('bob'));
    created[1].setState('error', 'unauthorized');
    await sessions.add(target('bob'));
    assert.equal(created[1].disposed, true, 'the failed session is gone');
    assert.deepEqual(sessions.list().map((e) => [e.login, e.state]), [['alice', 'online'], ['bob', 'online']]);
  });

  it('refuses a second login of an account already signed in, and keeps the first', async () => {
    await sessions.add(target('bob'));
    await assert.rejects(sessions.add(target('bob@example.com')), /bob@example.com is user 2, who is already signed in here as bob/);
    assert.deepEqual(sessions.list().map((e) => e.login), ['alice', 'bob']);
    assert.equal(created[2].disposed, true, 'the twin\'s service is disposed');
  });

  it('leaves nothing behind when a sign-in fails, and says why', async () => {
    let changes = 0;
    sessions.onDidChange(() => changes++);
    await assert.rejects(sessions.add(target('mallory')), /no user mallory/);
    assert.deepEqual(sessions.list().map((e) => e.login), ['alice']);
    assert.equal(created[1].disposed, true);
    assert.ok(changes > 0, 'the UI hears that the user came and went');
  });

  it('resolves undefined for a sign-in that was signed out while under way', async () => {
    let open: () => void = () => undefined;
    nextGate = new Promise((resolve) => (open = resolve));
    const adding = sessions.add(target('bob'));
    await sessions.removeAdditional();
    open();
    assert.equal(await adding, undefined, 'no error: the user asked for this');
    assert.deepEqual(sessions.list().map((e) => e.login), ['alice']);
    assert.equal(created[1].disposed, true);
  });

  it('removes additional users only: the primary signs out with Disconnect', async () => {
    await sessions.add(target('bob'));
    await sessions.add(target('carol'));
    await assert.rejects(sessions.remove(sessions.primary), /Disconnect signs everyone out/);
    await sessions.removeAdditional();
    assert.deepEqual(sessions.list().map((e) => e.login), ['alice']);
    assert.deepEqual(created.map((s) => s.disposed), [false, true, true]);
  });

  it('merges every user\'s stanzas by sequence, relays them live, and clears them all', async () => {
    await sessions.add(target('bob'));
    const live: number[] = [];
    sessions.on('stanza', (record) => live.push(record.seq));
    const [alice, bob] = created;
    alice.record('<message id="1"/>');
    bob.record('<message id="2"/>');
    alice.record('<message id="3"/>');
    assert.deepEqual(sessions.stanzas().map((r) => r.xml), ['<message id="1"/>', '<message id="2"/>', '<message id="3"/>']);
    assert.deepEqual(sessions.stanzas().map((r) => r.connection), ['1-7@localhost', '2-7@localhost', '1-7@localhost']);
    assert.deepEqual(live, sessions.stanzas().map((r) => r.seq));
    sessions.clearStanzas();
    assert.deepEqual(sessions.stanzas(), []);
  });

  it('relays each user\'s dialog snapshots with the service they belong to', async () => {
    const bob = await sessions.add(target('bob'));
    const seen: [ChatServiceApi, number][] = [];
    sessions.on('dialogs', (service, dialogs) => seen.push([service, dialogs.length]));
    created[1].events.emit('dialogs', [{ _id: 'd' } as QBDialog]);
    assert.deepEqual(seen, [[bob, 1]]);
  });

  it('routes raw XML to the connection it names, the primary by default, and refuses a stranger', async () => {
    await sessions.add(target('bob'));
    assert.deepEqual(sessions.connections(), ['1-7@localhost', '2-7@localhost']);
    await sessions.sendRawStanza('<presence/>');
    await sessions.sendRawStanza('<message/>', '2-7@localhost');
    assert.deepEqual(created[0].sent, [{ xml: '<presence/>', connection: undefined }]);
    assert.deepEqual(created[1].sent, [{ xml: '<message/>', connection: '2-7@localhost' }]);
    await assert.rejects(sessions.sendRawStanza('<message/>', '9-7@localhost'), /9-7@localhost is not signed in here; stanzas can go out as 1-7@localhost, 2-7@localhost/);
  });

  it('disposes every service, the primary too', async () => {
    await sessions.add(target('bob'));
    await sessions.dispose();
    assert.deepEqual(created.map((s) => s.disposed), [true, true]);
    assert.deepEqual(sessions.list(), []);
  });
});
