// Router lifecycle: displaced sessions are announced too, and a failing listener is contained.
import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/shared/logger';
import { Router, type Session } from '../../src/server/xmpp/router';

function fakeSession(id: string, resource: string): Session {
  return {
    id,
    userId: 5,
    jid: `5-1@localhost/${resource}`,
    bareJid: '5-1@localhost',
    resource,
    available: false,
    send: () => undefined,
    fail: () => undefined,
  };
}

describe('XMPP router lifecycle (unit)', () => {
  it('announces a displaced session as unbound without unregistering the one that replaced it', () => {
    const router = new Router(silentLogger);
    const older = fakeSession('a', 'r');
    const newer = fakeSession('b', 'r');
    const unbound: Session[] = [];
    router.lifecycle.on('unbound', (s) => unbound.push(s));
    router.bind(older);
    assert.equal(router.bind(newer), older);
    router.unbind(older);
    assert.deepEqual(unbound, [older], 'modules must hear of the displaced session to drop its rooms and directed presence');
    assert.equal(router.resource(newer.jid), newer);
    router.unbind(newer);
    assert.deepEqual(unbound, [older, newer]);
    assert.equal(router.resource(newer.jid), undefined);
  });

  it('keeps notifying the other listeners when one throws, and does not throw to the caller', () => {
    const router = new Router(silentLogger);
    const session = fakeSession('a', 'r');
    let reached = false;
    router.lifecycle.on('unbound', () => {
      throw new Error('module bug');
    });
    router.lifecycle.on('unbound', () => (reached = true));
    router.bind(session);
    assert.doesNotThrow(() => router.unbind(session));
    assert.ok(reached);
    assert.doesNotThrow(() => router.notify('session-lost', session.bareJid, []));
  });
});
