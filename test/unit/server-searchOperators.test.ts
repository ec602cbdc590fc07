import * as assert from 'node:assert/strict';
import { HttpError } from '../../src/server/rest/errors';
import { parseFormEncoded } from '../../src/server/rest/params';
import { customFilters, fieldFilters, type FieldType } from '../../src/server/rest/searchOperators';

const FIELDS: Record<string, FieldType> = { _id: 'objectId', type: 'int', name: 'text', created_at: 'date', occupants_ids: 'intSet' };
const parse = (query: string) => fieldFilters(parseFormEncoded(query), FIELDS);
const rejects = (query: string, field: string) =>
  assert.throws(() => parse(query), (e: unknown) => e instanceof HttpError && e.status === 422 && JSON.stringify(e.errors).includes(field), query);

describe('server: list search operators', () => {
  it('reads a plain value as equality and bracket keys, raw or encoded, as operators', () => {
    assert.deepEqual(parse('type=2'), [{ field: 'type', operator: 'eq', values: [2] }]);
    assert.deepEqual(parse('type%5Bin%5D=1%2C%202'), [{ field: 'type', operator: 'in', values: [1, 2] }]);
    assert.deepEqual(parse('name[ctn]=a,b'), [{ field: 'name', operator: 'ctn', values: ['a,b'] }], 'ctn keeps commas');
    assert.deepEqual(parse('occupants_ids[all]=3,4'), [{ field: 'occupants_ids', operator: 'all', values: [3, 4] }]);
    assert.deepEqual(parse('type[or]=1,3'), [{ field: 'type', operator: 'in', values: [1, 3] }], 'or is in');
    assert.deepEqual(parse('type[gte]=1&type[lt]=3').map((f) => f.operator), ['gte', 'lt']);
  });

  it('types values: dates as unix seconds or ISO, ids lower-cased', () => {
    assert.deepEqual(parse('created_at[gt]=1556829805')[0].values, [1556829805]);
    assert.deepEqual(parse('created_at[gt]=2019-05-02T20:43:25Z')[0].values, [1556829805]);
    assert.deepEqual(parse(`_id=${'AB'.repeat(12)}`)[0].values, ['ab'.repeat(12)]);
  });

  it('refuses unknown operators, wrong types and operators a field cannot take, naming the key', () => {
    rejects('type[zz]=1', 'type[zz]');
    rejects('type=two', 'type');
    rejects('_id=123', '_id');
    rejects('created_at[lt]=someday', 'created_at');
    rejects('type[ctn]=1', 'type[ctn]');
    rejects('name[all]=x', 'name[all]');
    rejects('type[in]=', 'type[in]');
  });

  it('reads custom keys with numbers compared as numbers, and refuses keys that cannot be a JSON path', () => {
    assert.deepEqual(customFilters('age', { gt: '25' }), [{ key: 'age', operator: 'gt', values: [25] }]);
    assert.deepEqual(customFilters('mood', 'sad'), [{ key: 'mood', operator: 'eq', values: ['sad'] }]);
    assert.throws(() => customFilters('a"b', 'x'), HttpError);
  });
});
