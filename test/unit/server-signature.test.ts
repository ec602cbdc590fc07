import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parseFormEncoded } from '../../src/server/rest/params';
import { signatureMatches } from '../../src/server/rest/signature';

describe('server: session signature check (spec §2.1)', () => {
  const secret = 'local-auth-secret';
  // The base string written by hand from the spec: every parameter but signature, raw values,
  // user[...] sub-keys as one sorted group, items sorted as whole strings, joined with &.
  const base = 'application_id=1&auth_key=local key&nonce=8603&timestamp=1795253851&user[login]=bob&user[password]=p&w';
  const sha1 = createHmac('sha1', secret).update(base).digest('hex');
  // The same parameters as the SDK puts them on the wire: sorted pairs, values percent-encoded, brackets raw.
  const wire = (signature: string) =>
    `application_id=1&auth_key=local%20key&nonce=8603&signature=${signature}&timestamp=1795253851&user[login]=bob&user[password]=p%26w`;

  it('accepts the known HMAC-SHA1 vector sent form-encoded', () => {
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1)), sha1, secret), true);
  });

  it('accepts the same parameters with %5B%5D-encoded bracket keys', () => {
    const encoded = wire(sha1).replace(/\[/g, '%5B').replace(/\]/g, '%5D');
    assert.equal(signatureMatches(parseFormEncoded(encoded), sha1, secret), true);
  });

  it('accepts HMAC-SHA256 (told apart by length) and upper-case hex', () => {
    const sha256 = createHmac('sha256', secret).update(base).digest('hex');
    assert.equal(signatureMatches(parseFormEncoded(wire(sha256)), sha256, secret), true);
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1)), sha1.toUpperCase(), secret), true);
  });

  it('accepts the JSON form of the same parameters', () => {
    const json = { application_id: 1, auth_key: 'local key', nonce: 8603, timestamp: 1795253851, user: { password: 'p&w', login: 'bob' } };
    assert.equal(signatureMatches(json, sha1, secret), true);
  });

  it('rejects a tampered value, an added parameter, a wrong secret and a malformed signature', () => {
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1).replace('nonce=8603', 'nonce=8604')), sha1, secret), false);
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1).replace('user[login]=bob', 'user[login]=eve')), sha1, secret), false);
    assert.equal(signatureMatches(parseFormEncoded(`${wire(sha1)}&extra=1`), sha1, secret), false);
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1)), sha1, 'other-secret'), false);
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1)), sha1.slice(0, 39), secret), false);
    assert.equal(signatureMatches(parseFormEncoded(wire(sha1)), 'z'.repeat(40), secret), false);
  });
});
