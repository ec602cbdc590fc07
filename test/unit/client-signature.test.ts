import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signSessionParams, signatureBaseString } from '../../src/shared/signature';
import { encodeQuery } from '../../src/client/query';

describe('client: session signature (spec §2.1)', () => {
  // Written by hand from the spec: sorted raw name=value pairs, user[...] sub-keys inline.
  const expectedString = 'application_id=1&auth_key=key&nonce=8603&timestamp=1795253851&user[login]=bob&user[password]=pw';
  const params = { timestamp: 1795253851, user: { password: 'pw', login: 'bob' }, nonce: 8603, auth_key: 'key', application_id: 1 };

  it('builds the base string the SDK signs', () => {
    assert.equal(signatureBaseString(params), expectedString);
  });

  it('is the lower-hex HMAC-SHA1 of that string keyed with the auth secret', () => {
    const expected = createHmac('sha1', 'secret').update(expectedString).digest('hex');
    const signature = signSessionParams(params, 'secret');
    assert.equal(signature, expected);
    assert.match(signature, /^[0-9a-f]{40}$/);
  });

  it('ignores a signature parameter and undefined values, keeps values un-encoded', () => {
    const base = signatureBaseString({ application_id: 1, auth_key: 'a b&c', signature: 'x', user: undefined });
    assert.equal(base, 'application_id=1&auth_key=a b&c');
  });

  it('supports HMAC-SHA256 (64 hex chars)', () => {
    const expected = createHmac('sha256', 's').update(expectedString).digest('hex');
    assert.equal(signSessionParams(params, 's', 'sha256'), expected);
  });
});

describe('client: query encoding (spec §1.4)', () => {
  it('sorts pairs, keeps object brackets raw, comma-joins arrays into key[]', () => {
    assert.equal(
      encodeQuery({ per_page: 100, filter: ['number id in 1,2'], date_sent: { lt: 5 }, chat_dialog_id: 'd', skip: undefined }),
      'chat_dialog_id=d&date_sent[lt]=5&filter[]=number%20id%20in%201%2C2&per_page=100',
    );
  });
});
