// Coalesces a burst of items into one delivery: a flood of stanzas or messages becomes a few
// postMessage calls instead of one per item, which is what keeps a busy webview responsive.
import type * as vscode from 'vscode';

export class Batcher<T> implements vscode.Disposable {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly deliver: (items: T[]) => void,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Drops what is pending, e.g. because a snapshot about to be sent already covers it. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  dispose(): void {
    this.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    if (items.length) this.deliver(items);
  }
}
