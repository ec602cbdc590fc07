// A message's read_ids and delivered_ids live on its row as JSON arrays of user ids, ascending and
// without spaces (`[1001,1002]`, what json_group_array writes), so a page of messages reads them with
// the row instead of looking them up per message. These are the SQL expressions over such a column.

/** True when the id array `column` holds the user id `id` (an SQL expression); a string test, no JSON parse. */
export function hasIdSql(column: string, id: string): string {
  return `(instr(replace(replace(${column}, '[', ','), ']', ','), ',' || ${id} || ',') > 0)`;
}

/** The id array `column` with `id` added, ascending, each id once. */
export function withIdSql(column: string, id: string): string {
  return `(SELECT json_group_array(value ORDER BY value) FROM (SELECT value FROM json_each(${column}) UNION SELECT ${id}))`;
}

/** The id array `column` without `id`. */
export function withoutIdSql(column: string, id: string): string {
  return `(SELECT json_group_array(value ORDER BY value) FROM json_each(${column}) WHERE value != ${id})`;
}
