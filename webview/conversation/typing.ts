// "Bob is typing…" under the message list: shown while another occupant's last chat state is
// `composing`; cleared by any other state, by a message from them, or when nothing more is heard.
import type { ChatState } from '../../src/shared/protocol';
import { el } from '../common/dom';

/** A composing that is never followed by anything (a lost paused) does not stay forever. */
export const TYPING_TIMEOUT_MS = 30_000;

export interface TypingIndicatorHandle {
  element: HTMLElement;
  /** A chat state from `userId`, whose display name is `name`. */
  update(userId: number, name: string, state: ChatState): void;
  /** `userId` sent a message: they are no longer typing it. */
  messageFrom(userId: number): void;
  clear(): void;
}

export function createTypingIndicator(timeoutMs = TYPING_TIMEOUT_MS): TypingIndicatorHandle {
  const element = el('div', { className: 'conv-typing', attrs: { role: 'status', 'aria-live': 'polite' } });
  /** Who is typing, in the order they started: name and the timer that gives up on them. */
  const typing = new Map<number, { name: string; timer: ReturnType<typeof setTimeout> }>();

  function render(): void {
    const names = [...typing.values()].map((t) => t.name);
    if (names.length === 0) element.textContent = '';
    else if (names.length === 1) element.textContent = `${names[0]} is typing…`;
    else if (names.length === 2) element.textContent = `${names[0]} and ${names[1]} are typing…`;
    else element.textContent = 'Several people are typing…';
  }

  function stop(userId: number): void {
    const entry = typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    typing.delete(userId);
    render();
  }

  return {
    element,
    update(userId, name, state) {
      if (state !== 'composing') {
        stop(userId);
        return;
      }
      const entry = typing.get(userId);
      if (entry) clearTimeout(entry.timer);
      typing.set(userId, { name, timer: setTimeout(() => stop(userId), timeoutMs) });
      render();
    },
    messageFrom: stop,
    clear() {
      for (const entry of typing.values()) clearTimeout(entry.timer);
      typing.clear();
      render();
    },
  };
}
