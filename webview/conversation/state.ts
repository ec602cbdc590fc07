// What the conversation panel keeps across VS Code destroying and recreating its webview.
import type { ScrollAnchor } from '../common/virtualList';

export interface ConversationState {
  dialogId: string;
  draft: string;
  anchor: ScrollAnchor;
}

function isAnchor(value: unknown): value is ScrollAnchor {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  if (value.kind === 'bottom') return true;
  return (
    value.kind === 'item' &&
    'key' in value &&
    typeof value.key === 'string' &&
    'offset' in value &&
    typeof value.offset === 'number'
  );
}

export function isConversationState(value: unknown): value is ConversationState {
  return (
    typeof value === 'object' &&
    value !== null &&
    'dialogId' in value &&
    typeof value.dialogId === 'string' &&
    'draft' in value &&
    typeof value.draft === 'string' &&
    'anchor' in value &&
    isAnchor(value.anchor)
  );
}
