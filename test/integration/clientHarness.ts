// What the ChatService integration tests share: the demo server, signed-in services, bounded waits, a plain @xmpp/client peer that
// knows nothing of our code, as any third-party app would connect, and what a service's stanza log
// says about its rooms.
import type { Client } from '@xmpp/client';
import { xml, type Element } from '@xmpp/xml';
import { ChatService, type ChatServiceOptions } from '../../src/client/chatService';
import type { ChatServiceApi } from '../../src/client/contracts';
import { localConnectionTarget } from '../../src/client/profile';
import { startLocalServer } from '../../src/server/localServer';
import { parseRawStanza } from '../../src/client/rawStanza';
import { roomJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { stderrLogger } from '../../src/shared/logger';
import type { StanzaRecord } from '../../src/shared/protocol';
import { NS } from '../../src/shared/stanza';
import { userPeer } from '../support/plainXmpp';

export const WAIT_MS = 5000;
export const logger = stderrLogger(process.env.QB_TEST_LOG === '1' ? 'debug' : 'off');

/** The local server on loopback ports, in memory, with the demo users and dialogs. */
export function startDemoServer(): ReturnType<typeof startLocalServer> {
  return startLocalServer({ host: '127.0.0.1', httpPort: 0, xmppPort: 0, memory: true, demo: true, logger });
}

/** A ChatService signed in as `user` (REST and XMPP), with the tests' logger and bounded waits. */
export async function signedInService(info: LocalServerInfo, user: DemoUser, options: ChatServiceOptions = {}): Promise<ChatService> {
  const service = new ChatService({ logger, timeoutMs: WAIT_MS, ...options });
  await service.connect(localConnectionTarget(info, user));
  return service;
}

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
  const xmpp = userPeer({ service: info.xmpp, domain: info.domain, appId: info.appId, userId: user.id, password: user.password });
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

/** Polls `probe` every 20 ms until it gives a value; bounded by `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls `probe` every 20 ms until it holds; bounded by `timeoutMs`. */
export async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  await eventually(() => (probe() ? true : undefined), what, timeoutMs);
}

/** The stanzas of one direction in `service`'s log, parsed (stream nonzas left out). */
export function loggedStanzas(service: ChatServiceApi, direction: StanzaRecord['direction']): Element[] {
  return service
    .stanzas()
    .filter((r) => r.direction === direction && /^<(message|presence|iq)[\s>/]/.test(r.xml))
    .map((r) => parseRawStanza(r.xml));
}

/** The full JID of `service`'s own occupant in the dialog's room (its nick is its user id). */
export function ownOccupantJid(info: LocalServerInfo, service: ChatServiceApi, dialogId: string): string {
  return roomJid(info.appId, dialogId, `muc.${info.domain}`, String(service.me?.id));
}

/**
 * Whether the room's last word to `service` about its own occupant is "you are in": an available
 * self-presence with status 110 (spec §7.9), not followed by an unavailable one.
 */
export function inRoom(info: LocalServerInfo, service: ChatServiceApi, dialogId: string): boolean {
  const self = ownOccupantJid(info, service, dialogId);
  const last = loggedStanzas(service, 'in')
    .filter((s) => s.is('presence') && s.attrs.from === self)
    .at(-1);
  const statuses = last?.getChild('x', NS.mucUser)?.getChildren('status').map((s) => s.attrs.code) ?? [];
  return last !== undefined && last.attrs.type === undefined && statuses.includes('110');
}
