// The search operators of the chat list endpoints (`field[operator]=value`, list-dialogs and
// list-messages references) as typed data, and their translation to SQL. Columns come from each
// store's whitelist and values are always bound, so no request text ever becomes SQL.
import type { SqlValue } from './driver';

export type FilterOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 'all' | 'ctn';
export type FilterValue = string | number;

export interface Filter<F extends string> {
  field: F;
  operator: FilterOperator;
  /** One value, except for in / nin / all. */
  values: FilterValue[];
}

/** A filter on an app-defined key: a dialog's custom `data` field or a message's custom parameter. */
export interface CustomFilter {
  key: string;
  operator: FilterOperator;
  values: FilterValue[];
}

/** App-defined keys reach SQL only as bound JSON paths, and only in this shape. */
export const CUSTOM_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * How a field is stored: one SQL value per row (`scalar`), or a set of values per row (`set`) given
 * as an EXISTS subquery whose `{test}` is replaced by the comparison of its member.
 */
export type FilterColumn = { kind: 'scalar'; sql: string; params?: SqlValue[] } | { kind: 'set'; sql: string };

const COMPARISON: Partial<Record<FilterOperator, string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** Appends the WHERE conditions for `filters` to `conditions`, their values to `params`, in order. */
export function addFilterConditions<F extends string>(
  filters: ReadonlyArray<Filter<F>>,
  columns: Record<F, FilterColumn>,
  conditions: string[],
  params: SqlValue[],
): void {
  for (const filter of filters) conditions.push(condition(columns[filter.field], filter.operator, filter.values, params));
}

/** The same for custom keys, read from the JSON text in `jsonColumn`. */
export function addCustomFilterConditions(filters: readonly CustomFilter[], jsonColumn: string, conditions: string[], params: SqlValue[]): void {
  for (const filter of filters) {
    if (!CUSTOM_KEY.test(filter.key)) throw new Error(`Custom key "${filter.key}" is not allowed in a filter`);
    // Custom values are stored as the client sent them (often text): compare as numbers when numbers are asked for.
    const numeric = filter.operator !== 'ctn' && filter.values.every((v) => typeof v === 'number');
    const extract = `json_extract(${jsonColumn}, ?)`;
    const column: FilterColumn = { kind: 'scalar', sql: numeric ? `CAST(${extract} AS REAL)` : extract, params: [`$."${filter.key}"`] };
    conditions.push(condition(column, filter.operator, filter.values, params));
  }
}

function condition(column: FilterColumn, operator: FilterOperator, values: FilterValue[], params: SqlValue[]): string {
  return column.kind === 'scalar' ? scalarCondition(column, operator, values, params) : setCondition(column.sql, operator, values, params);
}

function scalarCondition(column: { sql: string; params?: SqlValue[] }, operator: FilterOperator, values: FilterValue[], params: SqlValue[]): string {
  // The column text may carry its own bound values (a JSON path); they precede the filter's at each use.
  const col = () => {
    params.push(...(column.params ?? []));
    return column.sql;
  };
  const comparison = COMPARISON[operator];
  if (comparison) {
    const sql = `${col()} ${comparison} ?`;
    params.push(values[0]);
    return sql;
  }
  switch (operator) {
    case 'eq':
    case 'all': {
      // `all` on a single value means it equals every listed value.
      const parts = values.map((v) => {
        const sql = `${col()} = ?`;
        params.push(v);
        return sql;
      });
      return `(${parts.join(' AND ')})`;
    }
    case 'ne': {
      const sql = `${col()} IS NOT ?`;
      params.push(values[0]);
      return sql;
    }
    case 'in': {
      const sql = `${col()} IN (SELECT value FROM json_each(?))`;
      params.push(JSON.stringify(values));
      return sql;
    }
    case 'nin': {
      const first = col();
      const second = col();
      params.push(JSON.stringify(values));
      return `(${first} IS NULL OR ${second} NOT IN (SELECT value FROM json_each(?)))`;
    }
    default: {
      // ctn: a substring, any case; instr() rather than LIKE so `%` and `_` in the text are literal.
      const sql = `instr(lower(${col()}), lower(?)) > 0`;
      params.push(String(values[0]));
      return sql;
    }
  }
}

function setCondition(template: string, operator: FilterOperator, values: FilterValue[], params: SqlValue[]): string {
  const has = (test: string) => template.replace('{test}', test);
  const comparison = COMPARISON[operator];
  if (comparison) {
    params.push(values[0]);
    return has(`${comparison} ?`);
  }
  switch (operator) {
    case 'all':
      params.push(...values);
      return `(${values.map(() => has('= ?')).join(' AND ')})`;
    case 'eq':
    case 'in':
      params.push(JSON.stringify(values));
      return has('IN (SELECT value FROM json_each(?))');
    case 'ne':
    case 'nin':
      params.push(JSON.stringify(values));
      return `NOT ${has('IN (SELECT value FROM json_each(?))')}`;
    default:
      // The REST layer offers ctn on text fields only; reaching here is a programming error.
      throw new Error(`Operator ${operator} does not apply to a set of values`);
  }
}
