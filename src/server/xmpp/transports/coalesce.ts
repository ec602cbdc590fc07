// Everything a connection writes in one tick (a fan-out, the routing of a group commit, an ack after
// a message) leaves in one writev instead of one syscall per stanza: the per-write native cost showed
// in the benchmark's profile. Shared by TCP and WebSocket (whose frames go to the same kind of socket).

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
