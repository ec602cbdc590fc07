import * as assert from 'node:assert/strict';
import { RingBuffer } from '../../src/client/ringBuffer';

describe('client: stanza ring buffer', () => {
  it('keeps everything below capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    assert.deepEqual(ring.toArray(), [1, 2]);
    assert.equal(ring.size, 2);
  });

  it('drops the oldest beyond capacity', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 10; i++) ring.push(i);
    assert.deepEqual(ring.toArray(), [8, 9, 10]);
    assert.equal(ring.size, 3);
  });

  it('clears', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    ring.clear();
    assert.deepEqual(ring.toArray(), []);
    ring.push(4);
    assert.deepEqual(ring.toArray(), [4]);
  });

  it('rejects a capacity below one', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
  });
});
