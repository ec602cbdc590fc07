// A message as the REST API returns it (message model reference): custom parameters at the top level.
import type { QBMessage } from '../../shared/models';
import type { MessageRecord } from '../store/chatStore';
import { isoSeconds } from './time';

export function messageJson(message: MessageRecord): QBMessage {
  return {
    ...message.customParams,
    _id: message.id,
    attachments: message.attachments,
    chat_dialog_id: message.dialogId,
    created_at: isoSeconds(message.createdAt),
    date_sent: message.dateSent,
    delivered_ids: message.deliveredIds,
    message: message.body,
    read_ids: message.readIds,
    recipient_id: message.recipientId,
    sender_id: message.senderId,
    updated_at: isoSeconds(message.updatedAt),
    // Deprecated flag for private dialogs: has the recipient read it.
    read: message.recipientId !== 0 && message.readIds.includes(message.recipientId) ? 1 : 0,
    ...(message.markable ? { markable: 1 as const } : {}),
  };
}
