// Everything a connection writes in one tick (a fan-out, the routing of a group commit, an ack after
// a message) leaves in one write instead of one syscall per stanza: the per-write native cost showed
// in the benchmark's profile. TCP joins the tick's text into one string (one write, no per-chunk
// bookkeeping); WebSocket frames must stay separate, so that socket is corked for the tick instead.

export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Returns `hold`: call it before each write; the socket stays corked until the end of the tick. */
export function corkPerTick(socket: Corkable): () => void {
  let corked = false;
  const release = (): void => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(release);
  };
}

/** Collects the text written in one tick and hands it to `sink` as one string at the end of the tick. */
export class TickWriter {
  private pending = '';

  constructor(private readonly sink: (text: string) => void) {}

  write(text: string): void {
    if (this.pending === '') process.nextTick(this.flush);
    this.pending += text;
  }

  /** Hands over what is pending now, e.g. before the connection's last write; a no-op when nothing is. */
  readonly flush = (): void => {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.sink(text);
  };
}
