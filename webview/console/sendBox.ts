// Send raw XML: an editor checked by the host as you type (the page only posts text; the host parses
// it with the connection's own XML parser), the sender when several users are signed in, templates
// filled with a dialog as that sender sees it (a private dialog goes to the sender's opponent), and
// recall of sent stanzas with Ctrl+Up / Ctrl+Down.
import type { ConsoleContext, ConsoleDialog, RawXmlCheck } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { createButton } from '../components/button';
import { createSelect } from '../components/select';
import { createTextArea } from '../components/textArea';
import { fillTemplate, TEMPLATES, type TemplateName } from './templates';
import { HISTORY_LIMIT } from './state';

export interface SendBoxOptions {
  draft: string;
  history: readonly string[];
  validate(xml: string): Promise<RawXmlCheck>;
  send(xml: string, connection: string | undefined): Promise<void>;
  /** Draft and history changed: the view saves them. */
  onChange(draft: string, history: string[]): void;
}

export interface SendBoxHandle {
  element: HTMLElement;
  setContext(context: ConsoleContext): void;
}

const CHECK_DELAY_MS = 300;
const NO_TEMPLATE = '';

export function createSendBox(options: SendBoxOptions): SendBoxHandle {
  const history = [...options.history];
  /** Where Ctrl+Up/Down is in the history; history.length means the draft being written. */
  let recall = history.length;
  let draft = options.draft;
  /** By connection: the dialogs its user lists, addressed from that user. */
  let dialogsByConnection: Record<string, ConsoleDialog[]> = {};
  let connections: string[] = [];
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  /** Only the answer to the latest text counts; earlier checks may answer late. */
  let checkSeq = 0;

  const status = el('div', { className: 'st-send-status', attrs: { 'aria-live': 'polite' } });
  const showCheck = (check: RawXmlCheck | undefined) => {
    status.className = `st-send-status${check ? (check.ok ? ' st-valid' : ' st-invalid') : ''}`;
    status.textContent = check ? (check.ok ? check.summary : check.error) : '';
  };

  const editor = createTextArea({
    ariaLabel: 'Raw XML to send',
    placeholder: '<message to="…" type="chat"><body>…</body></message> — Ctrl+Enter sends, Ctrl+↑/↓ recalls sent stanzas',
    rows: 5,
    onInput: (value) => {
      draft = value;
      recall = history.length;
      options.onChange(draft, history);
      scheduleCheck();
    },
    onKeyDown: (event) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      if (event.key === 'Enter') {
        event.preventDefault();
        void send();
      } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        event.preventDefault();
        step(event.key === 'ArrowUp' ? -1 : 1);
      }
    },
  });
  editor.setValue(draft);

  function scheduleCheck(): void {
    clearTimeout(checkTimer);
    const text = editor.value();
    if (!text.trim()) {
      showCheck(undefined);
      return;
    }
    checkTimer = setTimeout(() => void check(text), CHECK_DELAY_MS);
  }

  async function check(text: string): Promise<void> {
    const seq = ++checkSeq;
    try {
      const result = await options.validate(text);
      if (seq === checkSeq) showCheck(result);
    } catch (error) {
      if (seq === checkSeq) showCheck({ ok: false, error: `Could not check: ${String(error)}` });
    }
  }

  function step(direction: -1 | 1): void {
    const next = Math.min(history.length, Math.max(0, recall + direction));
    if (next === recall) return;
    recall = next;
    editor.setValue(recall === history.length ? draft : history[recall]);
    scheduleCheck();
  }

  async function send(): Promise<void> {
    const text = editor.value();
    clearTimeout(checkTimer);
    checkSeq++;
    sendButton.setDisabled(true);
    try {
      await options.send(text, sender.value() || undefined);
      if (history[history.length - 1] !== text) history.push(text);
      history.splice(0, Math.max(0, history.length - HISTORY_LIMIT));
      recall = history.length;
      draft = text;
      options.onChange(draft, history);
      showCheck({ ok: true, summary: 'Sent. Ctrl+↑ recalls it.' });
    } catch (error) {
      showCheck({ ok: false, error: `Not sent: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      sendButton.setDisabled(false);
    }
  }

  const template = createSelect({
    ariaLabel: 'Template',
    options: [{ value: NO_TEMPLATE, label: 'Insert template…' }, ...TEMPLATES.map((t) => ({ value: t.name, label: t.label }))],
    onChange: (value) => {
      if (value === NO_TEMPLATE) return;
      const me = sendingAs();
      const text = fillTemplate(value as TemplateName, senderDialogs().find((d) => d.id === dialog.value()), me);
      template.setValue(NO_TEMPLATE);
      editor.setValue(text);
      draft = text;
      recall = history.length;
      options.onChange(draft, history);
      scheduleCheck();
      editor.focus();
    },
  });
  const dialog = createSelect({ ariaLabel: 'Dialog the template addresses', options: [], onChange: () => undefined });
  const sender = createSelect({ ariaLabel: 'Send as', options: [], onChange: showDialogs });

  /** The connection a stanza goes out on: the chosen one, else the host's default (the first). */
  function sendingAs(): string | undefined {
    return sender.value() || connections[0];
  }

  function senderDialogs(): ConsoleDialog[] {
    const me = sendingAs();
    return (me !== undefined && dialogsByConnection[me]) || [];
  }

  /** The dialog choices follow the sender: each user lists, and addresses, their own. */
  function showDialogs(): void {
    const list = senderDialogs();
    dialog.setOptions(
      list.length > 0 ? list.map((d) => ({ value: d.id, label: `${d.name} (${d.type})` })) : [{ value: '', label: 'No dialogs (sign in first)' }],
    );
  }
  const sendButton = createButton({ label: 'Send', icon: 'send', title: 'Send the stanza (Ctrl+Enter)', onClick: () => void send() });

  if (draft.trim()) scheduleCheck();
  return {
    element: el('section', { className: 'st-send', attrs: { 'aria-label': 'Send raw XML' } }, [
      el('div', { className: 'st-send-bar' }, [template.element, dialog.element, el('span', { className: 'st-filter-label', text: 'as' }), sender.element, sendButton.element]),
      editor.element,
      status,
    ]),
    setContext(context) {
      dialogsByConnection = context.dialogs;
      connections = context.connections;
      sender.setOptions(connections.length > 0 ? connections.map((c) => ({ value: c, label: c })) : [{ value: '', label: 'not signed in' }]);
      showDialogs();
    },
  };
}
