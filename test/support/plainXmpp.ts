import { client, type Client, type ClientOptions } from '@xmpp/client';

/**
 * An xmpp.js client signing in with SASL PLAIN, as a third-party app does against the local server.
 * xmpp.js 0.14 never picks PLAIN on a connection it deems insecure (plain TCP), even when it is the
 * only mechanism offered; a credentials function chooses the mechanism itself. Loopback only.
 */
export function plainXmppClient(options: ClientOptions & { username: string; password: string }): Client {
  const { username, password } = options;
  return client({ ...options, credentials: (authenticate) => authenticate({ username, password }, 'PLAIN') });
}
