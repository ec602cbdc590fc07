// The signed-in users of one window: the primary ChatService (the profile's user, connected by the
// connect flow) and any number of additional ones of the same application, e.g. both ends of a
// private dialog. They share one SequenceCounter, so their stanza records merge into one log in the
// order things happened; only the primary follows the local server's decision stream, which is
// server-wide and would otherwise arrive once per user. No `vscode` import: tested in plain Node.
import { silentLogger, type Logger } from '../shared/logger';
import type { QBDialog } from '../shared/models';
import type { ConnectionState, ServerDecision, StanzaRecord } from '../shared/protocol';
import type { ChatServiceApi, ConnectionTarget, Disposable, Listener, ReconnectRetry } from './contracts';
import { TypedEmitter } from './events';
import { SequenceCounter } from './stanzaRecord';

/** What every service of the window is built with; the factory adds the rest (logger, limits). */
export interface SessionServiceOptions {
  sequence: SequenceCounter;
  followDecisions: boolean;
}

export type ChatServiceFactory = (options: SessionServiceOptions) => ChatServiceApi;

/** One signed-in user, as the UI lists it. */
export interface SessionEntry {
  readonly service: ChatServiceApi;
  readonly primary: boolean;
  /** Known once signed in. */
  readonly userId: number | undefined;
  /** The user's login: an additional user's from the start, the primary's once signed in. */
  readonly login: string | undefined;
  readonly state: ConnectionState;
  /** Why, for 'error' and 'reconnecting' (the service's words). */
  readonly detail: string | undefined;
  /** While reconnecting: when the connection was lost (unix ms). */
  readonly lostAt: number | undefined;
  /** While reconnecting: the last failed attempt and when the next starts; undefined before the first fails. */
  readonly retry: ReconnectRetry | undefined;
}

export interface ChatSessionsEvents {
  /** A user signed in or out, a state changed, or a reconnect attempt failed. */
  change: [];
  /** One user's full dialog list (a snapshot, as the service emits it). */
  dialogs: [service: ChatServiceApi, dialogs: QBDialog[]];
  /** A stanza of any user's connection. */
  stanza: [record: StanzaRecord];
  /** The local server's decisions (followed by the primary only). */
  decision: [decision: ServerDecision];
  decisionStream: [live: boolean];
}

export interface ChatSessionsOptions {
  logger?: Logger;
  /** The clock of `lostAt`; tests pass their own. */
  now?: () => number;
}

interface TrackedSession {
  readonly service: ChatServiceApi;
  readonly primary: boolean;
  /** The login an additional user signs in with; the primary's comes from the service. */
  readonly login: string | undefined;
  detail: string | undefined;
  lostAt: number | undefined;
  retry: ReconnectRetry | undefined;
  readonly subscriptions: Disposable[];
}

export class ChatSessions {
  readonly primary: ChatServiceApi;
  private readonly sequence = new SequenceCounter();
  private readonly sessions: TrackedSession[] = [];
  private readonly events: TypedEmitter<ChatSessionsEvents>;
  private readonly now: () => number;

  constructor(
    private readonly create: ChatServiceFactory,
    options: ChatSessionsOptions = {},
  ) {
    const log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.events = new TypedEmitter((error, event) => log.error(`chat sessions ${String(event)} listener failed: ${String(error)}`));
    this.primary = create({ sequence: this.sequence, followDecisions: true });
    const primary = this.track(this.primary, true, undefined);
    primary.subscriptions.push(
      this.primary.on('decision', (decision) => this.events.emit('decision', decision)),
      this.primary.on('decisionStream', (live) => this.events.emit('decisionStream', live)),
    );
  }

  list(): SessionEntry[] {
    return this.sessions.map((s) => ({
      service: s.service,
      primary: s.primary,
      userId: s.service.me?.id,
      login: s.service.me?.login ?? s.login,
      state: s.service.state,
      detail: s.detail,
      lostAt: s.lostAt,
      retry: s.retry,
    }));
  }

  /** The service acting as this user: the primary for undefined, else the one signed in as `userId`. */
  serviceFor(userId: number | undefined): ChatServiceApi | undefined {
    if (userId === undefined) return this.primary;
    return this.sessions.find((s) => s.service.me?.id === userId)?.service;
  }

  onDidChange(listener: () => void): Disposable {
    return this.events.on('change', listener);
  }

  on<E extends keyof ChatSessionsEvents>(event: E, listener: Listener<ChatSessionsEvents[E]>): Disposable {
    return this.events.on(event, listener);
  }

  /**
   * Signs in one more user. Resolves with its service once online; with undefined when it was
   * signed out (remove, removeAdditional) before it got there. A failed sign-in leaves nothing behind.
   */
  async add(target: ConnectionTarget): Promise<ChatServiceApi | undefined> {
    // QuickBlox logins ignore case. A user who could not stay signed in is signed in afresh.
    const taken = this.list().find((entry) => entry.login?.toLowerCase() === target.login.toLowerCase());
    if (taken && !taken.primary && (taken.state === 'error' || taken.state === 'offline')) await this.remove(taken.service);
    else if (taken) throw new Error(`${target.login} is already signed in here${taken.primary ? ' (the profile\'s user)' : ''}`);
    const service = this.create({ sequence: this.sequence, followDecisions: false });
    const session = this.track(service, false, target.login);
    this.events.emit('change');
    try {
      await service.connect(target);
    } catch (error) {
      if (!this.sessions.includes(session)) return undefined;
      await this.remove(service);
      throw error;
    }
    if (!this.sessions.includes(session)) return undefined;
    const me = service.me;
    const twin = this.sessions.find((s) => s !== session && me !== undefined && s.service.me?.id === me.id);
    if (twin) {
      // Another login of the same account (the server may match logins loosely): one user, one session.
      await this.remove(service);
      throw new Error(`${target.login} is user ${me?.id ?? '?'}, who is already signed in here as ${twin.service.me?.login ?? twin.login ?? 'another login'}`);
    }
    return service;
  }

  /** Signs an additional user out and forgets its service; the primary signs out with the connect flow. */
  async remove(service: ChatServiceApi): Promise<void> {
    if (service === this.primary) throw new Error('the profile\'s user cannot be removed; Disconnect signs everyone out');
    const index = this.sessions.findIndex((s) => s.service === service);
    if (index === -1) return;
    const [session] = this.sessions.splice(index, 1);
    for (const subscription of session.subscriptions.splice(0)) subscription.dispose();
    this.events.emit('change');
    await service.dispose();
  }

  /** Signs out every additional user (Disconnect, or a new connect of the primary). */
  async removeAdditional(): Promise<void> {
    await Promise.all(this.sessions.filter((s) => !s.primary).map((s) => this.remove(s.service)));
  }

  /** Every user's stanza records in one log, in the order they were recorded. */
  stanzas(): StanzaRecord[] {
    return this.sessions.flatMap((s) => s.service.stanzas()).sort((a, b) => a.seq - b.seq);
  }

  decisions(): ServerDecision[] {
    return this.primary.decisions();
  }

  get decisionStreamLive(): boolean {
    return this.primary.decisionStreamLive;
  }

  clearStanzas(): void {
    for (const s of this.sessions) s.service.clearStanzas();
  }

  /** Bare JIDs of every user's live XMPP connection. */
  connections(): string[] {
    return this.sessions.flatMap((s) => s.service.connections());
  }

  /** Raw XML from the console, sent on the connection it names (the primary's when none). */
  async sendRawStanza(xml: string, connection?: string): Promise<void> {
    if (connection === undefined) return this.primary.sendRawStanza(xml);
    const owner = this.sessions.find((s) => s.service.connections().includes(connection));
    if (!owner) {
      const live = this.connections();
      throw new Error(`${connection} is not signed in here; stanzas can go out as ${live.length > 0 ? live.join(', ') : 'nobody (connect first)'}`);
    }
    return owner.service.sendRawStanza(xml, connection);
  }

  /** Signs everyone out and disposes every service, the primary too. */
  async dispose(): Promise<void> {
    const all = this.sessions.splice(0);
    for (const s of all) for (const subscription of s.subscriptions.splice(0)) subscription.dispose();
    this.events.clear();
    await Promise.all(all.map((s) => s.service.dispose()));
  }

  private track(service: ChatServiceApi, primary: boolean, login: string | undefined): TrackedSession {
    const session: TrackedSession = { service, primary, login, detail: undefined, lostAt: undefined, retry: undefined, subscriptions: [] };
    session.subscriptions.push(
      service.on('state', (state, detail) => this.onState(session, state, detail)),
      service.on('retry', (retry) => {
        session.retry = retry;
        this.events.emit('change');
      }),
      service.on('dialogs', (dialogs) => this.events.emit('dialogs', service, dialogs)),
      service.on('stanza', (record) => this.events.emit('stanza', record)),
    );
    // The primary first, then additional users in the order they signed in.
    if (primary) this.sessions.unshift(session);
    else this.sessions.push(session);
    return session;
  }

  private onState(session: TrackedSession, state: ConnectionState, detail: string | undefined): void {
    session.detail = detail;
    if (state !== 'reconnecting') {
      session.lostAt = undefined;
      session.retry = undefined;
    } else session.lostAt ??= this.now();
    this.events.emit('change');
  }
}
