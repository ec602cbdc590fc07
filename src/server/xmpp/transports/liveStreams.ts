// The streams of every transport: admission against the connection limits, and shutting the server
// down, which ends each stream properly (`<system-shutdown/>`, RFC 6120 §4.9.3.20) and waits until its
// connection is really gone.
import type { StreamErrorCondition } from '../errors';
import type { XmppLimits } from '../limits';
import type { XmppStream } from '../stream';

export class LiveStreams {
  private readonly live = new Map<XmppStream, Promise<void>>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly limits: Pick<XmppLimits, 'maxConnections' | 'maxConnectionsPerIp'>) {}

  /**
   * Counts a new connection's stream until `gone` (its connection closed) resolves, and ends it at once
   * with a stream error when it is over a connection limit. Refused streams count too until they are
   * gone, so a client reconnecting in a loop cannot open more than the limit at any moment.
   */
  admit(stream: XmppStream, ip: string, gone: Promise<void>): void {
    const fromIp = (this.perIp.get(ip) ?? 0) + 1;
    let refusal: [StreamErrorCondition, string] | undefined;
    if (this.live.size >= this.limits.maxConnections) refusal = ['resource-constraint', `The server accepts ${this.limits.maxConnections} connections`];
    else if (fromIp > this.limits.maxConnectionsPerIp) refusal = ['policy-violation', `At most ${this.limits.maxConnectionsPerIp} connections per address`];
    this.live.set(stream, gone);
    this.perIp.set(ip, fromIp);
    void gone.then(() => {
      this.live.delete(stream);
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left > 0) this.perIp.set(ip, left);
      else this.perIp.delete(ip);
    });
    if (refusal) stream.fail(...refusal);
  }

  async shutdown(): Promise<void> {
    for (const stream of this.live.keys()) stream.fail('system-shutdown');
    await Promise.all(this.live.values());
  }
}

/** How long a closed stream waits for the client to close its side before the connection is cut. */
export const CLOSE_GRACE_MS = 1000;
