import * as assert from 'node:assert/strict';
import { requestParams } from '../../src/server/rest/body';
import { HttpError } from '../../src/server/rest/errors';
import {
  optionalFlag,
  optionalInt,
  optionalIntList,
  optionalList,
  parseFormEncoded,
  parseJsonBody,
} from '../../src/server/rest/params';

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return undefined;
}

describe('server: QuickBlox parameter parsing (spec §1.4)', () => {
  it('nests bracket keys sent raw or %5B%5D-encoded', () => {
    const raw = parseFormEncoded('user[login]=bob&user[password]=pw&date_sent[gt]=5');
    const encoded = parseFormEncoded('user%5Blogin%5D=bob&user%5Bpassword%5D=pw&date_sent%5Bgt%5D=5');
    const expected = { user: { login: 'bob', password: 'pw' }, date_sent: { gt: '5' } };
    assert.deepEqual(raw, expected);
    assert.deepEqual(encoded, expected);
  });

  it('decodes percent-encoding and + as space in keys and values', () => {
    assert.deepEqual(parseFormEncoded('name=Smoke%20group&full_name=a+b&email=a%40b.c'), {
      name: 'Smoke group',
      full_name: 'a b',
      email: 'a@b.c',
    });
  });

  it('keeps each key[] pair whole and lists split on commas later', () => {
    const params = parseFormEncoded('filter[]=number%20id%20in%20100%2C101&type[in]=1%2C2&occupants_ids=101%2C%20102');
    assert.deepEqual(params.filter, ['number id in 100,101']);
    assert.deepEqual(optionalList(params, 'filter'), ['number id in 100', '101']);
    assert.deepEqual(optionalIntList(params.type as Record<string, unknown>, 'in'), [1, 2]);
    assert.deepEqual(optionalIntList(params, 'occupants_ids'), [101, 102]);
  });

  it('reads lists from JSON arrays, single numbers and comma strings alike', () => {
    assert.deepEqual(optionalIntList({ ids: [3, '4'] }, 'ids'), [3, 4]);
    assert.deepEqual(optionalIntList({ ids: 7 }, 'ids'), [7]);
    assert.deepEqual(optionalIntList({ ids: '1,2, 3' }, 'ids'), [1, 2, 3]);
    assert.equal(status(() => optionalIntList({ ids: '1,x' }, 'ids')), 422);
  });

  it('treats a bare trailing ? and empty pairs as no parameters', () => {
    assert.deepEqual(requestParams('', '', undefined), {});
    assert.deepEqual(parseFormEncoded('&&'), {});
    assert.deepEqual(requestParams('limit=5&', '', undefined), { limit: '5' });
  });

  it('merges query and body, JSON or form by content type, the body winning', () => {
    assert.deepEqual(requestParams('a=1&b=2', '{"b":3}', 'application/json; charset=utf-8'), { a: '1', b: 3 });
    assert.deepEqual(requestParams('a=1', 'force=1', 'application/x-www-form-urlencoded; charset=UTF-8'), { a: '1', force: '1' });
    assert.deepEqual(requestParams('', '{"x":1}', undefined), { x: 1 });
  });

  it('nests flat bracket keys in a JSON body too', () => {
    assert.deepEqual(parseJsonBody('{"date_sent[lt]": 9, "attachments": {"0": {"type": "image"}}}'), {
      date_sent: { lt: 9 },
      attachments: { '0': { type: 'image' } },
    });
  });

  it('drops keys that would reach Object.prototype', () => {
    const form = parseFormEncoded('__proto__[polluted]=1&a[constructor][prototype][polluted]=1&ok=1');
    const json = parseJsonBody('{"__proto__": {"polluted": 1}, "ok": 1}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(form, { ok: '1' });
    assert.deepEqual(json, { ok: 1 });
  });

  it('rejects malformed JSON and non-object JSON with 400', () => {
    assert.equal(status(() => parseJsonBody('{"a":')), 400);
    assert.equal(status(() => parseJsonBody('[1,2]')), 400);
    assert.equal(status(() => parseFormEncoded('a=%E0%A4%A')), 400);
  });

  it('types integers and flags, naming the field on a 422', () => {
    assert.equal(optionalInt({ limit: '50' }, 'limit'), 50);
    assert.equal(optionalInt({ limit: 50 }, 'limit'), 50);
    assert.equal(status(() => optionalInt({ limit: '5x' }, 'limit')), 422);
    assert.equal(status(() => optionalInt({ limit: '0' }, 'limit', { min: 1 })), 422);
    assert.equal(optionalFlag({ mark_as_read: '0' }, 'mark_as_read', true), false);
    assert.equal(optionalFlag({}, 'mark_as_read', true), true);
    assert.equal(status(() => optionalFlag({ f: 'maybe' }, 'f', true)), 422);
  });
});
