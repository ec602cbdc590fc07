// Group commit for stored messages (1:1 chat, groupchat): a commit costs SQLite a WAL write and
// the file system a sync-free but still per-page write, which dominated the per-message cost. Saves
// that arrive in the same event-loop turn are queued and run in ONE transaction on setImmediate;
// only once it has committed are their stanzas routed (with the stored ids), so nothing reaches a
// recipient that is not stored. The routing of a batch runs in one transaction too, so the offline
// queue inserts it makes (recipients without an available resource) share one commit as well.
// Order per sender is kept: while a sender has a save waiting, its other messages (chat states,
// markers, corrections) wait behind it (`inOrder`) instead of overtaking it.
// A failed commit rolls the whole batch back and answers each saved stanza with
// <internal-server-error/>, as a single failed save always was.
import type { Logger } from '../../shared/logger';
import type { ChatStore } from '../store/chatStore';
import type { Router, Session, StanzaContext } from './router';

/** A batch this large is committed at once rather than at the end of the turn, to bound latency and memory. */
const MAX_BATCH = 256;

export interface SaveBatch {
  /** Runs `save` in the next group commit, and `then` with its result once that has committed. */
  save<T>(ctx: StanzaContext, save: () => T, then: (saved: T) => void): void;
  /** Runs `fn` now, or after the sender's saves that still wait for their commit. */
  inOrder(ctx: StanzaContext, fn: () => void): void;
}

interface Job {
  ctx: StanzaContext;
  save?: () => unknown;
  then: (saved: unknown) => void;
}

const batches = new WeakMap<ChatStore, SaveBatch>();

/** The store's batch: one per store, shared by every module that saves messages. */
export function saveBatch(router: Router, store: ChatStore, logger: Logger): SaveBatch {
  let batch = batches.get(store);
  if (!batch) {
    batch = new GroupCommit(router, store, logger);
    batches.set(store, batch);
  }
  return batch;
}

class GroupCommit implements SaveBatch {
  private jobs: Job[] = [];
  /** Senders with a job in `jobs`: their next messages queue behind it. */
  private readonly waiting = new Set<Session>();
  private scheduled = false;

  constructor(
    private readonly router: Router,
    private readonly store: ChatStore,
    private readonly logger: Logger,
  ) {}

  save<T>(ctx: StanzaContext, save: () => T, then: (saved: T) => void): void {
    this.enqueue({ ctx, save, then: then as (saved: unknown) => void });
  }

  inOrder(ctx: StanzaContext, fn: () => void): void {
    if (this.waiting.has(ctx.session)) this.enqueue({ ctx, then: fn });
    else fn();
  }

  private enqueue(job: Job): void {
    this.jobs.push(job);
    this.waiting.add(job.ctx.session);
    if (this.jobs.length >= MAX_BATCH) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    const jobs = this.jobs;
    this.jobs = [];
    this.waiting.clear();
    if (jobs.length === 0) return;
    const saved: unknown[] = new Array(jobs.length);
    let failed = false;
    try {
      // In a message batch each dialog's last message and unread counts move once for all of its saves
      // (ChatStore.messageBatch). It runs inside the store's transaction, the one commit that wrappers
      // of ChatStore.transaction (the stream tests) see; nested, it only adds a savepoint per batch.
      this.store.transaction(() =>
        this.store.messageBatch(() => {
          for (let i = 0; i < jobs.length; i++) saved[i] = jobs[i].save?.();
        }),
      );
    } catch (error) {
      failed = true;
      this.logger.error(error instanceof Error ? error : String(error));
    }
    try {
      this.store.transaction(() => {
        for (let i = 0; i < jobs.length; i++) this.finish(jobs[i], failed, saved[i]);
      });
    } catch (error) {
      // Only the routing's offline inserts can fail here; the deliveries are made.
      this.logger.error(error instanceof Error ? error : String(error));
    }
  }

  private finish(job: Job, failed: boolean, saved: unknown): void {
    try {
      if (failed && job.save) this.router.fail(job.ctx, 'internal-server-error', 'The message could not be saved');
      else job.then(saved);
    } catch (error) {
      // Out of the stream's own containment (XmppStream.onElement): answer as it would.
      this.logger.error(error instanceof Error ? error : String(error));
      this.router.fail(job.ctx, 'internal-server-error', 'The server failed to handle this stanza; it logged why');
    }
  }
}
