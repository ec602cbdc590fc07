// The advanced composer, opened by a toggle beside Send: custom parameters (key/value rows),
// attachments (type, id or URL, optional name), markable, save_to_history, and sending over REST
// (send_to_chat=1) instead of XMPP. Its options apply to a send only while it is open; what is in it
// stays (and is saved with the page state) while closed. Problems show beside their field and
// nothing typed is ever cleared by a failed send.
import type { SendOptions } from '../../src/shared/protocol';
import { el, setAttrs } from '../common/dom';
import { createButton } from '../components/button';
import { createCheckbox } from '../components/checkbox';
import { createTextField } from '../components/textField';
import { buildSendOptions, type Problem } from './sendOptions';
import { type AdvancedState, defaultAdvanced } from './state';

export interface AdvancedComposerHandle {
  /** The options, shown under the message box while open. */
  element: HTMLElement;
  /** The toggle, for the composer's button row. */
  toggle: HTMLElement;
  state(): AdvancedState;
  restore(state: AdvancedState): void;
  /** Whether a send may go without text: an open composer with an attachment row filled in. */
  hasAttachments(): boolean;
  /**
   * The options of a send: undefined while closed; otherwise the options, or an error after the
   * problems were shown beside their fields.
   */
  read(): SendOptions | undefined;
}

const SECTION_ID = 'conv-advanced';

export function createAdvancedComposer(onChange: () => void): AdvancedComposerHandle {
  let state = defaultAdvanced();
  const paramRows = el('div', { className: 'conv-adv-rows' });
  const attachmentRows = el('div', { className: 'conv-adv-rows' });
  const flagsProblem = problemLine();
  /** Problem lines of the rows as last rendered, by place. */
  let paramProblems: HTMLElement[] = [];
  let attachmentProblems: HTMLElement[] = [];

  const changed = () => onChange();

  const toggle = createButton({
    label: 'Advanced',
    appearance: 'secondary',
    title: 'Custom parameters, attachments, markable, save_to_history, REST',
    onClick: () => {
      state.open = !state.open;
      showOpen();
      changed();
    },
  });
  toggle.element.classList.add('conv-advanced-toggle');

  const markable = createCheckbox({ label: 'markable (ask for read/delivered markers)', checked: true, onChange: (v) => flag('markable', v) });
  const saveToHistory = createCheckbox({ label: 'save_to_history', checked: true, onChange: (v) => flag('saveToHistory', v) });
  const viaRest = createCheckbox({ label: 'Send over REST (send_to_chat=1) instead of XMPP', checked: false, onChange: (v) => flag('viaRest', v) });

  function flag(name: 'markable' | 'saveToHistory' | 'viaRest', value: boolean): void {
    state[name] = value;
    flagsProblem.textContent = '';
    changed();
  }

  const addParam = createButton({
    label: 'Add parameter',
    appearance: 'secondary',
    onClick: () => {
      state.params.push({ key: '', value: '' });
      renderRows(state.params.length - 1, 'param');
      changed();
    },
  });
  const addAttachment = createButton({
    label: 'Add attachment',
    appearance: 'secondary',
    onClick: () => {
      state.attachments.push({ type: 'image', ref: '', name: '' });
      renderRows(state.attachments.length - 1, 'attachment');
      changed();
    },
  });

  const element = el('section', { className: 'conv-advanced', attrs: { id: SECTION_ID, 'aria-label': 'Advanced send options' } }, [
    el('div', { className: 'conv-adv-group' }, [el('h2', { className: 'conv-adv-title', text: 'Custom parameters' }), paramRows, addParam.element]),
    el('div', { className: 'conv-adv-group' }, [el('h2', { className: 'conv-adv-title', text: 'Attachments' }), attachmentRows, addAttachment.element]),
    el('div', { className: 'conv-adv-flags' }, [markable.element, saveToHistory.element, viaRest.element, flagsProblem]),
  ]);
  setAttrs(toggle.element, { 'aria-controls': SECTION_ID });

  function showOpen(): void {
    element.hidden = !state.open;
    setAttrs(toggle.element, { 'aria-expanded': String(state.open) });
  }

  /** Rebuilds both row lists from the state; `focus` puts the caret in a new row's first field. */
  function renderRows(focus?: number, focusKind?: 'param' | 'attachment'): void {
    paramProblems = [];
    attachmentProblems = [];
    paramRows.replaceChildren(
      ...state.params.map((row, index) => {
        const problem = problemLine();
        paramProblems.push(problem);
        const key = createTextField({ ariaLabel: `Parameter ${index + 1} name`, placeholder: 'name', value: row.key, onInput: (v) => edit(() => (row.key = v), problem) });
        const value = createTextField({ ariaLabel: `Parameter ${index + 1} value`, placeholder: 'value', value: row.value, onInput: (v) => edit(() => (row.value = v), problem) });
        if (focusKind === 'param' && focus === index) requestAnimationFrame(() => key.focus());
        return rowElement([key.element, value.element], () => state.params.splice(index, 1), `parameter ${index + 1}`, problem);
      }),
    );
    attachmentRows.replaceChildren(
      ...state.attachments.map((row, index) => {
        const problem = problemLine();
        attachmentProblems.push(problem);
        const type = createTextField({ ariaLabel: `Attachment ${index + 1} type`, placeholder: 'type', value: row.type, onInput: (v) => edit(() => (row.type = v), problem) });
        const ref = createTextField({
          ariaLabel: `Attachment ${index + 1} id or URL`,
          placeholder: 'id or https://… URL',
          value: row.ref,
          onInput: (v) => edit(() => (row.ref = v), problem),
        });
        const name = createTextField({ ariaLabel: `Attachment ${index + 1} name`, placeholder: 'name (optional)', value: row.name, onInput: (v) => edit(() => (row.name = v), problem) });
        if (focusKind === 'attachment' && focus === index) requestAnimationFrame(() => ref.focus());
        return rowElement([type.element, ref.element, name.element], () => state.attachments.splice(index, 1), `attachment ${index + 1}`, problem);
      }),
    );
  }

  function edit(apply: () => void, problem: HTMLElement): void {
    apply();
    problem.textContent = '';
    changed();
  }

  function rowElement(fields: HTMLElement[], remove: () => void, what: string, problem: HTMLElement): HTMLElement {
    const removeButton = createButton({
      label: 'Remove',
      appearance: 'secondary',
      title: `Remove ${what}`,
      onClick: () => {
        remove();
        renderRows();
        changed();
      },
    });
    setAttrs(removeButton.element, { 'aria-label': `Remove ${what}` });
    return el('div', { className: 'conv-adv-row' }, [el('div', { className: 'conv-adv-fields' }, [...fields, removeButton.element]), problem]);
  }

  function show(problems: readonly Problem[]): void {
    for (const line of [...paramProblems, ...attachmentProblems, flagsProblem]) line.textContent = '';
    for (const { place, message } of problems) {
      const line = place.kind === 'flags' ? flagsProblem : (place.kind === 'param' ? paramProblems : attachmentProblems)[place.index];
      if (line) line.textContent = line.textContent ? `${line.textContent}; ${message}` : message;
    }
  }

  function restore(next: AdvancedState): void {
    state = structuredClone(next);
    markable.setChecked(state.markable);
    saveToHistory.setChecked(state.saveToHistory);
    viaRest.setChecked(state.viaRest);
    renderRows();
    showOpen();
  }

  restore(state);
  return {
    element,
    toggle: toggle.element,
    state: () => structuredClone(state),
    restore,
    hasAttachments: () => state.open && state.attachments.some((a) => a.ref.trim() !== ''),
    read() {
      if (!state.open) return undefined;
      const built = buildSendOptions(state);
      show(built.ok ? [] : built.problems);
      if (!built.ok) {
        const count = built.problems.length;
        throw new Error(`fix ${count === 1 ? 'the problem' : `the ${count} problems`} shown in the advanced options`);
      }
      return built.options;
    },
  };
}

function problemLine(): HTMLElement {
  return el('div', { className: 'conv-adv-problem', attrs: { role: 'alert' } });
}
