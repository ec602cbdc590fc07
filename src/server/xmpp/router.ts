// The core of the XMPP server, modelled on Prosody: it knows which sessions are bound to which JIDs,
// turns every stanza a client sends into a named event on the addressed host, and lets feature
// modules (one per XEP, under modules/) claim those events. Beyond that it only applies the
// RFC 6120 defaults for stanzas no module claims. Every decision is reported on `debug`, so the
// workbench can show what the server did with a stanza, not just that it arrived.
import { EventEmitter } from 'node:events';
import { xml, type Element } from '@xmpp/xml';
import { bareJid } from '../../shared/jid';
import type { Logger } from '../../shared/logger';
import type { ChatStore } from '../store/chatStore';
import { stanzaError, type StanzaErrorCondition, type StreamErrorCondition } from './errors';

/** A bound client resource, as modules see it. */
export interface Session {
  readonly id: string;
  readonly userId: number;
  /** Full JID `<userId>-<appId>@<domain>/<resource>`. */
  readonly jid: string;
  readonly bareJid: string;
  readonly resource: string;
  /** True between the initial available presence and an unavailable one; only available resources get routed chat. */
  available: boolean;
  send(element: Element): void;
  /** Ends the stream with a stream error, e.g. `<conflict/>` when a newer session takes the resource. */
  fail(condition: StreamErrorCondition, text?: string): void;
}

/**
 * How the stanza is addressed, relative to the sender: `self` = no `to` (RFC 6120 §10.3: on behalf of
 * the sender's account; for iq also `to` = the sender's bare JID), `host` = a domain JID, else `bare`/`full`.
 */
export type Target = 'self' | 'host' | 'bare' | 'full';

export interface StanzaContext {
  readonly session: Session;
  /** The stanza as received, `from` already stamped with the sender's full JID. */
  readonly stanza: Element;
  readonly target: Target;
  /** The addressed JID; the sender's bare JID when the stanza had no `to`. */
  readonly to: string;
}

/** Returns true when it took the stanza; the next handler (lower priority) is tried otherwise. */
export type StanzaHandler = (ctx: StanzaContext) => boolean;

export type StanzaDecision = 'routed' | 'stored' | 'queued' | 'rejected' | 'dropped-offline' | 'handled';

export interface StanzaDebugEvent {
  /** unix ms */
  time: number;
  /** `in` = sent by the session's client, `out` = delivered to it. */
  direction: 'in' | 'out';
  /** Full JID of the client the stanza came from (`in`) or went to (`out`). */
  session: string;
  stanza: string;
  decision: StanzaDecision;
  detail?: string;
}

interface DebugEvents {
  stanza: [StanzaDebugEvent];
}

interface LifecycleEvents {
  /** A resource is gone for good (its stream ended, and any chance to resume it); modules clean up after it. */
  unbound: [session: Session];
  /**
   * XEP-0198: a session with stream management ended without being resumed (closed, failed, or its
   * hibernation expired); `unacked` are the stanzas its client never acknowledged, for offline storage.
   */
  'session-lost': [bareJid: string, unacked: Element[]];
}

/** What a module gets when it loads. */
export interface ModuleContext {
  router: Router;
  /** The users' domain, where every module of this slice registers. */
  host: Host;
  store: ChatStore;
  appId: number;
  logger: Logger;
}

export type XmppModule = (ctx: ModuleContext) => void;

/**
 * One served domain (the users' domain now, `muc.<domain>` later). Event names follow Prosody:
 * `iq-get/host/urn:xmpp:ping:ping` (`iq-<type>/<target>/<child xmlns>:<child name>`) for requests,
 * `<stanza name>/<target>` for everything else (`message/bare`, `presence/self`, `iq/full`).
 */
export class Host {
  /** disco#info features; modules add the XEPs they implement. */
  readonly features = new Set<string>();
  private readonly handlers = new Map<string, { priority: number; handler: StanzaHandler }[]>();

  constructor(readonly domain: string) {}

  on(event: string, handler: StanzaHandler, priority = 0): void {
    const list = this.handlers.get(event) ?? [];
    list.push({ priority, handler });
    // Stable sort: equal priorities keep registration order.
    list.sort((a, b) => b.priority - a.priority);
    this.handlers.set(event, list);
  }

  fire(event: string, ctx: StanzaContext): boolean {
    for (const { handler } of this.handlers.get(event) ?? []) if (handler(ctx)) return true;
    return false;
  }
}

const IQ_TYPES = new Set(['get', 'set', 'result', 'error']);

export class Router {
  readonly debug = new EventEmitter<DebugEvents>();
  readonly lifecycle = new EventEmitter<LifecycleEvents>();
  private readonly hosts = new Map<string, Host>();
  /** bare JID → resource → session */
  private readonly sessions = new Map<string, Map<string, Session>>();

  constructor(private readonly logger: Logger) {}

  host(domain: string): Host {
    let host = this.hosts.get(domain);
    if (!host) {
      host = new Host(domain);
      this.hosts.set(domain, host);
    }
    return host;
  }

  /** Registers a bound resource; returns the session it displaced, which the caller ends with `<conflict/>`. */
  bind(session: Session): Session | undefined {
    let resources = this.sessions.get(session.bareJid);
    if (!resources) {
      resources = new Map();
      this.sessions.set(session.bareJid, resources);
    }
    const previous = resources.get(session.resource);
    resources.set(session.resource, session);
    return previous === session ? undefined : previous;
  }

  /**
   * The session is gone for good. A displaced session (`<conflict/>`) must not unregister the one that
   * replaced it, but modules still hear of it: they keep state per session object (rooms, directed
   * presence) that would otherwise outlive it.
   */
  unbind(session: Session): void {
    const resources = this.sessions.get(session.bareJid);
    if (resources?.get(session.resource) === session) {
      resources.delete(session.resource);
      if (resources.size === 0) this.sessions.delete(session.bareJid);
    }
    this.notify('unbound', session);
  }

  /**
   * Emits a lifecycle event to each listener in turn, containing their failures: these run from
   * socket close handlers and timers (XEP-0198 hibernation), where an exception would end the process,
   * and one module's bug must not keep the next from cleaning up.
   */
  notify<K extends keyof LifecycleEvents>(event: K, ...args: LifecycleEvents[K]): void {
    for (const listener of this.lifecycle.listeners(event) as ((...a: LifecycleEvents[K]) => void)[]) {
      try {
        listener(...args);
      } catch (error) {
        this.logger.error(error instanceof Error ? error : String(error));
      }
    }
  }

  /** Every bound resource of a bare JID, available or not (roster pushes go to those that asked for the roster). */
  boundResources(bare: string): Session[] {
    return [...(this.sessions.get(bare)?.values() ?? [])];
  }

  /** The available resources of a bare JID (RFC 6121 §8.5.2: where a message to the bare JID goes). */
  availableResources(bare: string): Session[] {
    return this.boundResources(bare).filter((s) => s.available);
  }

  resource(fullJid: string): Session | undefined {
    const slash = fullJid.indexOf('/');
    if (slash === -1) return undefined;
    return this.sessions.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1));
  }

  /** Routes one stanza from a bound session to the module that claims it, or applies the default. */
  dispatch(session: Session, stanza: Element): void {
    // RFC 6120 §8.1.2.1: the server stamps `from`, whatever the client put there.
    stanza.attrs.from = session.jid;
    const address = this.address(session, stanza);
    if ('error' in address) {
      this.fail({ session, stanza, target: 'bare', to: stanza.attrs.to ?? '' }, address.error);
      return;
    }
    const ctx: StanzaContext = { session, stanza, ...address.ctx };
    const host = this.hosts.get(address.domain);
    const type = stanza.attrs.type;
    if (stanza.name === 'iq' && !stanza.attrs.id) {
      // RFC 6120 §8.2.3: an iq without an id cannot be answered (its error could not be matched), and
      // relaying one would crash the SDK, which reads the id of every iq it gets (spec §7.4).
      this.report(session, stanza, 'rejected', 'iq without an id');
      return;
    }
    if (stanza.name === 'iq' && !IQ_TYPES.has(type ?? '')) {
      this.fail(ctx, 'bad-request', 'An iq is of type get, set, result or error');
      return;
    }
    if (stanza.name === 'iq' && (type === 'get' || type === 'set')) {
      const children = stanza.getChildElements();
      if (children.length !== 1) {
        this.fail(ctx, 'bad-request', 'An iq request carries exactly one child element');
        return;
      }
      const [payload] = children;
      const event = `iq-${type}/${ctx.target}/${payload.getNS() ?? ''}:${payload.getName()}`;
      // A request no module claims by its payload goes on to `iq/<target>`, where results go too (privacy
      // may refuse it there), and then to the default relay.
      if (!host?.fire(event, ctx) && !host?.fire(`iq/${ctx.target}`, ctx) && !this.relayIq(ctx)) this.fail(ctx, 'service-unavailable');
      return;
    }
    if (host?.fire(`${stanza.name}/${ctx.target}`, ctx)) return;
    if (stanza.name === 'iq' && this.relayIq(ctx)) return;
    // Unclaimed: RFC 6120 §8.3.1 forbids answering errors (and iq results) with errors; presence is dropped quietly.
    if (stanza.name === 'message' && type !== 'error') this.fail(ctx, 'service-unavailable');
    else this.report(session, stanza, 'rejected', 'no module handles it');
  }

  /**
   * RFC 6121 §8.5.3.1: an iq to a connected resource's full JID is the client's to answer (in-band
   * bytestreams, version, …), and so is its result or error on the way back.
   */
  private relayIq(ctx: StanzaContext): boolean {
    const recipient = ctx.target === 'full' ? this.resource(ctx.to) : undefined;
    if (!recipient) return false;
    this.deliver(recipient, ctx.stanza, `iq from ${ctx.session.jid}`);
    this.report(ctx.session, ctx.stanza, 'routed', recipient.jid);
    return true;
  }

  /** A handler that answers an iq request with an empty result: for requests that need only an acknowledgement. */
  readonly acknowledge: StanzaHandler = (ctx) => {
    this.reply(ctx);
    return true;
  };

  /** An iq result to the sender, from the addressed entity, optionally with a payload. */
  reply(ctx: StanzaContext, payload?: Element): void {
    const { session, stanza } = ctx;
    session.send(xml('iq', { type: 'result', id: stanza.attrs.id, from: stanza.attrs.to, to: session.jid }, payload));
    this.report(session, stanza, 'handled', payload ? payload.getNS() : undefined);
  }

  /** Answers the sender with a stanza error (never for an error, which would loop). */
  fail(ctx: StanzaContext, condition: StanzaErrorCondition, text?: string): void {
    const { session, stanza } = ctx;
    if (stanza.attrs.type !== 'error') session.send(stanzaError(stanza, condition, text));
    this.report(session, stanza, 'rejected', text ? `${condition}: ${text}` : condition);
  }

  /** Delivers a stanza to a recipient session and reports it. */
  deliver(recipient: Session, element: Element, detail?: string): void {
    recipient.send(element);
    this.emit('out', recipient.jid, element, 'routed', detail);
  }

  /** Reports what happened to an inbound stanza. */
  report(session: Session, stanza: Element, decision: StanzaDecision, detail?: string): void {
    this.emit('in', session.jid, stanza, decision, detail);
  }

  private emit(direction: StanzaDebugEvent['direction'], session: string, stanza: Element, decision: StanzaDecision, detail?: string): void {
    this.logger.trace(`xmpp ${direction} ${session} ${decision}${detail ? ` (${detail})` : ''}`);
    // Serializing the stanza again is most of an event's cost: only when someone listens.
    if (this.debug.listenerCount('stanza') > 0) {
      this.debug.emit('stanza', { time: Date.now(), direction, session, stanza: stanza.toString(), decision, detail });
    }
  }

  private address(
    session: Session,
    stanza: Element,
  ): { domain: string; ctx: { target: Target; to: string } } | { error: StanzaErrorCondition } {
    const to = stanza.attrs.to;
    const sessionDomain = session.bareJid.slice(session.bareJid.indexOf('@') + 1);
    if (!to || (stanza.name === 'iq' && to === session.bareJid)) {
      return { domain: sessionDomain, ctx: { target: 'self', to: session.bareJid } };
    }
    const bare = bareJid(to);
    const at = bare.indexOf('@');
    const domain = bare.slice(at + 1);
    // RFC 7622 in miniature: non-empty parts, no second `@`; a domain may come without a local part.
    if (at === 0 || !domain || domain.includes('@') || to.endsWith('/')) return { error: 'jid-malformed' };
    if (!this.hosts.has(domain)) return { error: 'remote-server-not-found' };
    const target: Target = at === -1 ? 'host' : bare === to ? 'bare' : 'full';
    return { domain, ctx: { target, to } };
  }
}
