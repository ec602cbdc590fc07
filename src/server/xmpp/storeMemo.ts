// Reads the XMPP hot path repeats for nearly every message (does the recipient exist? which dialog is
// behind this room?), answered from memory while nothing has been written to the store since:
// ChatStore.dataVersion() moves with every write and rollback, whoever made it (a REST request, a
// module), so an answer kept under the same version is the one the store would give now. Under load
// the stanzas of one event-loop turn arrive before its group commit writes, so they share one read.
import type { ChatStore } from '../store/chatStore';

/** Answers kept at most, should the store go unwritten for a long time. */
const MAX_ANSWERS = 10_000;

export class StoreMemo<K, V> {
  private version = -1;
  private readonly answers = new Map<K, V>();

  constructor(
    private readonly store: ChatStore,
    private readonly read: (key: K) => V,
  ) {}

  /** The store's answer for `key`; callers share it, so it must not be changed. */
  get(key: K): V {
    const version = this.store.dataVersion();
    if (version !== this.version || this.answers.size >= MAX_ANSWERS) {
      this.answers.clear();
      this.version = version;
    }
    if (this.answers.has(key)) return this.answers.get(key) as V;
    const answer = this.read(key);
    this.answers.set(key, answer);
    return answer;
  }
}
