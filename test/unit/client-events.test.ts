import * as assert from 'node:assert/strict';
import { TypedEmitter } from '../../src/client/events';

interface Events {
  ping: [n: number];
  pong: [];
}

describe('client: typed event emitter', () => {
  it('delivers until the Disposable is disposed', () => {
    const emitter = new TypedEmitter<Events>();
    const got: number[] = [];
    const subscription = emitter.on('ping', (n) => got.push(n));
    emitter.emit('ping', 1);
    subscription.dispose();
    emitter.emit('ping', 2);
    assert.deepEqual(got, [1]);
    assert.equal(emitter.listenerCount('ping'), 0);
    subscription.dispose(); // twice is harmless
  });

  it('lets a listener dispose itself while the event is delivered', () => {
    const emitter = new TypedEmitter<Events>();
    let calls = 0;
    let other = 0;
    const self = emitter.on('pong', () => {
      calls++;
      self.dispose();
    });
    emitter.on('pong', () => other++);
    emitter.emit('pong');
    emitter.emit('pong');
    assert.equal(calls, 1);
    assert.equal(other, 2);
  });

  it('reports a throwing listener and still calls the rest', () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<Events>((error) => errors.push(error));
    let reached = false;
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    emitter.on('ping', () => (reached = true));
    emitter.emit('ping', 1);
    assert.equal(reached, true);
    assert.equal(errors.length, 1);
  });

  it('clear() removes every listener', () => {
    const emitter = new TypedEmitter<Events>();
    emitter.on('ping', () => assert.fail('cleared'));
    emitter.clear();
    emitter.emit('ping', 1);
    assert.equal(emitter.listenerCount('ping'), 0);
  });
});
