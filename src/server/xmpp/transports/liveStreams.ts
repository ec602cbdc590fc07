// The streams of every transport, so that shutting the server down can end each one properly
// (`<system-shutdown/>`, RFC 6120 §4.9.3.20) and wait until its connection is really gone.
import type { XmppStream } from '../stream';

export class LiveStreams {
  private readonly live = new Map<XmppStream, Promise<void>>();

  /** `gone` resolves when the stream's connection has closed. */
  track(stream: XmppStream, gone: Promise<void>): void {
    this.live.set(stream, gone);
    void gone.then(() => this.live.delete(stream));
  }

  async shutdown(): Promise<void> {
    for (const stream of this.live.keys()) stream.fail('system-shutdown');
    await Promise.all(this.live.values());
  }
}

/** How long a closed stream waits for the client to close its side before the connection is cut. */
export const CLOSE_GRACE_MS = 1000;
