import * as assert from 'node:assert/strict';
import { cloudConnectionTarget, type CloudProfileValues } from '../../src/client/profile';

describe('client: QuickBlox application profile → connection target', () => {
  const complete: CloudProfileValues = {
    apiEndpoint: 'https://api.quickblox.com/',
    chatEndpoint: 'xmpp://chat.quickblox.com:5222',
    chatDomain: 'chat.quickblox.com',
    appId: 12345,
    authKey: 'key',
    authSecret: 'secret',
    login: 'bob',
    password: ' pass word ',
  };

  it('builds a signed-session target from complete values, keeping the password as typed', () => {
    const result = cloudConnectionTarget({ ...complete, apiEndpoint: '  https://api.quickblox.com/ ' });
    assert.ok(result.ok);
    assert.deepEqual(result.target, {
      apiEndpoint: 'https://api.quickblox.com/',
      chatService: 'xmpp://chat.quickblox.com:5222',
      chatDomain: 'chat.quickblox.com',
      appId: 12345,
      authKey: 'key',
      authSecret: 'secret',
      login: 'bob',
      password: ' pass word ',
    });
  });

  it('uses an API key alone when there is no auth secret (no auth key needed)', () => {
    const result = cloudConnectionTarget({ ...complete, authKey: '', authSecret: undefined, apiKey: 'api-key' });
    assert.ok(result.ok);
    assert.equal(result.target.apiKey, 'api-key');
    assert.equal(result.target.authSecret, undefined);
    assert.equal(result.target.authKey, undefined);
  });

  it('prefers the auth secret when both it and an API key are given', () => {
    const result = cloudConnectionTarget({ ...complete, apiKey: 'api-key' });
    assert.ok(result.ok);
    assert.equal(result.target.authSecret, 'secret');
    assert.equal(result.target.apiKey, undefined);
  });

  it('names every missing value and where it lives', () => {
    const result = cloudConnectionTarget({ apiEndpoint: 'https://api.quickblox.com/', chatEndpoint: 'wss://chat.quickblox.com:5291', chatDomain: ' ', login: 'bob' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(result.missing, ['chatDomain', 'appId', 'authKey', 'credential', 'password']);
    assert.equal(
      result.message,
      'The QuickBlox application profile is incomplete: missing chat domain (quickblox.cloud.chatDomain), application id (quickblox.cloud.appId), ' +
        'auth key (quickblox.cloud.authKey), auth secret or API key (secret storage), user password (secret storage).',
    );
  });

  it('asks for the auth key only with an auth secret', () => {
    const result = cloudConnectionTarget({ ...complete, authKey: undefined });
    assert.ok(!result.ok);
    assert.deepEqual(result.missing, ['authKey']);
  });

  it('rejects an application id that is not a positive whole number', () => {
    for (const appId of [0, -3, 1.5, Number.NaN]) {
      const result = cloudConnectionTarget({ ...complete, appId });
      assert.ok(!result.ok, `appId ${appId}`);
      assert.deepEqual(result.missing, ['appId']);
    }
  });

  it('refuses endpoints that are not URLs, and plain http to another host', () => {
    const result = cloudConnectionTarget({ ...complete, apiEndpoint: 'http://api.example.com/', chatEndpoint: 'chat.quickblox.com' });
    assert.ok(!result.ok);
    assert.deepEqual(result.missing, []);
    assert.match(result.message, /API endpoint "http:\/\/api\.example\.com\/" must use https:\/\//);
    assert.match(result.message, /chat endpoint "chat\.quickblox\.com" is not an XMPP service URL/);
  });

  it('allows plain http and xmpp to this machine (a local QuickBlox-compatible server)', () => {
    const result = cloudConnectionTarget({ ...complete, apiEndpoint: 'http://127.0.0.1:8080/', chatEndpoint: 'xmpp://127.0.0.1:5222' });
    assert.ok(result.ok);
  });
});
