import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { AdditionalUserStore, parseRememberedUsers } from '../../src/ui/additionalUserStore';
import { ADDITIONAL_USERS_KEY } from '../../src/ui/ids';

/** workspaceState in memory: what `update` stored is what `get` reads. */
function memento(initial?: unknown): vscode.Memento & { value: () => unknown } {
  const values = new Map<string, unknown>(initial === undefined ? [] : [[ADDITIONAL_USERS_KEY, initial]]);
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    value: () => values.get(ADDITIONAL_USERS_KEY),
  } as vscode.Memento & { value: () => unknown };
}

describe('ui: remembered additional users', () => {
  it('keeps logins per profile, once each, in the order added, and never a password', async () => {
    const state = memento();
    const store = new AdditionalUserStore(state);
    await store.add('local', 'bob');
    await store.add('cloud', 'dora');
    await store.add('local', 'carol');
    await store.add('local', 'bob');
    assert.deepEqual(store.logins('local'), ['carol', 'bob']);
    assert.deepEqual(store.logins('cloud'), ['dora']);
    assert.ok(!JSON.stringify(state.value()).includes('pass'), 'only profile and login are stored');
    await store.remove('local', 'carol');
    assert.deepEqual(store.logins('local'), ['bob']);
    assert.deepEqual(store.logins('cloud'), ['dora'], 'the other profile keeps its users');
  });

  it('forgets a user signed out under the server\'s spelling of the login typed at sign-in', async () => {
    const store = new AdditionalUserStore(memento());
    await store.add('cloud', 'Dora.Dev');
    await store.remove('cloud', 'dora.dev');
    assert.deepEqual(store.logins('cloud'), [], 'Connect must not sign dora in again');
  });

  it('reads back only well-formed entries of what an older version or a hand edit left', () => {
    assert.deepEqual(parseRememberedUsers('bob'), []);
    assert.deepEqual(
      parseRememberedUsers([{ profile: 'local', login: 'bob' }, { profile: 'elsewhere', login: 'x' }, { profile: 'cloud', login: '' }, { login: 'y' }, null, 7, { profile: 'cloud', login: 'dora', password: 'leak' }]),
      [
        { profile: 'local', login: 'bob' },
        { profile: 'cloud', login: 'dora' },
      ],
    );
  });
});
