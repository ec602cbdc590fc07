// What the stanza console keeps across VS Code destroying and recreating its webview: follow-tail,
// the filters, the raw-XML draft and the stanzas sent from it (recalled with Ctrl+Up/Down).
import type { ConsoleFilter, ConsoleLane, StanzaKind } from '../../src/shared/protocol';

export interface ConsoleState {
  follow: boolean;
  filter: ConsoleFilter;
  draft: string;
  /** Sent stanzas, oldest first. */
  history: string[];
}

export const LANES: readonly ConsoleLane[] = ['in', 'out', 'server'];
export const KINDS: readonly StanzaKind[] = ['message', 'presence', 'iq', 'sm', 'other'];
export const HISTORY_LIMIT = 50;

export const DEFAULT_FILTER: ConsoleFilter = { lanes: [...LANES], kinds: [...KINDS], connection: '', jid: '' };

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isFilter(value: unknown): value is ConsoleFilter {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isStringArray(v.lanes) &&
    v.lanes.every((l) => (LANES as readonly string[]).includes(l)) &&
    isStringArray(v.kinds) &&
    v.kinds.every((k) => (KINDS as readonly string[]).includes(k)) &&
    typeof v.connection === 'string' &&
    typeof v.jid === 'string'
  );
}

/** Anything saved at all; restoreState checks the fields one by one. */
export function isSaved(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads what an earlier build may have saved: each field is taken when valid, defaulted otherwise. */
export function restoreState(v: Record<string, unknown> = {}): ConsoleState {
  return {
    follow: typeof v.follow === 'boolean' ? v.follow : true,
    filter: isFilter(v.filter) ? v.filter : { ...DEFAULT_FILTER },
    draft: typeof v.draft === 'string' ? v.draft : '',
    history: isStringArray(v.history) ? v.history.slice(-HISTORY_LIMIT) : [],
  };
}
