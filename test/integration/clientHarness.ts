// What the ChatService integration tests share: bounded waits, and a plain @xmpp/client peer that
// knows nothing of our code, as any third-party app would connect.
import type { Client } from '@xmpp/client';
import { xml, type Element } from '@xmpp/xml';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { stderrLogger } from '../../src/shared/logger';
import { plainXmppClient } from '../support/plainXmpp';

export const WAIT_MS = 5000;
export const logger = stderrLogger(process.env.QB_TEST_LOG === '1' ? 'debug' : 'off');

/** Resolves with the first value `take` accepts among events `subscribe` delivers; bounded. */
export function waitFor<T, V>(subscribe: (listener: (value: V) => void) => () => void, take: (value: V) => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
    }, WAIT_MS);
    const unsubscribe = subscribe((value) => {
      const result = take(value);
      if (result === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(result);
    });
  });
}

/** A plain xmpp.js client, as any third-party app would connect (PLAIN is fine on loopback). */
export async function plainClient(info: LocalServerInfo, user: DemoUser): Promise<Client> {
  const xmpp = plainXmppClient({
    service: info.xmpp,
    domain: info.domain,
    username: `${user.id}-${info.appId}`,
    password: user.password,
  });
  xmpp.on('error', (error) => logger.warn(`plain client: ${error.message}`));
  xmpp.reconnect.stop();
  await xmpp.start();
  await xmpp.send(xml('presence'));
  return xmpp;
}

export function messagesOf(xmpp: Client) {
  return (listener: (element: Element) => void) => {
    const onStanza = (element: Element) => {
      if (element.is('message')) listener(element);
    };
    xmpp.on('stanza', onStanza);
    return () => void xmpp.removeListener('stanza', onStanza);
  };
}
