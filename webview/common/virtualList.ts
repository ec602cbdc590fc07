// The one virtual list both views use: only the rows in (and near) the visible area exist in the
// DOM, between two spacers that stand in for the rest. Heights start as an estimate and are replaced
// by measurements as rows get rendered; every render keeps one row (or the bottom) in place, so
// measuring, prepending older items and resizing never make the content jump.
import { el } from './dom';

/** Where the viewport is: glued to the bottom, or `offset` px into the row with `key`. */
export type ScrollAnchor = { kind: 'bottom' } | { kind: 'item'; key: string; offset: number };

export const BOTTOM: ScrollAnchor = { kind: 'bottom' };

export interface VirtualListOptions<T> {
  /** The scrolling element (no padding: the list measures from its top). The list fills it. */
  viewport: HTMLElement;
  key(item: T): string;
  render(item: T): HTMLElement;
  estimatedRowHeight: number;
  /** Pixels rendered beyond each edge of the visible area; one viewport height if omitted. */
  overscanPx?: number;
  /** Runs after every render: the place to page in older items or save the anchor. */
  onRendered?(): void;
}

const BOTTOM_SLACK_PX = 8;
// Measuring can change the window, which can bring new rows to measure; a few passes settle it.
const MAX_LAYOUT_PASSES = 4;

export class VirtualList<T> {
  private items: T[] = [];
  /** Measured heights by key; rows never measured count as the estimate. */
  private heights = new Map<string, number>();
  /** offsets[i] is the top of row i; offsets[items.length] is the total height. */
  private offsets = new Float64Array(1);
  private indexByKey = new Map<string, number>();
  private keysDirty = false;
  private offsetsDirty = false;
  /** The rendered rows, by key. */
  private rows = new Map<string, HTMLElement>();
  private readonly before = el('div', { className: 'vlist-spacer', attrs: { 'aria-hidden': 'true' } });
  private readonly content = el('div', { className: 'vlist-rows' });
  private readonly after = el('div', { className: 'vlist-spacer', attrs: { 'aria-hidden': 'true' } });
  private pendingAnchor: ScrollAnchor | undefined;
  private frame = 0;

  constructor(private readonly options: VirtualListOptions<T>) {
    options.viewport.replaceChildren(this.before, this.content, this.after);
    options.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(options.viewport);
  }

  get length(): number {
    return this.items.length;
  }

  first(): T | undefined {
    return this.items[0];
  }

  /** Replaces everything (a snapshot): rows are rebuilt, since the data behind a key may differ. */
  setItems(items: readonly T[], anchor: ScrollAnchor): void {
    this.items = [...items];
    this.heights = new Map();
    this.rows = new Map();
    this.markItemsChanged(anchor);
  }

  /** `scrollToEnd` is the caller's policy: follow the tail, or keep what is on screen in place. */
  append(items: readonly T[], scrollToEnd: boolean): void {
    if (items.length === 0) return;
    const anchor = scrollToEnd ? BOTTOM : (this.pendingAnchor ?? this.captureAnchor(false));
    this.items.push(...items);
    this.markItemsChanged(anchor);
  }

  /** Older items go on top while the row on screen stays exactly where it is. */
  prepend(items: readonly T[]): void {
    if (items.length === 0) return;
    const anchor = this.pendingAnchor ?? this.captureAnchor(false);
    this.items = [...items, ...this.items];
    this.markItemsChanged(anchor);
  }

  /** Drops the oldest `count` items (a bounded log trimming its head) without moving what is on screen. */
  removeFirst(count: number): void {
    if (count <= 0) return;
    const anchor = this.pendingAnchor ?? this.captureAnchor(true);
    for (const item of this.items.splice(0, count)) {
      const key = this.options.key(item);
      this.heights.delete(key);
      this.rows.delete(key);
    }
    this.markItemsChanged(anchor);
  }

  /** Rebuilds the rows of these keys (all rows when omitted) from their items, e.g. after their data or looks changed. */
  refresh(keys?: readonly string[]): void {
    if (keys) for (const key of keys) this.rows.delete(key);
    else this.rows = new Map();
    // Their heights may change: measured again on the next render.
    this.offsetsDirty = true;
    this.schedule();
  }

  /** Brings the item with `key` to the top of the viewport. */
  scrollToKey(key: string): void {
    this.pendingAnchor = { kind: 'item', key, offset: 0 };
    this.schedule();
  }

  scrollToEnd(): void {
    this.pendingAnchor = BOTTOM;
    this.schedule();
  }

  /** The current position, for saving and restoring with `setItems`. */
  anchor(): ScrollAnchor {
    return this.pendingAnchor ?? this.captureAnchor(true);
  }

  isAtBottom(): boolean {
    const v = this.options.viewport;
    return v.scrollHeight - v.scrollTop - v.clientHeight <= BOTTOM_SLACK_PX;
  }

  isNearTop(px: number): boolean {
    return this.options.viewport.scrollTop <= px;
  }

  private markItemsChanged(anchor: ScrollAnchor): void {
    this.pendingAnchor = anchor;
    this.keysDirty = true;
    this.offsetsDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    const anchor = this.pendingAnchor ?? this.captureAnchor(true);
    this.pendingAnchor = undefined;
    for (let pass = 0; pass < MAX_LAYOUT_PASSES; pass++) {
      this.refreshLayout();
      const top = this.scrollTopFor(anchor);
      this.renderWindow(top);
      this.options.viewport.scrollTop = top;
      if (!this.measure()) break;
    }
    this.options.onRendered?.();
  }

  private refreshLayout(): void {
    if (this.keysDirty) {
      this.indexByKey = new Map(this.items.map((item, i) => [this.options.key(item), i]));
      this.keysDirty = false;
    }
    if (!this.offsetsDirty) return;
    const offsets = new Float64Array(this.items.length + 1);
    this.items.forEach((item, i) => {
      offsets[i + 1] = offsets[i] + (this.heights.get(this.options.key(item)) ?? this.options.estimatedRowHeight);
    });
    this.offsets = offsets;
    this.offsetsDirty = false;
  }

  private total(): number {
    return this.offsets[this.items.length];
  }

  /** The last row whose top is at or above `y`, clamped to the list. */
  private indexAt(y: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(lo, 0);
  }

  /** Must run against offsets that match the DOM, i.e. before the items change. */
  private captureAnchor(allowBottom: boolean): ScrollAnchor {
    if (this.items.length === 0 || (allowBottom && this.isAtBottom())) return BOTTOM;
    const top = this.options.viewport.scrollTop;
    const i = this.indexAt(top);
    return { kind: 'item', key: this.options.key(this.items[i]), offset: top - this.offsets[i] };
  }

  private scrollTopFor(anchor: ScrollAnchor): number {
    const max = Math.max(0, this.total() - this.options.viewport.clientHeight);
    // An anchor whose row is gone (e.g. restored state older than the snapshot) falls back to the end.
    const index = anchor.kind === 'item' ? this.indexByKey.get(anchor.key) : undefined;
    if (anchor.kind === 'bottom' || index === undefined) return max;
    return Math.min(max, Math.max(0, this.offsets[index] + anchor.offset));
  }

  private renderWindow(top: number): void {
    const n = this.items.length;
    const height = this.options.viewport.clientHeight;
    const overscan = this.options.overscanPx ?? height;
    const start = n === 0 ? 0 : this.indexAt(top - overscan);
    const end = n === 0 ? 0 : this.indexAt(top + height + overscan) + 1;
    this.before.style.height = `${this.offsets[start]}px`;
    this.after.style.height = `${this.total() - this.offsets[end]}px`;

    const rows = new Map<string, HTMLElement>();
    const wanted: HTMLElement[] = [];
    for (let i = start; i < end; i++) {
      const item = this.items[i];
      const key = this.options.key(item);
      const row = this.rows.get(key) ?? this.options.render(item);
      rows.set(key, row);
      wanted.push(row);
    }
    this.rows = rows;
    const current = this.content.children;
    const unchanged = current.length === wanted.length && wanted.every((row, i) => current[i] === row);
    if (!unchanged) this.content.replaceChildren(...wanted);
  }

  /** Records the rendered rows' real heights; true when any differed from what layout assumed. */
  private measure(): boolean {
    let changed = false;
    for (const [key, row] of this.rows) {
      const height = row.getBoundingClientRect().height;
      // A hidden viewport measures 0: keep the estimate rather than collapse the list.
      if (height <= 0) continue;
      const known = this.heights.get(key) ?? this.options.estimatedRowHeight;
      this.heights.set(key, height);
      if (Math.abs(known - height) > 0.5) changed = true;
    }
    if (changed) this.offsetsDirty = true;
    return changed;
  }
}
