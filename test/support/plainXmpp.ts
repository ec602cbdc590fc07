import { client, type Client, type ClientOptions } from '@xmpp/client';

/**
 * An xmpp.js client signing in with SASL PLAIN, as a third-party app does against the local server.
 * xmpp.js 0.14 never picks PLAIN on a connection it deems insecure (plain TCP), even when it is the
 * only mechanism offered; a credentials function chooses the mechanism itself. Loopback only.
 */
/**
 * A third-party peer signed in as a QuickBlox user (chat login `<userId>-<appId>`). Failures surface
 * through start() and the caller's waits: an unhandled 'error' event would throw out of the test.
 */
export function userPeer(options: Omit<ClientOptions, 'username' | 'password'> & { appId: number; userId: number; password: string }): Client {
  const { appId, userId, ...rest } = options;
  const peer = plainXmppClient({ ...rest, username: `${userId}-${appId}` });
  peer.on('error', () => undefined);
  return peer;
}

export function plainXmppClient(options: ClientOptions & { username: string; password: string }): Client {
  const { username, password } = options;
  return client({ ...options, credentials: (authenticate) => authenticate({ username, password }, 'PLAIN') });
}
