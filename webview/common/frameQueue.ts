// Coalesces work per animation frame: however many messages arrive between two frames, the view
// updates once, in the frame. A flood of live batches then costs one layout per frame, not per batch.

export class FrameQueue<T> {
  private items: T[] = [];
  private frame = 0;
  private held = false;

  constructor(private readonly flush: (items: T[]) => void) {}

  push(...items: T[]): void {
    this.items.push(...items);
    this.schedule();
  }

  /** While held, items accumulate and no frame runs (the console's pause); release flushes them. */
  hold(held: boolean): void {
    this.held = held;
    this.schedule();
  }

  get pending(): readonly T[] {
    return this.items;
  }

  /** Drops the oldest items beyond `limit`, so a long hold cannot grow without bound. */
  trim(limit: number): void {
    if (this.items.length > limit) this.items.splice(0, this.items.length - limit);
  }

  clear(): void {
    this.items = [];
  }

  private schedule(): void {
    if (this.held || this.frame !== 0 || this.items.length === 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.held) return;
      const items = this.items;
      this.items = [];
      this.flush(items);
    });
  }
}
