import * as assert from 'node:assert/strict';
import { displayName } from '../../src/shared/users';

describe('shared: user display name (client and local server alike)', () => {
  const user = { id: 7, full_name: 'Alice Liddell', login: 'alice', email: 'alice@example.com' };

  it('prefers full_name, then login, then email, then "User <id>"', () => {
    assert.equal(displayName(user), 'Alice Liddell');
    assert.equal(displayName({ ...user, full_name: null }), 'alice');
    assert.equal(displayName({ ...user, full_name: null, login: null }), 'alice@example.com');
    assert.equal(displayName({ id: 7, full_name: null, login: null, email: null }), 'User 7');
  });

  it('treats empty strings as missing', () => {
    assert.equal(displayName({ id: 7, full_name: '', login: '', email: '' }), 'User 7');
  });
});
