import * as assert from 'node:assert/strict';
import { ResponseCache } from '../../src/server/rest/responseCache';

describe('server: the REST answer cache', () => {
  const body = (text: string) => Buffer.from(text);

  it('gives an answer again only at the data version it was computed at', () => {
    const cache = new ResponseCache(1024);
    assert.equal(cache.get('a', 1), undefined);
    cache.set('a', 1, body('answer'));
    assert.equal(cache.get('a', 1)?.toString(), 'answer');
    assert.equal(cache.get('a', 2), undefined, 'a write happened');
    assert.equal(cache.get('a', 1), undefined, 'and everything from before it is gone');
  });

  it('keeps nothing computed at an older version than the one last asked for', () => {
    const cache = new ResponseCache(1024);
    cache.get('a', 5);
    cache.set('a', 4, body('stale'));
    assert.equal(cache.get('a', 5), undefined);
  });

  it('drops the oldest answers to stay within its size, and never keeps one larger than that', () => {
    const cache = new ResponseCache(10);
    cache.get('x', 1);
    cache.set('a', 1, body('aaaa'));
    cache.set('b', 1, body('bbbb'));
    cache.set('c', 1, body('cccc'));
    assert.deepEqual(['a', 'b', 'c'].map((key) => cache.get(key, 1)?.toString()), [undefined, 'bbbb', 'cccc']);
    cache.set('huge', 1, body('x'.repeat(11)));
    assert.equal(cache.get('huge', 1), undefined);
    cache.set('b', 1, body('bbbbbb'));
    assert.deepEqual(['b', 'c'].map((key) => cache.get(key, 1)?.toString()), ['bbbbbb', 'cccc'], 'a replaced answer counts once');
  });
});
