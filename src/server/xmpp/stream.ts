// One client connection's XMPP stream (RFC 6120 §4–7), the same for TCP and WebSocket: the transport
// turns bytes or frames into stream events, this class decides what they mean. States, in order:
//   awaiting-open → pre-auth (SASL, ⇄ authenticating) → awaiting-restart → post-auth (bind) → bound (routed) → closed
// Being the one place every element of both transports passes through, it also contains handler
// failures: a bug answers one stanza with <internal-server-error/> instead of ending the stream.
// Session establishment (RFC 3921 `<session/>`) is answered here too, because the SDK only sends it
// when the stream features advertise it, and features are this class's job.
import { randomBytes } from 'node:crypto';
import { xml, type Element } from '@xmpp/xml';
import { userJid } from '../../shared/jid';
import type { Logger } from '../../shared/logger';
import { NS } from '../../shared/stanza';
import type { ChatStore } from '../store/chatStore';
import { stanzaError, streamError, type StreamErrorCondition } from './errors';
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
  /** A connection that has not authenticated this long after it opened is closed with <connection-timeout/>. */
  preAuthTimeoutMs: number;
}

type State = 'awaiting-open' | 'pre-auth' | 'authenticating' | 'awaiting-restart' | 'post-auth' | 'bound' | 'closed';

const STANZAS = new Set(['message', 'presence', 'iq']);

/**
 * RFC 6120 §6.4.5 asks for a configurable number of retries between 2 and 5, after which the stream
 * ends with a stream error (SHOULD be <policy-violation/>): enough for a mistyped password, not for guessing.
 */
const MAX_AUTH_FAILURES = 3;

type AuthFailure = Extract<SaslOutcome, { ok: false }> | { ok: false; condition: 'invalid-mechanism'; text?: undefined };

export class XmppStream {
  readonly id = randomBytes(8).toString('hex');
  private state: State = 'awaiting-open';
  private opened = false;
  private userId = 0;
  private session: Session | undefined;
  private authFailures = 0;
  private readonly preAuthTimer: NodeJS.Timeout;

  constructor(
    private readonly framing: Framing,
    private readonly ctx: StreamContext,
  ) {
    // Connections are cheap to open and hold: one that never authenticates must not stay forever.
    this.preAuthTimer = setTimeout(
      () => this.fail('connection-timeout', `Not authenticated within ${Math.round(ctx.preAuthTimeoutMs / 1000)} s`),
      ctx.preAuthTimeoutMs,
    );
    // The timer alone must not keep the process alive (the stream is ended on shutdown anyway).
    this.preAuthTimer.unref();
  }

  /** Full JID once bound, else the stream id; for logs and the debug hook. */
  get label(): string {
    return this.session?.jid ?? `${this.framing.kind}:${this.id}`;
  }

  get closed(): boolean {
    return this.state === 'closed';
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
      this.framing.send(features(xml('bind', { xmlns: NS.bind }), xml('session', { xmlns: NS.session })));
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
        if (element.name === 'iq' && element.attrs.type === 'set' && element.getChild('bind', NS.bind)) return this.bind(element);
        return this.fail('not-authorized', 'Bind a resource first');
      case 'bound':
        return this.handleStanza(element);
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

  /** The connection is gone (or about to be); idempotent. */
  onDisconnect(): void {
    this.end();
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

  private send(element: Element): void {
    if (this.state !== 'closed') this.framing.send(element);
  }

  /** A handler threw: answer what can be answered, log it, and keep the stream (and the process) alive. */
  private internalError(element: Element, error: unknown): void {
    this.ctx.logger.error(error instanceof Error ? error : String(error));
    const session = this.session;
    if (this.state !== 'bound' || !session) return this.fail('internal-server-error', 'The server failed; it logged why');
    const type = element.attrs.type;
    // RFC 6120 §8.3.1: never answer an error (or an iq result) with an error.
    const answerable = element.name === 'iq' ? type === 'get' || type === 'set' : element.name === 'message' && type !== 'error';
    if (!answerable) return;
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
        clearTimeout(this.preAuthTimer);
        this.userId = outcome.userId;
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
    if (++this.authFailures >= MAX_AUTH_FAILURES) this.fail('policy-violation', `${MAX_AUTH_FAILURES} failed authentication attempts`);
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
    const session: Session = {
      id: this.id,
      userId: this.userId,
      jid: `${bare}/${resource}`,
      bareJid: bare,
      resource,
      available: false,
      send: (element) => this.send(element),
      fail: (condition, text) => this.fail(condition, text),
    };
    this.session = session;
    this.state = 'bound';
    // RFC 6120 §7.7.2.2: a newer connection with the same resource replaces the older one.
    this.ctx.router.bind(session)?.fail('conflict', 'Replaced by a new connection with the same resource');
    this.ctx.logger.debug(`xmpp ${this.framing.kind} stream ${this.id} bound ${session.jid}`);
    this.send(xml('iq', { type: 'result', id: iq.attrs.id }, xml('bind', { xmlns: NS.bind }, xml('jid', {}, session.jid))));
  }

  private handleStanza(element: Element): void {
    const session = this.session;
    if (!session) return;
    if (!STANZAS.has(element.name)) return this.fail('unsupported-stanza-type', `<${element.name}/> is not a stanza`);
    if (element.name === 'iq' && element.attrs.type === 'set' && element.getChild('session', NS.session)) {
      // Legacy session establishment is a no-op since RFC 6121, but clients wait for the result.
      element.attrs.from = session.jid;
      this.ctx.router.reply({ session, stanza: element, target: 'host', to: this.ctx.domain });
      return;
    }
    this.ctx.router.dispatch(session, element);
  }

  private end(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.preAuthTimer);
    if (this.session) {
      this.session.available = false;
      this.ctx.router.unbind(this.session);
    }
  }
}

function features(...children: Element[]): Element {
  return xml('stream:features', {}, ...children);
}
