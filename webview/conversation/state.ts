// What the conversation panel keeps across VS Code destroying and recreating its webview. The host's
// serializer reads `dialogId` and `userId` from it to know which conversation, as whom, to restore.
import type { ScrollAnchor } from '../common/virtualList';

export interface ParamRow {
  key: string;
  value: string;
}

export interface AttachmentRow {
  type: string;
  /** An id, or a URL (anything with a scheme). */
  ref: string;
  name: string;
}

/** The advanced composer: applied to a send only while open; kept (and saved) while closed. */
export interface AdvancedState {
  open: boolean;
  params: ParamRow[];
  attachments: AttachmentRow[];
  markable: boolean;
  saveToHistory: boolean;
  viaRest: boolean;
}

export function defaultAdvanced(): AdvancedState {
  return { open: false, params: [], attachments: [], markable: true, saveToHistory: true, viaRest: false };
}

/** One of our messages being edited in the composer, and the draft it set aside. */
export interface EditingState {
  messageId: string;
  stash: string;
}

export interface ConversationState {
  dialogId: string;
  /** The user the panel acts as; absent when it follows the primary user. */
  userId?: number;
  draft: string;
  anchor: ScrollAnchor;
  /** Absent in states saved before the advanced composer existed. */
  advanced?: AdvancedState;
  editing?: EditingState;
}

type Shape = Record<string, unknown>;

const isObject = (value: unknown): value is Shape => typeof value === 'object' && value !== null;

function isAnchor(value: unknown): value is ScrollAnchor {
  if (!isObject(value)) return false;
  if (value.kind === 'bottom') return true;
  return value.kind === 'item' && typeof value.key === 'string' && typeof value.offset === 'number';
}

function rowsOf(value: unknown, keys: readonly string[]): boolean {
  return Array.isArray(value) && value.every((row) => isObject(row) && keys.every((k) => typeof row[k] === 'string'));
}

function isAdvanced(value: unknown): value is AdvancedState {
  return (
    isObject(value) &&
    ['open', 'markable', 'saveToHistory', 'viaRest'].every((k) => typeof value[k] === 'boolean') &&
    rowsOf(value.params, ['key', 'value']) &&
    rowsOf(value.attachments, ['type', 'ref', 'name'])
  );
}

function isEditing(value: unknown): value is EditingState {
  return isObject(value) && typeof value.messageId === 'string' && typeof value.stash === 'string';
}

export function isConversationState(value: unknown): value is ConversationState {
  return (
    isObject(value) &&
    typeof value.dialogId === 'string' &&
    (value.userId === undefined || typeof value.userId === 'number') &&
    typeof value.draft === 'string' &&
    isAnchor(value.anchor) &&
    (value.advanced === undefined || isAdvanced(value.advanced)) &&
    (value.editing === undefined || isEditing(value.editing))
  );
}
