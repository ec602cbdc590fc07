// A small typed emitter: `on` returns a Disposable (what VS Code listeners expect), and a throwing
// listener is reported instead of stopping the others from hearing the event.
import type { Disposable, Listener } from './contracts';

/** Event name → listener arguments; an interface works too (no index signature needed). */
export type EventMap<M> = { [K in keyof M]: unknown[] };

export class TypedEmitter<M extends EventMap<M>> {
  private readonly listeners = new Map<keyof M, Set<Listener<never[]>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof M) => void = () => {}) {}

  on<E extends keyof M>(event: E, listener: Listener<M[E]>): Disposable {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    // Stored type-erased; `emit` only ever calls it with M[E].
    const stored = listener as unknown as Listener<never[]>;
    set.add(stored);
    return { dispose: () => void this.listeners.get(event)?.delete(stored) };
  }

  emit<E extends keyof M>(event: E, ...args: M[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // Copy: a listener may dispose itself (or others) while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<M[E]>)(...args);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}
