// One client connection's XMPP stream (RFC 6120 §4–7), the same for TCP and WebSocket: the transport
// turns bytes or frames into stream events, this class decides what they mean. States, in order:
//   awaiting-open → pre-auth (SASL, ⇄ authenticating) → awaiting-restart → post-auth (bind) → bound (routed) → closed
// Being the one place every element of both transports passes through, it also contains handler
// failures: a bug answers one stanza with <internal-server-error/> instead of ending the stream.
// Session establishment (RFC 3921 `<session/>`) is answered here too, because the SDK only sends it
// when the stream features advertise it, and features are this class's job.
// Top-level elements that are not stanzas ("nonzas": XEP-0198 <r/>, XEP-0352 <active/>) go to the
// NonzaHandler registered for their namespace; stream management can keep a bound session alive
// after its connection drops (state `hibernating`) and move it to a new stream, which is why the
// session's send path goes through a SessionLink rather than straight to this stream.
import { randomBytes } from 'node:crypto';
import { xml, type Element } from '@xmpp/xml';
import { userJid } from '../../shared/jid';
import type { Logger } from '../../shared/logger';
import { NS } from '../../shared/stanza';
import type { ChatStore } from '../store/chatStore';
import { isAnswerable, stanzaError, streamError, type StreamErrorCondition } from './errors';
import { TokenBucket, type XmppLimits } from './limits';
import type { Router, Session } from './router';
import { authenticatePlain, type SaslOutcome } from './sasl';

/** What a transport offers the stream: framing of the header, elements and the close. */
export interface Framing {
  readonly kind: 'tcp' | 'websocket';
  /** Answers the client's stream header (`<stream:stream>` on TCP, `<open/>` on WebSocket). */
  open(id: string, from: string): void;
  /** Sends one top-level element (stanza, features, SASL or stream error). */
  send(element: Element): void;
  /** SASL success restarts the stream (RFC 6120 §6.4.6): TCP needs a fresh parser, WebSocket frames stand alone. */
  restart(): void;
  /** Sends the closing tag (`</stream:stream>` or `<close/>`) and ends the connection. */
  close(): void;
}

export interface StreamContext {
  router: Router;
  store: ChatStore;
  domain: string;
  appId: number;
  logger: Logger;
  limits: XmppLimits;
  /** Handlers of top-level non-stanza elements, by namespace. */
  nonzas: ReadonlyMap<string, NonzaHandler>;
}

export interface NonzaModuleContext {
  router: Router;
  limits: XmppLimits;
  logger: Logger;
}

/** A stream module (modules/sm.ts, modules/csi.ts): creates the handler of its namespace's nonzas. */
export type NonzaModule = (ctx: NonzaModuleContext) => NonzaHandler;

/** The top-level non-stanza elements ("nonzas") of one namespace. */
export interface NonzaHandler {
  readonly xmlns: string;
  /** Stream feature advertised after authentication, next to bind. */
  readonly feature: Element;
  /** One of its nonzas, on an authenticated stream (before or after bind). */
  handle(stream: XmppStream, element: Element): void;
  /** The server is shutting down: end what it keeps beyond streams (hibernating sessions, timers). */
  close?(): void;
}

/** XEP-0198 as the stream sees it: counts what comes in, keeps what goes out until acknowledged. */
export interface AckTracker {
  /** A stanza arrived from the client. */
  inbound(): void;
  /** A stanza went (or, while hibernating, would have gone) to the client. */
  outbound(stanza: Element): void;
  /** The connection dropped; true when the session hibernates instead of ending. */
  disconnected(): boolean;
  /** The session ended for good (not resumed). */
  ended(): void;
}

/** XEP-0352 as the stream sees it: true when it holds the stanza back for later. */
export interface OutboundFilter {
  hold(stanza: Element): boolean;
}

/** A bound session and what is attached to it; a resumed session's link moves to the new stream. */
export interface SessionLink {
  stream: XmppStream;
  readonly session: Session;
  tracker?: AckTracker;
  filter?: OutboundFilter;
}

type State =
  | 'awaiting-open'
  | 'pre-auth'
  | 'authenticating'
  | 'awaiting-restart'
  | 'post-auth'
  | 'bound'
  | 'hibernating'
  | 'closed';

const STANZAS = new Set(['message', 'presence', 'iq']);

type AuthFailure = Extract<SaslOutcome, { ok: false }> | { ok: false; condition: 'invalid-mechanism'; text?: undefined };

export class XmppStream {
  readonly id = randomBytes(8).toString('hex');
  private state: State = 'awaiting-open';
  private opened = false;
  private userId = 0;
  private link: SessionLink | undefined;
  private authFailures = 0;
  private readonly preAuthTimer: NodeJS.Timeout;
  /** Created at authentication: only authenticated streams can route, so only they are rate-limited. */
  private bucket: TokenBucket | undefined;
  /** Elements refused in a row for the rate; reset by the next one that passes. */
  private rateViolations = 0;

  constructor(
    private readonly framing: Framing,
    private readonly ctx: StreamContext,
  ) {
    // Connections are cheap to open and hold: one that never authenticates must not stay forever.
    this.preAuthTimer = setTimeout(
      () => this.fail('connection-timeout', `Not authenticated and bound to a resource within ${Math.round(ctx.limits.preAuthTimeoutMs / 1000)} s`),
      ctx.limits.preAuthTimeoutMs,
    );
    // The timer alone must not keep the process alive (the stream is ended on shutdown anyway).
    this.preAuthTimer.unref();
  }

  /** Full JID once bound, else the stream id; for logs and the debug hook. */
  get label(): string {
    return this.link?.session.jid ?? `${this.framing.kind}:${this.id}`;
  }

  /** True once the connection is of no more use: ended, or hibernating without one. */
  get closed(): boolean {
    return this.state === 'closed' || this.state === 'hibernating';
  }

  /** The authenticated user, once SASL succeeded (0 before). */
  get user(): number {
    return this.state === 'post-auth' || this.state === 'bound' ? this.userId : 0;
  }

  /** The bound session with what is attached to it; undefined before bind. */
  get sessionLink(): SessionLink | undefined {
    return this.state === 'bound' || this.state === 'hibernating' ? this.link : undefined;
  }

  /** The client's stream header; `attrs` are its attributes (`to`, `version`, …). */
  onOpen(attrs: Record<string, string | undefined>): void {
    if (this.state !== 'awaiting-open' && this.state !== 'awaiting-restart') return this.fail('bad-format', 'Unexpected stream restart');
    this.framing.open(this.id, this.ctx.domain);
    this.opened = true;
    if (attrs.to !== undefined && attrs.to !== this.ctx.domain) return this.fail('host-unknown', `This server serves ${this.ctx.domain}`);
    if (!attrs.version?.startsWith('1.')) return this.fail('unsupported-version', 'Stream version 1.0 is required');
    if (this.state === 'awaiting-open') {
      this.state = 'pre-auth';
      this.framing.send(features(xml('mechanisms', { xmlns: NS.sasl }, xml('mechanism', {}, 'PLAIN'))));
    } else {
      this.state = 'post-auth';
      const extensions = [...this.ctx.nonzas.values()].map((handler) => handler.feature);
      this.framing.send(features(xml('bind', { xmlns: NS.bind }), xml('session', { xmlns: NS.session }), ...extensions));
    }
  }

  onElement(element: Element): void {
    try {
      this.handleElement(element);
    } catch (error) {
      this.internalError(element, error);
    }
  }

  private handleElement(element: Element): void {
    switch (this.state) {
      case 'awaiting-open':
        return this.fail('bad-format', 'The stream has not been opened');
      case 'pre-auth':
        if (element.is('auth', NS.sasl)) return this.authenticate(element);
        return this.fail('not-authorized', 'Authenticate first');
      case 'authenticating':
        // RFC 6120 §6.4.2: nothing but the SASL exchange until its outcome.
        return this.fail('not-authorized', 'Wait for the authentication result');
      case 'awaiting-restart':
        return this.fail('not-authorized', 'Restart the stream after authenticating');
      case 'post-auth':
        if (!this.withinRate()) return;
        if (element.name === 'iq' && element.attrs.type === 'set' && element.getChild('bind', NS.bind)) return this.bind(element);
        if (!STANZAS.has(element.name)) return this.handleNonza(element);
        return this.fail('not-authorized', 'Bind a resource first');
      case 'bound':
        if (STANZAS.has(element.name)) return this.handleStanza(element);
        if (!this.withinRate()) return;
        return this.handleNonza(element);
      case 'hibernating':
      case 'closed':
        return;
    }
  }

  /** The client closed its stream: answer with ours (RFC 6120 §4.4). */
  onClose(): void {
    if (this.state === 'closed') return;
    this.ctx.logger.debug(`xmpp ${this.label} closed its stream`);
    this.end();
    this.framing.close();
  }

  /** The connection is gone (or about to be); idempotent. A session with resumable stream management hibernates. */
  onDisconnect(): void {
    if (this.state === 'bound' && this.link?.tracker?.disconnected()) {
      this.state = 'hibernating';
      this.ctx.logger.debug(`xmpp ${this.label} hibernating`);
      return;
    }
    this.end();
  }

  /** A hibernating session that was not resumed in time ends for good. */
  expire(): void {
    if (this.state === 'hibernating') this.end();
  }

  /** Closes the connection of a bound stream whose client stopped answering; the session may hibernate. */
  dropConnection(reason: string): void {
    if (this.state !== 'bound') return;
    this.ctx.logger.debug(`xmpp ${this.label} connection dropped: ${reason}`);
    this.framing.close();
  }

  /**
   * XEP-0198 resumption: this freshly authenticated stream takes over `previous`'s session (hibernating,
   * or still connected when the client noticed the drop first). Returns false when it cannot.
   */
  resume(previous: XmppStream): boolean {
    const link = previous.link;
    if (this.state !== 'post-auth' || !link || previous.userId !== this.userId) return false;
    if (previous.state !== 'bound' && previous.state !== 'hibernating') return false;
    const wasConnected = previous.state === 'bound';
    // Retire the old stream without ending the session: that is what moves here.
    previous.state = 'closed';
    previous.link = undefined;
    if (wasConnected) previous.framing.close();
    link.stream = this;
    this.link = link;
    this.state = 'bound';
    clearTimeout(this.preAuthTimer);
    this.ctx.logger.debug(`xmpp ${this.framing.kind} stream ${this.id} resumed ${link.session.jid}`);
    return true;
  }

  /** Sends a nonza (XEP-0198 <a/>, <enabled/>…): not a stanza, so never counted, filtered or queued. */
  sendNonza(element: Element): void {
    if (this.state === 'post-auth' || this.state === 'bound') this.framing.send(element);
  }

  /**
   * Sends a stanza to the client of a bound session: past the CSI filter (unless `unfiltered`) and
   * the XEP-0198 queue; while hibernating it is only queued.
   */
  deliver(stanza: Element, unfiltered = false): void {
    const link = this.link;
    if (!link || (this.state !== 'bound' && this.state !== 'hibernating')) return;
    if (!unfiltered && link.filter?.hold(stanza)) return;
    if (this.state === 'bound') this.framing.send(stanza);
    link.tracker?.outbound(stanza);
  }

  /** Ends the stream with a stream error (RFC 6120 §4.9), opening it first if the client never got a header. */
  fail(condition: StreamErrorCondition, text?: string): void {
    if (this.state === 'closed') return;
    this.ctx.logger.debug(`xmpp ${this.label} stream error ${condition}${text ? `: ${text}` : ''}`);
    if (!this.opened) {
      this.framing.open(this.id, this.ctx.domain);
      this.opened = true;
    }
    this.framing.send(streamError(condition, text));
    this.end();
    this.framing.close();
  }

  /** A reply to the client's own stanza: never held back, but counted by stream management. */
  private send(element: Element): void {
    if (this.link) this.deliver(element, true);
    else if (this.state !== 'closed') this.framing.send(element);
  }

  /** A handler threw: answer what can be answered, log it, and keep the stream (and the process) alive. */
  private internalError(element: Element, error: unknown): void {
    this.ctx.logger.error(error instanceof Error ? error : String(error));
    const session = this.link?.session;
    if (this.state !== 'bound' || !session) return this.fail('internal-server-error', 'The server failed; it logged why');
    if (!isAnswerable(element)) return;
    element.attrs.from = session.jid;
    this.send(stanzaError(element, 'internal-server-error', 'The server failed to handle this stanza; it logged why'));
    this.ctx.router.report(session, element, 'rejected', 'internal-server-error');
  }

  private authenticate(auth: Element): void {
    const mechanism = auth.attrs.mechanism ?? '?';
    if (mechanism !== 'PLAIN') return this.authFailed(mechanism, { ok: false, condition: 'invalid-mechanism' });
    this.state = 'authenticating';
    authenticatePlain(auth.getText(), this.ctx)
      .then((outcome) => {
        // The connection may have gone (or timed out) while the password was being checked.
        if (this.state !== 'authenticating') return;
        if (!outcome.ok) return this.authFailed(mechanism, outcome);
        this.userId = outcome.userId;
        this.bucket = new TokenBucket(this.ctx.limits.stanzaRatePerSecond, this.ctx.limits.stanzaBurst);
        this.state = 'awaiting-restart';
        this.framing.send(xml('success', { xmlns: NS.sasl }));
        this.framing.restart();
      })
      .catch((error: unknown) => {
        this.ctx.logger.error(error instanceof Error ? error : String(error));
        this.fail('internal-server-error', 'Authentication failed on the server; it logged why');
      });
  }

  private authFailed(mechanism: string, outcome: AuthFailure): void {
    this.ctx.logger.debug(`xmpp ${this.label} SASL ${mechanism} failed: ${outcome.condition}`);
    this.state = 'pre-auth';
    this.framing.send(
      xml('failure', { xmlns: NS.sasl }, xml(outcome.condition), outcome.text ? xml('text', { 'xml:lang': 'en' }, outcome.text) : undefined),
    );
    const max = this.ctx.limits.maxAuthFailures;
    if (++this.authFailures >= max) this.fail('policy-violation', `${max} failed authentication attempts`);
  }

  private bind(iq: Element): void {
    const requested = iq.getChild('bind', NS.bind)?.getChildText('resource')?.trim();
    // RFC 7622 resourcepart: 1–1023 bytes, no control characters.
    if (requested && (Buffer.byteLength(requested) > 1023 || /[\u0000-\u001f\u007f]/.test(requested))) {
      this.send(stanzaError(iq, 'bad-request', 'Invalid resource'));
      return;
    }
    const resource = requested || randomBytes(6).toString('hex');
    const bare = userJid(this.userId, this.ctx.appId, this.ctx.domain);
    // The closures go through the link: after a resumption they reach the new stream.
    const session: Session = {
      id: this.id,
      userId: this.userId,
      jid: `${bare}/${resource}`,
      bareJid: bare,
      resource,
      available: false,
      send: (element) => link.stream.deliver(element),
      fail: (condition, text) => link.stream.fail(condition, text),
    };
    const link: SessionLink = { stream: this, session };
    this.link = link;
    this.state = 'bound';
    // Only a bound stream is a session: an authenticated one that never binds would hold a connection.
    clearTimeout(this.preAuthTimer);
    // RFC 6120 §7.7.2.2: a newer connection with the same resource replaces the older one.
    this.ctx.router.bind(session)?.fail('conflict', 'Replaced by a new connection with the same resource');
    this.ctx.logger.debug(`xmpp ${this.framing.kind} stream ${this.id} bound ${session.jid}`);
    this.send(xml('iq', { type: 'result', id: iq.attrs.id }, xml('bind', { xmlns: NS.bind }, xml('jid', {}, session.jid))));
  }

  private handleStanza(element: Element): void {
    const link = this.link;
    if (!link) return;
    const { session } = link;
    // XEP-0198 counts every stanza received, including those answered with an error below.
    link.tracker?.inbound();
    const ns = element.getNS();
    if (ns !== undefined && ns !== NS.client) return this.fail('invalid-namespace', `Stanzas are in ${NS.client}, not ${ns}`);
    if (!this.withinRate()) {
      element.attrs.from = session.jid;
      if (isAnswerable(element)) this.send(stanzaError(element, 'resource-constraint', 'Too many stanzas; slow down', this.ctx.domain));
      this.ctx.router.report(session, element, 'rejected', 'resource-constraint: stanza rate limit');
      return;
    }
    if (element.name === 'iq' && element.attrs.type === 'set' && element.getChild('session', NS.session)) {
      // Legacy session establishment is a no-op since RFC 6121, but clients wait for the result.
      element.attrs.from = session.jid;
      this.ctx.router.reply({ session, stanza: element, target: 'host', to: this.ctx.domain });
      return;
    }
    this.ctx.router.dispatch(session, element);
  }

  private handleNonza(element: Element): void {
    const handler = this.ctx.nonzas.get(element.getNS() ?? '');
    if (!handler) return this.fail('unsupported-stanza-type', `<${element.name}/> is not a stanza`);
    handler.handle(this, element);
  }

  /**
   * The per-stream token bucket: false when this element is over the rate. A client that keeps
   * sending into an empty bucket is not slowing down, and its stream ends with <policy-violation/>.
   */
  private withinRate(): boolean {
    if (!this.bucket || this.bucket.take()) {
      this.rateViolations = 0;
      return true;
    }
    if (++this.rateViolations > this.ctx.limits.maxRateViolations) {
      this.fail('policy-violation', `More than ${this.ctx.limits.stanzaRatePerSecond} stanzas per second`);
    }
    return false;
  }

  private end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.preAuthTimer);
    const link = this.link;
    if (link) {
      link.session.available = false;
      this.ctx.router.unbind(link.session);
      link.tracker?.ended();
    }
  }
}

function features(...children: Element[]): Element {
  return xml('stream:features', {}, ...children);
}
