// One user's XMPP connection on @xmpp/client: connects as `<userId>-<appId>@<domain>`, fetches
// the roster and sends `<presence/>` (the QuickBlox SDK's post-auth sequence, spec §7.3), reports
// its state, reconnects with backoff (reporting each failed attempt) and reports every stanza both
// ways as a StanzaRecord. A dropped stream that the server kept resumable (XEP-0198) comes back with
// its presence and rooms; any other reconnect is a new session (`online` says which).
//
// Stanzas are captured from the 'element' (in) and 'send' (out) events. xmpp.js 0.14 has no raw
// 'input'/'output' events any more (its own @xmpp/debug hooks the same two events), and parsed
// elements give exactly one record per stanza whatever the TCP chunking was. The price: the XML
// is re-serialized (attribute quoting may differ from the wire; the stream header is not shown).
import { client, type Client, type CredentialsHandler } from '@xmpp/client';
import { xml, type Element } from '@xmpp/xml';
import { chatStanza } from './outgoingMessage';
import type { QBAttachment } from '../shared/models';
import { userJid } from '../shared/jid';
import type { Logger } from '../shared/logger';
import type { ConnectionState, StanzaRecord } from '../shared/protocol';
import { NS } from '../shared/stanza';
import type { Disposable, Listener, ReconnectRetry } from './contracts';
import { TypedEmitter } from './events';
import { SequenceCounter, stanzaRecord } from './stanzaRecord';
import { errorMessage } from '../shared/errors';

export interface XmppSessionOptions {
  /** `xmpp://host:port`, `xmpps://…`, `ws://…/ws` or `wss://…`. */
  service: string;
  domain: string;
  userId: number;
  appId: number;
  /**
   * The chat password, asked for at every authentication (reconnects included): the QuickBlox
   * session token, which may have expired and been renewed since the last one, or the user's
   * password (the server accepts either).
   */
  password: () => Promise<string>;
  logger: Logger;
  /** Bound on connecting and on each iq; default 15 s. */
  timeoutMs?: number;
  /** Longest wait between reconnect attempts; default 30 s (1 s, 2 s, 4 s … up to this). */
  maxReconnectDelayMs?: number;
  /** Shared numbering, so records keep increasing across reconnects and new sessions. */
  sequence?: SequenceCounter;
}

export interface XmppSessionEvents {
  state: [state: ConnectionState, detail?: string];
  stanza: [record: StanzaRecord];
  /** Every received `<message>` stanza; the listener decides which ones are chat. */
  message: [element: Element];
  /** Every received `<presence>` stanza (rooms answer joins and report removals with them). */
  presence: [element: Element];
  /**
   * The session can chat (again), after the state went 'online'. `resumed`: the dropped stream was
   * resumed, so presence and joined rooms are as they were; otherwise this is a new session.
   */
  online: [resumed: boolean];
  /** A reconnect attempt failed; the next one starts at `nextRetryAt`. */
  retry: [retry: ReconnectRetry];
}

export interface OutgoingChat {
  /** Stanza id; QuickBlox clients use a new ObjectId. */
  id: string;
  body: string;
  extraParams: Record<string, string | number>;
  attachments?: QBAttachment[];
  /** Ask for delivered/read markers; default true, as the conversation panel sends. */
  markable?: boolean;
}

const FIRST_RECONNECT_DELAY_MS = 1000;

export class XmppSession {
  /** The bare JID, which is also the `connection` of every record. */
  readonly connection: string;
  private readonly events: TypedEmitter<XmppSessionEvents>;
  private readonly xmpp: Client;
  private readonly sequence: SequenceCounter;
  private readonly timeoutMs: number;
  private currentState: ConnectionState = 'offline';
  private wasOnline = false;
  private stopping = false;
  /** Reconnect attempts since the connection was lost; 0 while online. */
  private attempts = 0;

  constructor(private readonly options: XmppSessionOptions) {
    this.connection = userJid(options.userId, options.appId, options.domain);
    this.sequence = options.sequence ?? new SequenceCounter();
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.events = new TypedEmitter((error, event) => options.logger.error(`xmpp ${String(event)} listener failed: ${String(error)}`));
    this.xmpp = client({
      service: options.service,
      domain: options.domain,
      username: `${options.userId}-${options.appId}`,
      credentials: this.authenticate,
      timeout: Math.min(this.timeoutMs, 5000),
    });
    this.wire();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  on<E extends keyof XmppSessionEvents>(event: E, listener: Listener<XmppSessionEvents[E]>): Disposable {
    return this.events.on(event, listener);
  }

  /** Resolves once online with roster fetched and presence sent; on failure stops and rejects. */
  async start(): Promise<void> {
    this.setState('connecting');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no XMPP session with ${this.options.service} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.xmpp.start(), timeout]);
      // 'online' already ran afterOnline for a reconnect; the first time we wait for it here so
      // that start() resolves only when the session can actually chat.
      await Promise.race([this.afterOnline(), timeout]);
    } catch (error) {
      const detail = errorMessage(error);
      // Without this the library's reconnect would keep retrying a connection the caller gave up on.
      await this.shutdown();
      this.setState('error', detail);
      throw new Error(`XMPP connection to ${this.options.service} as ${this.connection} failed: ${detail}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends a chat message shaped like the SDK's: `chat` to a user's bare JID (spec §7.5), or
   * `groupchat` to a joined room's (spec §7.9).
   */
  async sendChat(to: string, type: 'chat' | 'groupchat', chat: OutgoingChat): Promise<Element> {
    const message = chatStanza({ ...chat, to, type, markable: chat.markable ?? true });
    await this.send(message);
    return message;
  }

  /** Sends any stanza on the session (recorded like every other); refused unless online. */
  async send(stanza: Element): Promise<void> {
    if (this.currentState !== 'online') throw new Error(`chat is ${this.currentState}; reconnect before sending`);
    await this.xmpp.send(stanza);
  }

  /** Closes the stream for good (no reconnect); listeners stay until their Disposables go. */
  async stop(): Promise<void> {
    await this.shutdown();
    this.setState('offline');
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.xmpp.reconnect.stop();
    if (this.xmpp.status === 'offline') return;
    try {
      await this.xmpp.stop();
    } catch (error) {
      this.options.logger.debug(`xmpp stop: ${String(error)}`);
    }
  }

  private wire(): void {
    const { xmpp, options } = this;
    xmpp.on('element', (element) => this.record(element, 'in'));
    xmpp.on('send', (element) => this.record(element, 'out'));
    xmpp.on('stanza', (element) => {
      if (element.is('message')) this.events.emit('message', element);
      else if (element.is('presence')) this.events.emit('presence', element);
    });
    xmpp.on('error', (error) => {
      options.logger.warn(`xmpp ${this.connection}: ${error.message}`);
      if (this.wasOnline && !this.stopping) this.setState('reconnecting', error.message);
    });
    xmpp.on('status', (status) => {
      options.logger.debug(`xmpp ${this.connection}: ${status}`);
      if (status !== 'disconnect' || !this.wasOnline || this.stopping) return;
      this.setState('reconnecting');
      // The library schedules the next attempt after `delay` (doubled as this attempt started).
      if (this.attempts > 0) this.events.emit('retry', { attempt: this.attempts, nextRetryAt: Date.now() + xmpp.reconnect.delay });
    });
    xmpp.on('online', () => {
      this.backOnline();
      if (this.wasOnline) {
        this.afterOnline().catch((error: unknown) => options.logger.warn(`xmpp after reconnect: ${String(error)}`));
      }
    });
    // A resumed stream goes online without an 'online' event: without this the state would stay
    // 'reconnecting' and every send would be refused.
    xmpp.streamManagement.on('resumed', () => {
      if (this.stopping) return;
      this.backOnline();
      this.setState('online');
      this.events.emit('online', true);
    });
    // The library retries after a fixed `delay`; doubling it on each attempt gives the backoff.
    xmpp.reconnect.delay = FIRST_RECONNECT_DELAY_MS;
    xmpp.reconnect.on('reconnecting', () => {
      this.attempts++;
      xmpp.reconnect.delay = Math.min(xmpp.reconnect.delay * 2, options.maxReconnectDelayMs ?? 30_000);
    });
  }

  private backOnline(): void {
    this.xmpp.reconnect.delay = FIRST_RECONNECT_DELAY_MS;
    this.attempts = 0;
  }

  /** Roster then presence, as the SDK does; a roster failure is logged, not fatal. */
  private async afterOnline(): Promise<void> {
    try {
      await this.xmpp.iqCaller.get(xml('query', { xmlns: NS.roster }), undefined, this.timeoutMs);
    } catch (error) {
      this.options.logger.warn(`xmpp roster: ${String(error)}`);
    }
    await this.xmpp.send(xml('presence'));
    this.wasOnline = true;
    this.setState('online');
    this.events.emit('online', false);
  }

  private record(element: Element, direction: StanzaRecord['direction']): void {
    this.events.emit('stanza', stanzaRecord(element, direction, this.connection, this.sequence.next()));
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.currentState && detail === undefined) return;
    this.currentState = state;
    this.events.emit('state', state, detail);
  }

  /**
   * xmpp.js refuses PLAIN on an unencrypted stream. QuickBlox offers PLAIN only, because the
   * "password" may be a session token that no SCRAM exchange could verify; so PLAIN is used when
   * the stream is TLS or the server is on this machine (the local server), and never in the clear
   * to another host.
   */
  private readonly authenticate: CredentialsHandler = async (authenticate, mechanisms, _fast, entity) => {
    const plainAllowed = entity.isSecure() || isLoopbackService(this.options.service);
    const mechanism = plainAllowed && mechanisms.includes('PLAIN') ? 'PLAIN' : mechanisms.find((m) => m !== 'PLAIN');
    if (!mechanism) {
      throw new Error(`${this.options.service} offers only PLAIN over an unencrypted connection; use xmpps:// or wss://`);
    }
    const password = await this.options.password();
    await authenticate({ username: `${this.options.userId}-${this.options.appId}`, password }, mechanism);
  };
}

export function isLoopbackService(service: string): boolean {
  let host: string;
  try {
    host = new URL(service).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
