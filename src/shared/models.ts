// QuickBlox REST JSON shapes, as the cloud returns them (see ../shared/seeds and the protocol spec §3–6).
// Shared by the local server (which produces them), the client (which consumes them) and the webviews.

export type DialogType = 1 | 2 | 3;
export const DialogTypes = { publicGroup: 1, group: 2, private: 3 } as const;

export interface QBSession {
  _id: string;
  id: number;
  application_id: number;
  user_id: number;
  token: string;
  nonce: number;
  ts: number;
  created_at: string;
  updated_at: string;
}

export interface QBUser {
  id: number;
  login: string | null;
  email: string | null;
  full_name: string | null;
  phone: string | null;
  website: string | null;
  external_user_id: number | null;
  facebook_id: string | null;
  blob_id: number | null;
  custom_data: string | null;
  user_tags: string | null;
  created_at: string;
  updated_at: string;
  last_request_at: string | null;
}

export interface QBAttachment {
  type: string;
  id?: string;
  url?: string;
  name?: string;
  size?: number | string;
  [key: string]: unknown;
}

export interface QBDialog {
  _id: string;
  user_id: number;
  type: DialogType;
  name: string | null;
  photo: string | null;
  xmpp_room_jid: string | null;
  occupants_ids: number[];
  last_message: string | null;
  last_message_date_sent: number | null;
  last_message_id: string | null;
  last_message_user_id: number | null;
  unread_messages_count: number;
  is_join_required?: 0 | 1;
  created_at: string;
  updated_at: string;
  data?: Record<string, unknown>;
}

/** A chat message; custom parameters appear as extra top-level keys. */
export interface QBMessage {
  _id: string;
  chat_dialog_id: string;
  message: string | null;
  date_sent: number;
  sender_id: number;
  recipient_id: number;
  read_ids: number[];
  delivered_ids: number[];
  attachments: QBAttachment[];
  created_at: string;
  updated_at: string;
  read?: 0 | 1;
  markable?: 0 | 1;
  /** 0 on a live message whose stanza did not ask to be stored (see isUnsaved); not in REST JSON. */
  save_to_history?: unknown;
  [custom: string]: unknown;
}

export interface QBDialogList {
  total_entries: number;
  skip: number;
  limit: number;
  items: QBDialog[];
}

export interface QBMessageList {
  skip: number;
  limit: number;
  items: QBMessage[];
}

/** `{"errors": […]}` or `{"errors": {"field": […]}}`. */
export interface QBErrorBody {
  errors: string[] | Record<string, string[]>;
}
