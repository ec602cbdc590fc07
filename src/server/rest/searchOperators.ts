// `field=value` and `field[operator]=value` of the chat list endpoints (list-dialogs and
// list-messages references): lt lte gt gte ne in nin all or ctn, typed by the field, as store
// filters. A value of the wrong type or an operator the field cannot take is a 422 naming it.
import { isObjectId } from '../../shared/objectId';
import { CUSTOM_KEY, type CustomFilter, type Filter, type FilterOperator, type FilterValue } from '../store/filters';
import { invalidField } from './errors';
import { isPlainObject, type Params } from './params';

/** How a field's values are written: integers, text, ObjectIds, dates (unix seconds or ISO), or a set of integers / texts. */
export type FieldType = 'int' | 'text' | 'objectId' | 'date' | 'intSet' | 'textSet';

const OPERATORS = ['lt', 'lte', 'gt', 'gte', 'ne', 'in', 'nin', 'all', 'or', 'ctn'] as const;
type RequestOperator = (typeof OPERATORS)[number];

const LIST_OPERATORS = new Set<FilterOperator>(['in', 'nin', 'all']);

/** Filters for every key of `fields` present in params (plain value = equality). */
export function fieldFilters<F extends string>(params: Params, fields: Record<F, FieldType>): Array<Filter<F>> {
  const filters: Array<Filter<F>> = [];
  for (const [field, type] of Object.entries(fields) as Array<[F, FieldType]>) {
    const value = params[field];
    if (value === undefined) continue;
    for (const { operator, values } of operations(field, value)) {
      filters.push({ field, operator: checkedOperator(field, operator, type), values: values.map((v) => typed(field, v, type)) });
    }
  }
  return filters;
}

/** Filters on an app-defined key (custom parameters, dialog `data[...]`): numbers where the text is one. */
export function customFilters(key: string, value: unknown, label = key): CustomFilter[] {
  if (!CUSTOM_KEY.test(key)) {
    throw invalidField(label, 'is not a field this server can search: use letters, digits, "_" and "-" (at most 64)');
  }
  return operations(label, value).map(({ operator, values }) => ({
    key,
    operator,
    values: values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) && operator !== 'ctn' ? Number(v) : v)),
  }));
}

function operations(label: string, value: unknown): Array<{ operator: FilterOperator; values: string[] }> {
  if (!isPlainObject(value)) return [{ operator: 'eq', values: [scalarText(label, value)] }];
  return Object.entries(value).map(([op, v]) => {
    if (!isRequestOperator(op)) {
      throw invalidField(`${label}[${op}]`, `is not a search operator; use one of ${OPERATORS.join(', ')}`);
    }
    const operator: FilterOperator = op === 'or' ? 'in' : op;
    const values = LIST_OPERATORS.has(operator) ? listTexts(`${label}[${op}]`, v) : [scalarText(`${label}[${op}]`, v)];
    if (values.length === 0) throw invalidField(`${label}[${op}]`, 'needs at least one value');
    return { operator, values };
  });
}

function checkedOperator(field: string, operator: FilterOperator, type: FieldType): FilterOperator {
  const isSet = type === 'intSet' || type === 'textSet';
  if (operator === 'ctn' && type !== 'text') throw invalidField(`${field}[ctn]`, 'ctn (contains) applies to text fields only');
  if (operator === 'all' && !isSet) throw invalidField(`${field}[all]`, 'all applies to list fields such as occupants_ids');
  return operator;
}

function typed(field: string, text: string, type: FieldType): FilterValue {
  switch (type) {
    case 'int':
    case 'intSet': {
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) throw invalidField(field, `must be an integer, got "${text}"`);
      return n;
    }
    case 'date': {
      // Unix seconds as the JSON shows them, or an ISO 8601 date.
      const seconds = /^-?\d+$/.test(text) ? Number(text) : Math.floor(Date.parse(text) / 1000);
      if (!Number.isSafeInteger(seconds)) throw invalidField(field, `must be unix seconds or an ISO 8601 date, got "${text}"`);
      return seconds;
    }
    case 'objectId':
      if (!isObjectId(text)) throw invalidField(field, `must be a 24-character hex id, got "${text}"`);
      return text.toLowerCase();
    default:
      return text;
  }
}

function scalarText(label: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidField(label, 'must be a single value');
}

/** `1,2`, `[1,2]` (JSON) or `key[op][]=1,2`; items trimmed, empties dropped. */
function listTexts(label: string, value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (typeof item === 'number') return [String(item)];
    if (typeof item !== 'string') throw invalidField(label, 'must be a list of values such as 1,2');
    return item
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  });
}

function isRequestOperator(value: string): value is RequestOperator {
  return (OPERATORS as readonly string[]).includes(value);
}
