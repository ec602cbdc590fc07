// Pause, Clear, Export, follow-tail and a stanza count above the console list, and the notice that
// says what pausing means while it is on.
import { el } from '../common/dom';
import { createButton } from '../components/button';
import { createCheckbox } from '../components/checkbox';

export interface ToolbarOptions {
  follow: boolean;
  onPause(paused: boolean): void;
  onClear(): void;
  onExport(format: 'xml' | 'jsonl'): void;
  onFollowChange(follow: boolean): void;
}

export interface ToolbarHandle {
  element: HTMLElement;
  /** The "paused" notice, placed by the view above the list. */
  notice: HTMLElement;
  setFollow(follow: boolean): void;
  setCount(shown: number, total: number): void;
  /** Paused: how many stanzas arrived meanwhile; undefined when live. */
  setPaused(waiting: number | undefined): void;
  /** '' clears it. */
  showError(text: string): void;
  showStatus(text: string): void;
}

export function createToolbar(options: ToolbarOptions): ToolbarHandle {
  let paused = false;
  const pause = createButton({
    label: 'Pause',
    icon: 'debug-pause',
    appearance: 'secondary',
    title: 'Freeze the view; stanzas keep being captured and show when you resume',
    onClick: () => options.onPause(!paused),
  });
  const clear = createButton({ label: 'Clear', icon: 'clear-all', appearance: 'secondary', title: 'Clear the stanza log', onClick: options.onClear });
  const exportXml = createButton({
    label: 'Export XML…',
    icon: 'export',
    appearance: 'secondary',
    title: 'Save the stanzas the filters show, as XML with timestamps',
    onClick: () => options.onExport('xml'),
  });
  const exportJson = createButton({
    label: 'Export JSON lines…',
    icon: 'export',
    appearance: 'secondary',
    title: 'Save the stanzas the filters show, one JSON object per line',
    onClick: () => options.onExport('jsonl'),
  });
  const follow = createCheckbox({ label: 'Follow tail', checked: options.follow, onChange: options.onFollowChange });
  const count = el('span', { className: 'st-count', attrs: { 'aria-live': 'off' } });
  const status = el('span', { className: 'st-status', attrs: { role: 'status' } });
  const error = el('span', { className: 'st-error', attrs: { role: 'alert' } });
  const notice = el('div', { className: 'st-paused', attrs: { role: 'status', hidden: true } });
  return {
    element: el('header', { className: 'st-toolbar' }, [pause.element, clear.element, exportXml.element, exportJson.element, follow.element, count, status, error]),
    notice,
    setFollow: (on) => follow.setChecked(on),
    setCount(shown, total) {
      const stanzas = total === 1 ? '1 stanza' : `${total} stanzas`;
      count.textContent = shown === total ? stanzas : `${shown} of ${stanzas}`;
    },
    setPaused(waiting) {
      paused = waiting !== undefined;
      if (paused) pause.setLabel('Resume', 'debug-continue');
      else pause.setLabel('Pause', 'debug-pause');
      notice.hidden = !paused;
      notice.textContent = paused
        ? `Paused: the view is frozen. Capture goes on — ${waiting === 1 ? '1 new stanza is' : `${waiting} new stanzas are`} kept and will show when you resume.`
        : '';
    },
    showError(text) {
      error.textContent = text;
    },
    showStatus(text) {
      status.textContent = text;
    },
  };
}
