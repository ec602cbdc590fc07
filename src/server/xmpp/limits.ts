// Every limit of the XMPP side in one place, with its default: what bad or greedy clients may cost
// the server before their stream is refused or ended (README, "XMPP limits"). The defaults are sized
// for a developer's loopback server that a benchmark must be able to load without tripping them.

export interface XmppLimits {
  /** A larger top-level element ends the stream with <policy-violation/>. */
  maxStanzaBytes: number;
  /** A connection not authenticated and bound this long after it opened is closed with <connection-timeout/>. */
  preAuthTimeoutMs: number;
  /** RFC 6120 §6.4.5: failed SASL attempts before the stream ends with <policy-violation/> (2–5). */
  maxAuthFailures: number;
  /** Open streams over TCP and WebSocket together; the next one is refused with <resource-constraint/>. */
  maxConnections: number;
  /** Open streams from one IP address; the next one is refused with <policy-violation/>. */
  maxConnectionsPerIp: number;
  /** Token bucket per stream: sustained top-level elements per second... */
  stanzaRatePerSecond: number;
  /** ...and the burst allowed above it. An element with the bucket empty is answered <resource-constraint/>. */
  stanzaBurst: number;
  /** Elements refused in a row for the rate before the stream ends with <policy-violation/>. */
  maxRateViolations: number;
  /** XEP-0198: unacknowledged stanzas kept per session; past it the session is lost. */
  smMaxQueue: number;
  /** XEP-0198: how long a dropped resumable session waits for its client. */
  smHibernationMs: number;
  /** XEP-0198: the server asks for an ack (<r/>) once this many stanzas are unacknowledged... */
  smAckEvery: number;
  /** ...or when one has waited this long. */
  smAckDelayMs: number;
  /** XEP-0198: an ack request unanswered this long means the connection is dead (it hibernates). */
  smMaxAckWaitMs: number;
  /** XEP-0352: presences and chat states held back for an inactive client before they are flushed anyway. */
  csiMaxHeld: number;
}

export const MIN_STANZA_BYTES = 64 * 1024;

export const DEFAULT_LIMITS: Readonly<XmppLimits> = Object.freeze({
  maxStanzaBytes: 256 * 1024,
  preAuthTimeoutMs: 30_000,
  maxAuthFailures: 3,
  maxConnections: 10_000,
  // Everything on loopback comes from 127.0.0.1, so this has to admit a benchmark's thousand clients.
  maxConnectionsPerIp: 5_000,
  stanzaRatePerSecond: 2_000,
  stanzaBurst: 4_000,
  maxRateViolations: 100,
  // Prosody's mod_smacks defaults: queue 500, hibernation 10 min (we keep 5), max ack delay 30 s.
  smMaxQueue: 500,
  smHibernationMs: 5 * 60_000,
  smAckEvery: 5,
  smAckDelayMs: 1_000,
  smMaxAckWaitMs: 30_000,
  csiMaxHeld: 500,
});

/** The defaults with `overrides` applied; throws for values that would make the server unusable. */
export function resolveLimits(overrides: Partial<XmppLimits> = {}): XmppLimits {
  const limits: XmppLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(overrides) as (keyof XmppLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`XMPP limit ${key} must be a positive integer, got ${value}`);
    limits[key] = value;
  }
  // TCP checks the size per read of up to 64 KiB, which may hold many small stanzas (transports/tcp.ts).
  if (limits.maxStanzaBytes < MIN_STANZA_BYTES) throw new RangeError(`maxStanzaBytes must be at least ${MIN_STANZA_BYTES}`);
  if (limits.maxAuthFailures > 5 || limits.maxAuthFailures < 2) throw new RangeError('maxAuthFailures must be 2–5 (RFC 6120 §6.4.5)');
  return limits;
}

/**
 * A token bucket (rate per second, burst capacity) refilled lazily on each take, so an idle stream
 * costs no timer.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
