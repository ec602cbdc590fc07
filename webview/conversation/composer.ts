// The message box: Enter sends, Shift+Enter is a newline, nothing can be sent while offline, and a
// failed send keeps the text and says why right below it. Typing is announced: composing when the
// user starts, paused after a few idle seconds, on send, or when the box is emptied. Editing one of
// our messages happens here too: its text replaces the draft (set aside, and back on Escape or once
// saved), and Enter saves the edit instead of sending.
import type { TypingState } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { errorMessage } from '../../src/shared/errors';
import { createButton } from '../components/button';
import { createTextArea } from '../components/textArea';
import type { EditingState } from './state';

export interface ComposerOptions {
  /** Resolves once the host accepted the message; rejects with the reason otherwise. */
  send(text: string): Promise<void>;
  /** Resolves once the host saved the edit; rejects with the reason otherwise. */
  edit(messageId: string, text: string): Promise<void>;
  /** Whether a send may go without text (e.g. it carries an attachment). */
  allowEmpty(): boolean;
  /** The draft, or whether a message is being edited, changed. */
  onChange(): void;
  /** Our chat state changed (the page decides whether the dialog gets chat states at all). */
  onTyping?(state: TypingState): void;
  /** Shown beside Send (the advanced toggle) and under the box (its options). */
  extraButton?: HTMLElement;
  extraSection?: HTMLElement;
}

/** Seconds without a keystroke after which composing becomes paused (the SDK apps' usual 3 s). */
export const TYPING_IDLE_MS = 3000;

export interface ComposerHandle {
  element: HTMLElement;
  setOnline(online: boolean): void;
  draft(): string;
  setDraft(text: string): void;
  /** Puts one of our messages in the box for editing. */
  startEdit(messageId: string, text: string): void;
  /** The message being edited, with the draft set aside for it. */
  editing(): EditingState | undefined;
  /** Restores an edit in progress (after a reload); the box already holds its text. */
  resumeEdit(editing: EditingState): void;
  /** Ends an edit without saving: the set-aside draft comes back. */
  cancelEdit(): void;
  focus(): void;
}

const ONLINE_HINT = 'Message (Enter to send, Shift+Enter for a new line)';
const EDIT_HINT = 'Edited text (Enter to save, Escape to cancel)';
const OFFLINE_HINT = 'Offline: messages can be sent once connected';

export function createComposer(options: ComposerOptions): ComposerHandle {
  let online = false;
  let sending = false;
  let composing = false;
  let editing: EditingState | undefined;
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
      options.onChange();
      // An edit is not news for the other side until it is saved.
      if (online && !editing) setComposing(value.trim() !== '');
    },
    onKeyDown(event) {
      if (event.key === 'Escape' && editing) {
        event.preventDefault();
        cancelEdit();
        return;
      }
      // isComposing: Enter that confirms an IME composition is not a send.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      void submit();
    },
  });
  const button = createButton({ label: 'Send', icon: 'send', onClick: () => void submit() });
  const banner = el('span', { className: 'conv-editing-text', text: 'Editing your message' });
  const cancel = createButton({ label: 'Cancel', appearance: 'secondary', title: 'Stop editing (Escape)', onClick: () => cancelEdit() });
  const editingBar = el('div', { className: 'conv-editing', attrs: { role: 'status' } }, [banner, cancel.element]);

  function refresh(): void {
    input.setDisabled(!online);
    input.setPlaceholder(!online ? OFFLINE_HINT : editing ? EDIT_HINT : ONLINE_HINT);
    button.setDisabled(!online || sending);
    editingBar.hidden = !editing;
    button.setLabel(editing ? 'Save' : 'Send', editing ? 'check' : 'send');
  }

  function setEditing(next: EditingState | undefined): void {
    editing = next;
    error.textContent = '';
    refresh();
    options.onChange();
  }

  function cancelEdit(): void {
    if (!editing) return;
    const { stash } = editing;
    input.setValue(stash);
    setEditing(undefined);
  }

  async function submit(): Promise<void> {
    const text = input.value();
    const edit = editing;
    // An empty edit goes to the host, which says why it cannot be saved.
    if (!online || sending || (text.trim() === '' && !edit && !options.allowEmpty())) return;
    sending = true;
    setComposing(false);
    error.textContent = '';
    refresh();
    try {
      if (edit) await options.edit(edit.messageId, text);
      else await options.send(text);
      // The user may have kept typing while the request was in flight; keep what is new.
      if (input.value() === text) input.setValue(edit ? edit.stash : '');
      if (edit && editing === edit) setEditing(undefined);
      else options.onChange();
    } catch (failure) {
      error.textContent = `${edit ? 'Not saved' : 'Not sent'}: ${errorMessage(failure)}`;
    } finally {
      sending = false;
      refresh();
    }
  }

  refresh();
  const buttons = [input.element, button.element, ...(options.extraButton ? [options.extraButton] : [])];
  const row = el('div', { className: 'conv-composer-row' }, buttons);
  const parts = [editingBar, row, error, ...(options.extraSection ? [options.extraSection] : [])];
  return {
    element: el('footer', { className: 'conv-composer' }, parts),
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
    startEdit(messageId, text) {
      // Editing another message while one is open: the first one's stash is the real draft.
      const stash = editing ? editing.stash : input.value();
      setComposing(false);
      input.setValue(text);
      setEditing({ messageId, stash });
      input.focus();
    },
    editing: () => editing,
    resumeEdit(next) {
      setEditing(next);
    },
    cancelEdit,
    focus: () => input.focus(),
  };
}
