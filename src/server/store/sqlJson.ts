// REST JSON of messages and dialogs built inside SQLite. Reading a page of rows out of the WASM build
// costs a copy and a UTF-8 decode per value (~1,400 values for 100 messages); building the page's
// JSON in SQL makes it one string instead. A message's JSON is built once, when it is stored, and
// kept in its row (messages.json, which the triggers of schema.ts refresh on every mark and edit), so
// a page of messages only joins texts. Each builder must say exactly what rest/messageJson.ts or
// rest/dialogJson.ts says for the same row (same keys in the same order, same value types);
// test/unit/store-sqlJson.test.ts holds them together.
//
// Ordering: an aggregate over a subquery with ORDER BY gets its rows in that order (SQLite does not
// flatten such a subquery into an aggregate query), so pages and id lists are aggregated without an
// ORDER BY of their own, which would sort every row once more.

import { MESSAGE_MODEL_KEYS } from '../../shared/messageFields';
import { hasIdSql } from './idSets';

/**
 * Keys that messageJson writes itself. A custom parameter named like one of them, or one that is a
 * number (JavaScript puts integer keys first in an object), would sit elsewhere in the object JS
 * builds: such a row is left to messageJson (see messageJsonUnusualSql). `__proto__` too: as an
 * object key it would not become a property at all.
 */
const MESSAGE_KEYS = [...MESSAGE_MODEL_KEYS, '__proto__'];

/** `YYYY-MM-DDTHH:MM:SSZ` of unix ms: isoSeconds() in SQL (whole seconds, truncated; datetime() is cheaper than strftime()). */
export function isoSecondsSql(ms: string): string {
  return `replace(datetime(${ms} / 1000, 'unixepoch'), ' ', 'T') || 'Z'`;
}

/**
 * The JSON of one message row `a` (columns of the messages table), as messageJson() builds it:
 * custom parameters first, then the model's keys in its order, then markable only when set.
 * json_object() is much cheaper here than building the text with `||`.
 */
export function messageJsonSql(a: string): string {
  const model = `json_object(
    '_id', ${a}.id,
    'attachments', json(${a}.attachments),
    'chat_dialog_id', ${a}.dialog_id,
    'created_at', ${isoSecondsSql(`${a}.created_at`)},
    'date_sent', ${a}.date_sent,
    'delivered_ids', json(${a}.delivered_ids),
    'message', ${a}.body,
    'read_ids', json(${a}.read_ids),
    'recipient_id', ${a}.recipient_id,
    'sender_id', ${a}.sender_id,
    'updated_at', ${isoSecondsSql(`${a}.updated_at`)},
    'read', CASE WHEN ${a}.recipient_id != 0 AND ${hasIdSql(`${a}.read_ids`, `${a}.recipient_id`)} THEN 1 ELSE 0 END)`;
  // json_set appends a key the object lacks, so markable comes last, as in messageJson.
  const marked = `CASE WHEN ${a}.markable = 1 THEN json_set(${model}, '$.markable', 1) ELSE ${model} END`;
  // Custom parameters go in front; json_patch would drop the null fields (RFC 7396), so the texts are joined.
  return `CASE WHEN ${a}.custom_params = '{}' THEN ${marked}
    ELSE json('{' || substr(json(${a}.custom_params), 2, length(json(${a}.custom_params)) - 2) || ',' || substr(${marked}, 2)) END`;
}

/** What messages.json holds for row `a`: its JSON, or NULL for an unusual row that messageJson must build. */
export function storedMessageJsonSql(a: string): string {
  return `CASE WHEN ${messageJsonUnusualSql(a)} THEN NULL ELSE ${messageJsonSql(a)} END`;
}

/** 1 when row `a` has a custom parameter that messageJsonSql() would place differently from messageJson(). */
export function messageJsonUnusualSql(a: string): string {
  const reserved = MESSAGE_KEYS.map((key) => `'${key}'`).join(', ');
  return `(${a}.custom_params != '{}' AND EXISTS (SELECT 1 FROM json_each(${a}.custom_params) c WHERE c.key IN (${reserved}) OR c.key GLOB '[0-9]*'))`;
}

/** A dialog's occupant ids, ascending, read straight off the primary key (see Ordering above). */
const ORDERED_OCCUPANTS = (d: string) => `SELECT o.user_id FROM dialog_occupants o WHERE o.dialog_id = ${d}.id ORDER BY o.user_id`;

/**
 * The JSON of one dialog row `d` (a dialogs row plus `unread_count`, the viewer's) as dialogJson()
 * builds it for the viewer `k.viewer_id`: a private dialog is named after the other occupant (the
 * lowest id but the viewer's), a group's room JID is `k.room_prefix || id || k.room_suffix`, and
 * is_join_required (groups) and data (when set) come last.
 */
export function dialogJsonSql(d: string, k: string): string {
  const opponentName = `(SELECT coalesce(nullif(u.full_name, ''), nullif(u.login, ''), nullif(u.email, ''), 'User ' || u.id) FROM users u
    WHERE u.id = coalesce((SELECT min(o.user_id) FROM dialog_occupants o WHERE o.dialog_id = ${d}.id AND o.user_id != ${k}.viewer_id), ${k}.viewer_id))`;
  const model = (extra: string) => `json_object(
    '_id', ${d}.id,
    'created_at', ${isoSecondsSql(`${d}.created_at`)},
    'last_message', ${d}.last_message,
    'last_message_date_sent', ${d}.last_message_date_sent,
    'last_message_id', ${d}.last_message_id,
    'last_message_user_id', ${d}.last_message_user_id,
    'name', CASE WHEN ${d}.type = 3 THEN ${opponentName} ELSE ${d}.name END,
    'occupants_ids', (SELECT json_group_array(user_id) FROM (${ORDERED_OCCUPANTS(d)})),
    'photo', ${d}.photo,
    'type', ${d}.type,
    'updated_at', ${isoSecondsSql(`${d}.updated_at`)},
    'user_id', ${d}.owner_id,
    'xmpp_room_jid', CASE WHEN ${d}.type = 3 THEN NULL ELSE ${k}.room_prefix || ${d}.id || ${k}.room_suffix END,
    'unread_messages_count', ${d}.unread_count${extra})`;
  // One object per shape, in the order dialogJson adds the optional keys (json_set would parse it again).
  const joinable = `, 'is_join_required', ${d}.is_join_required`;
  const data = `, 'data', json(${d}.data)`;
  return `CASE WHEN ${d}.type = 3 AND ${d}.data IS NULL THEN ${model('')}
    WHEN ${d}.type = 3 THEN ${model(data)}
    WHEN ${d}.data IS NULL THEN ${model(joinable)}
    ELSE ${model(joinable + data)} END`;
}

/** 1 when row `d`'s custom data has, at any depth, an object key JavaScript would put first (integer-like). */
export function dialogJsonUnusualSql(d: string): string {
  return `(${d}.data IS NOT NULL AND EXISTS (SELECT 1 FROM json_tree(${d}.data) t WHERE typeof(t.key) = 'text' AND t.key GLOB '[0-9]*'))`;
}
