// REST JSON built inside SQLite. Reading a page of rows out of the WASM build costs a copy and a
// UTF-8 decode per value (~1,400 values for 100 messages); building the page's JSON in SQL makes it
// one string instead. It must say exactly what rest/messageJson.ts says for the same row (same keys
// in the same order, same value types); test/unit/store-sqlJson.test.ts holds the two together.

import { MESSAGE_MODEL_KEYS } from '../../shared/messageFields';

/**
 * Keys that messageJson writes itself. A custom parameter named like one of them, or one that is a
 * number (JavaScript puts integer keys first in an object), would sit elsewhere in the object JS
 * builds: such a row is left to messageJson (see MESSAGE_JSON_UNUSUAL). `__proto__` too: as an
 * object key it would not become a property at all.
 */
const MESSAGE_KEYS = [...MESSAGE_MODEL_KEYS, '__proto__'];

/** `YYYY-MM-DDTHH:MM:SSZ` of unix ms: isoSeconds() in SQL (whole seconds, truncated; datetime() is cheaper than strftime()). */
export function isoSecondsSql(ms: string): string {
  return `replace(datetime(${ms} / 1000, 'unixepoch'), ' ', 'T') || 'Z'`;
}

/** A JSON array of user ids, ascending (the primary key's order), from a marks table (primary key message_id, user_id). */
function idsSql(table: string, id: string): string {
  return `json((SELECT json_group_array(user_id) FROM (SELECT user_id FROM ${table} WHERE message_id = ${id} ORDER BY user_id)))`;
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
    'delivered_ids', ${idsSql('message_deliveries', `${a}.id`)},
    'message', ${a}.body,
    'read_ids', ${idsSql('message_reads', `${a}.id`)},
    'recipient_id', ${a}.recipient_id,
    'sender_id', ${a}.sender_id,
    'updated_at', ${isoSecondsSql(`${a}.updated_at`)},
    'read', CASE WHEN ${a}.recipient_id != 0
      AND EXISTS (SELECT 1 FROM message_reads rr WHERE rr.message_id = ${a}.id AND rr.user_id = ${a}.recipient_id) THEN 1 ELSE 0 END)`;
  // json_set appends a key the object lacks, so markable comes last, as in messageJson.
  const marked = `CASE WHEN ${a}.markable = 1 THEN json_set(${model}, '$.markable', 1) ELSE ${model} END`;
  // Custom parameters go in front; json_patch would drop the null fields (RFC 7396), so the texts are joined.
  return `CASE WHEN ${a}.custom_params = '{}' THEN ${marked}
    ELSE json('{' || substr(json(${a}.custom_params), 2, length(json(${a}.custom_params)) - 2) || ',' || substr(${marked}, 2)) END`;
}

/** 1 when row `a` has a custom parameter that messageJsonSql() would place differently from messageJson(). */
export function messageJsonUnusualSql(a: string): string {
  const reserved = MESSAGE_KEYS.map((key) => `'${key}'`).join(', ');
  return `(${a}.custom_params != '{}' AND EXISTS (SELECT 1 FROM json_each(${a}.custom_params) c WHERE c.key IN (${reserved}) OR c.key GLOB '[0-9]*'))`;
}
