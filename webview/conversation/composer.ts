// The message box: Enter sends, Shift+Enter is a newline, nothing can be sent while offline, and a
// failed send keeps the text and says why right below it. Typing is announced: composing when the
// user starts, paused after a few idle seconds, on send, or when the box is emptied.
import type { TypingState } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { errorMessage } from '../../src/shared/errors';
import { createButton } from '../components/button';
import { createTextArea } from '../components/textArea';

export interface ComposerOptions {
  /** Resolves once the host accepted the message; rejects with the reason otherwise. */
  send(text: string): Promise<void>;
  onDraftChange(draft: string): void;
  /** Our chat state changed (the page decides whether the dialog gets chat states at all). */
  onTyping?(state: TypingState): void;
}

/** Seconds without a keystroke after which composing becomes paused (the SDK apps' usual 3 s). */
export const TYPING_IDLE_MS = 3000;

export interface ComposerHandle {
  element: HTMLElement;
  setOnline(online: boolean): void;
  draft(): string;
  setDraft(text: string): void;
  focus(): void;
}

const ONLINE_HINT = 'Message (Enter to send, Shift+Enter for a new line)';
const OFFLINE_HINT = 'Offline: messages can be sent once connected';

export function createComposer(options: ComposerOptions): ComposerHandle {
  let online = false;
  let sending = false;
  let composing = false;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function setComposing(next: boolean): void {
    clearTimeout(idle);
    idle = undefined;
    if (next) idle = setTimeout(() => setComposing(false), TYPING_IDLE_MS);
    if (next === composing) return;
    composing = next;
    options.onTyping?.(next ? 'composing' : 'paused');
  }
  const error = el('div', { className: 'conv-error', attrs: { role: 'alert' } });
  const input = createTextArea({
    ariaLabel: 'Message',
    placeholder: OFFLINE_HINT,
    rows: 2,
    onInput: (value) => {
      options.onDraftChange(value);
      if (online) setComposing(value.trim() !== '');
    },
    onKeyDown(event) {
      // isComposing: Enter that confirms an IME composition is not a send.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      void submit();
    },
  });
  const button = createButton({ label: 'Send', onClick: () => void submit() });

  function refresh(): void {
    input.setDisabled(!online);
    input.setPlaceholder(online ? ONLINE_HINT : OFFLINE_HINT);
    button.setDisabled(!online || sending);
  }

  async function submit(): Promise<void> {
    const text = input.value();
    if (!online || sending || text.trim() === '') return;
    sending = true;
    setComposing(false);
    error.textContent = '';
    refresh();
    try {
      await options.send(text);
      // The user may have kept typing while the request was in flight; keep what is new.
      if (input.value() === text) {
        input.setValue('');
        options.onDraftChange('');
      }
    } catch (failure) {
      error.textContent = `Not sent: ${errorMessage(failure)}`;
    } finally {
      sending = false;
      refresh();
    }
  }

  refresh();
  const row = el('div', { className: 'conv-composer-row' }, [input.element, button.element]);
  return {
    element: el('footer', { className: 'conv-composer' }, [row, error]),
    setOnline(next) {
      online = next;
      if (!online) {
        // Nothing can reach the other side now; the next keystroke online starts afresh.
        clearTimeout(idle);
        composing = false;
      }
      refresh();
    },
    draft: () => input.value(),
    setDraft(text) {
      input.setValue(text);
    },
    focus: () => input.focus(),
  };
}
