// XEP-0198 Stream Management (urn:xmpp:sm:3). The browser SDK enables it without resumption and asks
// for an ack (<r/>) after each message it sends (protocol spec §7.13); other clients also resume. Each
// enabled session counts the stanzas it received (h) and keeps the stanzas it sent until the client
// acknowledges them. A resumable session whose connection drops hibernates: stanzas for it are queued,
// and a new stream may take it over with <resume/> within the hibernation time. A session that ends
// any other way hands its unacknowledged stanzas to `router.lifecycle` ('session-lost'), where offline
// storage picks them up: nothing the client did not confirm is lost.
import { randomBytes } from 'node:crypto';
import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../../shared/stanza';
import type { AckTracker, NonzaHandler, NonzaModuleContext, SessionLink, XmppStream } from '../stream';

export const NS_SM = 'urn:xmpp:sm:3';

/** h is a 32-bit counter that wraps (XEP-0198 §4). */
const wrap = (n: number) => n >>> 0;

class StreamManagement implements AckTracker {
  /** Stanzas received from the client since <enable/>. */
  private received = 0;
  /** The client's last acknowledged count of stanzas it received from the server. */
  private acked = 0;
  /** Sent but unacknowledged, oldest first. */
  private readonly queue: Element[] = [];
  /** Stanzas queued since the last <r/>; an ack request is outstanding while `awaitingAck`. */
  private sinceRequest = 0;
  private awaitingAck = false;
  private requestTimer: NodeJS.Timeout | undefined;
  private ackWaitTimer: NodeJS.Timeout | undefined;
  private hibernationTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly link: SessionLink,
    readonly id: string | undefined,
    private readonly ctx: NonzaModuleContext,
    private readonly forget: (sm: StreamManagement) => void,
  ) {}

  get handled(): number {
    return this.received;
  }

  /** The stream holding the session now (the link moves on resumption). */
  get stream(): XmppStream {
    return this.link.stream;
  }

  inbound(): void {
    this.received = wrap(this.received + 1);
  }

  outbound(stanza: Element): void {
    this.queue.push(stanza);
    const stream = this.link.stream;
    if (this.queue.length > this.ctx.limits.smMaxQueue) {
      // The client stopped acknowledging (or is gone too long): keeping more would only grow memory.
      if (stream.closed) stream.expire();
      else stream.fail('policy-violation', `More than ${this.ctx.limits.smMaxQueue} unacknowledged stanzas`);
      return;
    }
    if (stream.closed) return;
    this.sinceRequest++;
    if (this.sinceRequest >= this.ctx.limits.smAckEvery) this.requestAck();
    else this.requestTimer ??= setTimeout(() => this.requestAck(), this.ctx.limits.smAckDelayMs);
  }

  /** False when `h` acknowledges more than was sent. */
  canAcknowledge(h: number): boolean {
    return wrap(h - this.acked) <= this.queue.length;
  }

  /** The client's <a h/>; false when it acknowledges more than was sent. */
  acknowledge(h: number): boolean {
    if (!this.canAcknowledge(h)) return false;
    this.queue.splice(0, wrap(h - this.acked));
    this.acked = wrap(h);
    this.awaitingAck = false;
    clearTimeout(this.ackWaitTimer);
    this.ackWaitTimer = undefined;
    return true;
  }

  /** The client's <r/>. */
  answer(): void {
    this.link.stream.sendNonza(xml('a', { xmlns: NS_SM, h: String(this.received) }));
  }

  disconnected(): boolean {
    this.stopRequests();
    if (this.id === undefined) return false;
    this.hibernationTimer = setTimeout(() => this.link.stream.expire(), this.ctx.limits.smHibernationMs);
    this.hibernationTimer.unref();
    return true;
  }

  ended(): void {
    this.stopRequests();
    clearTimeout(this.hibernationTimer);
    this.forget(this);
    const unacked = this.queue.splice(0);
    this.ctx.logger.debug(`xmpp ${this.link.session.jid} stream management session lost, ${unacked.length} unacknowledged`);
    this.ctx.router.notify('session-lost', this.link.session.bareJid, unacked);
  }

  /** After <resumed/>: the new stream gets every stanza the client has not acknowledged, in order. */
  resent(): void {
    clearTimeout(this.hibernationTimer);
    this.hibernationTimer = undefined;
    // A session taken over while still connected never went through disconnected(): its ack wait
    // belongs to the old connection and would keep the new one from asking for acks.
    this.stopRequests();
    const stream = this.link.stream;
    const pending = this.queue.splice(0);
    // Through deliver() so they are queued (and counted) again for the new connection's acks.
    for (const stanza of pending) stream.deliver(stanza, true);
    if (pending.length > 0) this.requestAck();
  }

  private requestAck(): void {
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    this.sinceRequest = 0;
    const stream = this.link.stream;
    if (stream.closed || this.queue.length === 0) return;
    stream.sendNonza(xml('r', { xmlns: NS_SM }));
    if (this.awaitingAck) return;
    this.awaitingAck = true;
    // No answer to an ack request for this long: the connection is dead even if TCP has not noticed.
    this.ackWaitTimer = setTimeout(() => stream.dropConnection('no ack'), this.ctx.limits.smMaxAckWaitMs);
  }

  private stopRequests(): void {
    clearTimeout(this.requestTimer);
    clearTimeout(this.ackWaitTimer);
    this.requestTimer = undefined;
    this.ackWaitTimer = undefined;
    this.awaitingAck = false;
    this.sinceRequest = 0;
  }
}

function failed(condition: string, h?: number): Element {
  return xml('failed', { xmlns: NS_SM, ...(h !== undefined && { h: String(h) }) }, xml(condition, { xmlns: NS.stanzas }));
}

export function streamManagement(ctx: NonzaModuleContext): NonzaHandler {
  /** Resumable sessions by id, connected or hibernating. */
  const resumable = new Map<string, StreamManagement>();
  const forget = (sm: StreamManagement) => {
    if (sm.id !== undefined) resumable.delete(sm.id);
  };

  const enable = (stream: XmppStream, element: Element) => {
    const link = stream.sessionLink;
    // XEP-0198 §3: only after binding, and only once per session.
    if (!link || link.tracker) return stream.sendNonza(failed('unexpected-request'));
    const resume = element.attrs.resume === 'true' || element.attrs.resume === '1';
    const id = resume ? randomBytes(12).toString('base64url') : undefined;
    const sm = new StreamManagement(link, id, ctx, forget);
    link.tracker = sm;
    if (id === undefined) return stream.sendNonza(xml('enabled', { xmlns: NS_SM }));
    resumable.set(id, sm);
    stream.sendNonza(xml('enabled', { xmlns: NS_SM, id, resume: 'true', max: String(Math.ceil(ctx.limits.smHibernationMs / 1000)) }));
  };

  const resume = (stream: XmppStream, element: Element) => {
    if (stream.sessionLink) return stream.sendNonza(failed('unexpected-request'));
    const sm = resumable.get(element.attrs.previd ?? '');
    const h = Number(element.attrs.h);
    // Unknown, expired, someone else's, or acknowledging what was never sent: all look the same to the client.
    if (!sm || !Number.isSafeInteger(h) || !sm.canAcknowledge(h) || !stream.resume(sm.stream)) {
      return stream.sendNonza(failed('item-not-found'));
    }
    sm.acknowledge(h);
    stream.sendNonza(xml('resumed', { xmlns: NS_SM, previd: sm.id, h: String(sm.handled) }));
    sm.resent();
  };

  return {
    xmlns: NS_SM,
    feature: xml('sm', { xmlns: NS_SM }),
    handle(stream, element) {
      const sm = stream.sessionLink?.tracker;
      switch (element.name) {
        case 'enable':
          return enable(stream, element);
        case 'resume':
          return resume(stream, element);
        case 'r':
          if (sm instanceof StreamManagement) sm.answer();
          return;
        case 'a': {
          const h = Number(element.attrs.h);
          if (!(sm instanceof StreamManagement) || !Number.isSafeInteger(h)) return;
          if (!sm.acknowledge(h)) stream.fail('undefined-condition', 'Acknowledged more stanzas than were sent');
          return;
        }
        default:
          stream.fail('unsupported-stanza-type', `<${element.name}/> is not part of XEP-0198`);
      }
    },
    close() {
      // Hibernating sessions end with the server: their stanzas go to offline storage.
      for (const sm of [...resumable.values()]) sm.stream.expire();
    },
  };
}
