// The "other person" in the e2e tests: a plain xmpp.js client logged in as another demo user of the
// local server. It proves that what the extension sends really leaves VS Code, and it sends back.
// Used from the extension-host suite and, compiled to out/, from the UI test in the runner's Node.
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { userJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { NS, extraParamsElement, readExtraParams } from '../../src/shared/stanza';
import { withTimeout } from './wait';
import { userPeer } from '../support/plainXmpp';

export interface ReceivedMessage {
  from: string;
  type: string;
  body: string;
  /** The `<extraParams>` children besides attachments (save_to_history, dialog_id, the app's own…). */
  params: Record<string, string>;
  /** Whether it asks for chat markers (XEP-0333 `<markable/>`). */
  markable: boolean;
  /** For a XEP-0308 correction: the id of the message it corrects. */
  replaces?: string;
}

const NS_MARKERS = 'urn:xmpp:chat-markers:0';

export interface Peer {
  readonly user: DemoUser;
  /** Resolves with the first message (already received or arriving) whose body contains `text`. */
  waitForMessage(text: string, timeoutMs: number): Promise<ReceivedMessage>;
  /** A 1:1 message as the QuickBlox SDK sends it: stored in the dialog's history. */
  sendChat(toUserId: number, dialogId: string, text: string): Promise<void>;
  stop(): Promise<void>;
}

export async function connectPeer(info: LocalServerInfo, user: DemoUser, timeoutMs = 10000): Promise<Peer> {
  const xmpp = userPeer({ service: info.xmpp, domain: info.domain, appId: info.appId, userId: user.id, password: user.password, resource: 'e2e-peer', timeout: timeoutMs });
  const received: ReceivedMessage[] = [];
  const waiters = new Set<() => void>();
  xmpp.on('stanza', (stanza: Element) => {
    const body = stanza.is('message') ? stanza.getChildText('body') : null;
    if (body === null) return;
    const replaces = stanza.getChild('replace', NS.correction)?.attrs.id;
    received.push({
      from: stanza.attrs.from ?? '',
      type: stanza.attrs.type ?? 'normal',
      body,
      params: readExtraParams(stanza).params,
      markable: stanza.getChild('markable', NS_MARKERS) !== undefined,
      ...(replaces !== undefined && { replaces }),
    });
    for (const wake of waiters) wake();
  });
  const stop = () => withTimeout(xmpp.stop(), 5000, 'the peer to disconnect').catch(() => undefined);
  try {
    await withTimeout(xmpp.start(), timeoutMs, `${user.login} to sign in to ${info.xmpp}`);
  } catch (error) {
    await stop();
    throw error;
  }
  // A dropped connection must fail the test, not be papered over by a silent reconnect.
  xmpp.reconnect.stop();
  await xmpp.send(xml('presence'));

  return {
    user,
    waitForMessage(text, waitMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = received.find((m) => m.body.includes(text));
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = received.map((m) => JSON.stringify(m.body)).join(', ') || 'nothing';
          reject(new Error(`${user.login} did not receive "${text}" within ${waitMs} ms (received: ${seen})`));
        }, waitMs);
        waiters.add(check);
        check();
      });
    },
    sendChat(toUserId, dialogId, text) {
      const to = userJid(toUserId, info.appId, info.domain);
      const id = `e2e-${Date.now()}`;
      return xmpp.send(xml('message', { type: 'chat', to, id }, xml('body', {}, text), extraParamsElement({ save_to_history: 1, dialog_id: dialogId })));
    },
    stop,
  };
}
