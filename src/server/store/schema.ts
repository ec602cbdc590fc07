// The database schema as an append-only list of migrations; PRAGMA user_version records how many
// have run. Never edit a shipped migration: add a new one, so existing data files upgrade in place.
import type { SqlDriver } from './driver';
import { hasIdSql } from './idSets';
import { isoSecondsSql, storedMessageJsonSql } from './sqlJson';

const migrations: string[] = [
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT COLLATE NOCASE UNIQUE,
    email TEXT COLLATE NOCASE UNIQUE,
    full_name TEXT,
    phone TEXT,
    website TEXT,
    external_user_id INTEGER UNIQUE,
    facebook_id TEXT,
    blob_id INTEGER,
    custom_data TEXT,
    tags TEXT,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_request_at INTEGER
  );
  -- User ids start at 1001 so that a user id is never mistaken for a count or an index (JIDs look like 1001-1@localhost).
  INSERT INTO sqlite_sequence (name, seq) VALUES ('users', 1000);

  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE,
    app_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    nonce INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  -- Kept apart from sessions: a destroyed session must not make its nonce reusable.
  CREATE TABLE used_nonces (
    app_id INTEGER NOT NULL,
    nonce INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (app_id, nonce, ts)
  ) WITHOUT ROWID;

  CREATE TABLE dialogs (
    id TEXT PRIMARY KEY,
    type INTEGER NOT NULL CHECK (type IN (1, 2, 3)),
    owner_id INTEGER NOT NULL,
    name TEXT,
    photo TEXT,
    is_join_required INTEGER NOT NULL DEFAULT 0,
    data TEXT,
    -- 'low:high' user ids for a private dialog, NULL otherwise: makes one private dialog per pair a constraint.
    private_pair TEXT UNIQUE,
    last_message TEXT,
    last_message_date_sent INTEGER,
    last_message_id TEXT,
    last_message_user_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- unread_count is maintained by createMessage/markRead in their transactions, so the dialog list
  -- reads it instead of scanning messages (the heaviest QuickBlox query otherwise).
  CREATE TABLE dialog_occupants (
    dialog_id TEXT NOT NULL REFERENCES dialogs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    unread_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dialog_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX dialog_occupants_by_user ON dialog_occupants (user_id, dialog_id);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    dialog_id TEXT NOT NULL REFERENCES dialogs (id) ON DELETE CASCADE,
    sender_id INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    body TEXT,
    date_sent INTEGER NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    custom_params TEXT NOT NULL DEFAULT '{}',
    markable INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX messages_by_dialog ON messages (dialog_id, date_sent, id);

  CREATE TABLE message_reads (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE message_deliveries (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
  ) WITHOUT ROWID;
  `,
  // The stanza id of an XMPP message whose id could not become the stored _id, so that chat markers
  // citing either id find it (protocol spec §7.6).
  `
  ALTER TABLE messages ADD COLUMN stanza_id TEXT;
  CREATE INDEX messages_by_stanza_id ON messages (dialog_id, stanza_id) WHERE stanza_id IS NOT NULL;
  `,
  // Per-user state of the full REST API: push settings per dialog, and dialogs or messages a user
  // deleted for themself only (delete without force=1), which everyone else still sees.
  `
  ALTER TABLE dialog_occupants ADD COLUMN notifications_enabled INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE hidden_dialogs (
    dialog_id TEXT NOT NULL REFERENCES dialogs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, dialog_id)
  ) WITHOUT ROWID;
  CREATE INDEX hidden_dialogs_by_dialog ON hidden_dialogs (dialog_id);
  CREATE TABLE hidden_messages (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
  ) WITHOUT ROWID;
  `,
  // Rosters (RFC 6121): one row per (user, contact) holding the subscription state, including a
  // stranger's pending request (listed = 0); a version per user (XEP-0237); when each user was last
  // online (XEP-0012).
  `
  CREATE TABLE roster_items (
    user_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    name TEXT,
    groups TEXT NOT NULL DEFAULT '[]',
    subscription TEXT NOT NULL DEFAULT 'none' CHECK (subscription IN ('none', 'to', 'from', 'both')),
    ask_out INTEGER NOT NULL DEFAULT 0,
    pending_in INTEGER NOT NULL DEFAULT 0,
    pending_since INTEGER,
    listed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, contact_id)
  ) WITHOUT ROWID;
  CREATE TABLE roster_versions (
    user_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
  );
  CREATE TABLE last_seen (
    user_id INTEGER PRIMARY KEY,
    seen_at INTEGER NOT NULL
  );
  `,
  // Message features: stanzas queued for offline users (XEP-0160), delivered in id order; privacy
  // lists (XEP-0016) with their items as JSON, read whole and cached, and each user's default list.
  `
  CREATE TABLE offline_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    stanza TEXT NOT NULL,
    queued_at INTEGER NOT NULL
  );
  CREATE INDEX offline_messages_by_user ON offline_messages (user_id, id);
  CREATE TABLE privacy_lists (
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    items TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
  ) WITHOUT ROWID;
  CREATE TABLE privacy_defaults (
    user_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
  );
  `,
  // The dialog list: its default order (newest activity first) walks an index and stops after one page
  // instead of sorting every dialog, and counting it finds the public dialogs without a scan. Partial:
  // an index on every type would lure the planner into reading all of a type's dialogs to sort them.
  // The user's unread total sums unread_count from an index instead of reading each of the user's
  // occupant rows.
  `
  CREATE INDEX dialogs_by_updated ON dialogs (updated_at, id);
  CREATE INDEX public_dialogs ON dialogs (id) WHERE type = 1;
  CREATE INDEX dialog_occupants_unread ON dialog_occupants (user_id, unread_count);
  `,
  // A page of messages costs what it reads per row: read_ids and delivered_ids move from tables of
  // their own onto the message row (JSON arrays, see idSets.ts), and the row keeps its REST JSON,
  // built once when stored (NULL where rest/messageJson must build it) and refreshed by the triggers
  // in the same statement as every change of a mark or an edit. The JSON is built by sqlJson.ts as it
  // is when this runs: a later change of the message JSON needs a migration that rebuilds it.
  `
  ALTER TABLE messages ADD COLUMN read_ids TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE messages ADD COLUMN delivered_ids TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE messages ADD COLUMN json TEXT;
  UPDATE messages SET
    read_ids = (SELECT json_group_array(user_id ORDER BY user_id) FROM message_reads WHERE message_id = messages.id),
    delivered_ids = (SELECT json_group_array(user_id ORDER BY user_id) FROM message_deliveries WHERE message_id = messages.id);
  DROP TABLE message_reads;
  DROP TABLE message_deliveries;
  UPDATE messages SET json = ${storedMessageJsonSql('messages')};
  CREATE TRIGGER messages_json_marks AFTER UPDATE OF read_ids, delivered_ids ON messages WHEN NEW.json IS NOT NULL BEGIN
    UPDATE messages SET json = json_replace(NEW.json,
      '$.delivered_ids', json(NEW.delivered_ids),
      '$.read_ids', json(NEW.read_ids),
      '$.read', CASE WHEN NEW.recipient_id != 0 AND ${hasIdSql('NEW.read_ids', 'NEW.recipient_id')} THEN 1 ELSE 0 END)
    WHERE id = NEW.id;
  END;
  CREATE TRIGGER messages_json_edit AFTER UPDATE OF body, updated_at ON messages WHEN NEW.json IS NOT NULL BEGIN
    UPDATE messages SET json = json_replace(NEW.json, '$.message', NEW.body, '$.updated_at', ${isoSecondsSql('NEW.updated_at')})
    WHERE id = NEW.id;
  END;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/**
 * Brings the database up to version `to` (SCHEMA_VERSION; an older one only to make an old file in a
 * test); refuses a file written by a newer version.
 */
export function migrate(db: SqlDriver, to = SCHEMA_VERSION): void {
  const version = db.prepare('PRAGMA user_version').get<{ user_version: number }>()?.user_version ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The database has schema version ${version}, newer than this server understands (${SCHEMA_VERSION}). ` +
        'Update the extension, or use another --data path.',
    );
  }
  for (let next = version; next < to; next++) {
    db.transaction(() => {
      db.exec(migrations[next]);
      db.exec(`PRAGMA user_version = ${next + 1}`);
    });
  }
}
