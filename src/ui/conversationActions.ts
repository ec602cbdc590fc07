// What a conversation panel's message toolbar asks the host for: inspecting a message (the inspect
// commands do the work), copying its id, editing one of ours, and deleting after the user confirms.
// The page is our own bundle, but its requests are still checked: a bad one is answered with an
// error that says what was wrong, and nothing is sent or deleted.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { ConversationRequests, MessageAction } from '../shared/protocol';
import { isObjectId } from '../shared/objectId';
import { Commands } from './ids';
import type { RequestHandlers } from './webviewHost';

/** How long "Copied …" stays in the status bar. */
const COPIED_MS = 3000;
/** Stanza ids from other clients are not always ObjectIds, but never this long. */
const MAX_ID_LENGTH = 200;

/** The dialog a panel shows and the service signed in as its user, or why there is none. */
export interface ActionTarget {
  dialogId: string;
  /** Throws "not signed in …" when the panel's user is not online. */
  service(): ChatServiceApi;
}

type ActionHandlers = Pick<RequestHandlers<ConversationRequests>, 'action' | 'edit' | 'delete'>;

const ACTIONS: readonly MessageAction[] = ['inspectJson', 'inspectStanza', 'copyId'];

function messageIdOf(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    throw new Error(`"${String(value)}" is not a message id: pick the message in the conversation again`);
  }
  return value;
}

export function messageActionHandlers(target: ActionTarget): ActionHandlers {
  const { dialogId } = target;
  return {
    action: async ({ action, messageId }) => {
      const id = messageIdOf(messageId);
      if (!ACTIONS.includes(action)) throw new Error(`unknown message action "${String(action)}"`);
      if (action === 'copyId') {
        await vscode.env.clipboard.writeText(id);
        // Self-disposing after the timeout: nothing to keep.
        vscode.window.setStatusBarMessage(`$(check) Copied message id ${id}`, COPIED_MS);
        return null;
      }
      if (action === 'inspectStanza') {
        // The stanza log is in this window: nobody needs to be online to read it.
        await vscode.commands.executeCommand(Commands.inspectMessageStanza, { dialogId, messageId: id });
        return null;
      }
      if (!isObjectId(id)) throw new Error(`message ${id} was never stored (its id is the sending client's stanza id), so it has no JSON: show its stanza instead`);
      await vscode.commands.executeCommand(Commands.inspectMessageJson, { dialogId, messageId: id, userId: target.service().me?.id });
      return null;
    },
    edit: async ({ messageId, text }) => {
      const id = messageIdOf(messageId);
      if (typeof text !== 'string') throw new Error('the new text is missing: type it in the composer');
      await target.service().editMessage(dialogId, id, text);
      return null;
    },
    delete: async ({ messageId, forEveryone }) => {
      const id = messageIdOf(messageId);
      if (typeof forEveryone !== 'boolean') throw new Error('say whether to delete for everyone or only for you');
      const service = target.service();
      const choice = await vscode.window.showWarningMessage(
        forEveryone ? 'Delete this message for everyone?' : 'Delete this message for you?',
        {
          modal: true,
          detail: forEveryone
            ? 'It is removed from the history of every occupant. This cannot be undone.'
            : 'It disappears from your history only; the other occupants keep it.',
        },
        'Delete',
      );
      if (choice !== 'Delete') return { deleted: false };
      await service.deleteMessage(dialogId, id, { forEveryone });
      return { deleted: true };
    },
  };
}
