// Answers to repeated reads, given again while nothing was written. A cacheable route (the chat
// lists and lookups) computes its body from the stored data, the caller and the request alone, and
// ChatStore.dataVersion() moves with every write and rollback: while it stands still, the same request
// by the same user gets the same body, byte for byte. The first read at a new version drops every
// answer, so a write anywhere costs the next reads a miss, never a stale answer.

export class ResponseCache {
  private version = Number.NaN;
  /** Insertion order is age order: the oldest answers go first when the cache is full. */
  private readonly answers = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The answer kept for key, if it was computed at this data version. */
  get(key: string, version: number): Buffer | undefined {
    if (version !== this.version) {
      this.answers.clear();
      this.bytes = 0;
      this.version = version;
      return undefined;
    }
    return this.answers.get(key);
  }

  /** Keeps body for key, computed at `version` with no write since (the caller checks the data version after). */
  set(key: string, version: number, body: Buffer): void {
    if (version !== this.version || body.length > this.maxBytes) return;
    this.delete(key);
    for (const oldest of this.answers.keys()) {
      if (this.bytes + body.length <= this.maxBytes) break;
      this.delete(oldest);
    }
    this.answers.set(key, body);
    this.bytes += body.length;
  }

  private delete(key: string): void {
    const body = this.answers.get(key);
    if (body === undefined) return;
    this.answers.delete(key);
    this.bytes -= body.length;
  }
}
