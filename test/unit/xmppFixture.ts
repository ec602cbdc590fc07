// What the XMPP unit tests share: an in-memory framing in place of a socket, and a server core (the
// real SQLite store in memory, the router with every module, two users) whose decisions are recorded.
import * as assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { silentLogger } from '../../src/shared/logger';
import type { ChatStore, UserRecord } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';
import { MODULES } from '../../src/server/xmpp/modules';
import { Router, type StanzaDebugEvent } from '../../src/server/xmpp/router';
import type { Framing } from '../../src/server/xmpp/stream';

export const DOMAIN = 'localhost';
export const APP_ID = 1;
export const PASSWORD = 'secret-1';

export class FakeFraming implements Framing {
  readonly kind = 'tcp';
  opens = 0;
  restarts = 0;
  closed = false;
  private sent: Element[] = [];

  open(): void {
    this.opens++;
  }
  send(element: Element): void {
    this.sent.push(element);
  }
  restart(): void {
    this.restarts++;
  }
  close(): void {
    this.closed = true;
  }
  /** Resolves once something was sent: the SASL outcome comes asynchronously (the password hash runs off-thread). */
  async settled(): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.sent.length === 0) {
      if (Date.now() > deadline) throw new Error('nothing was sent within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  /** Everything sent since the last take. */
  take(): Element[] {
    return this.sent.splice(0);
  }
  one(): Element {
    const sent = this.take();
    assert.equal(sent.length, 1, `expected one element, got ${sent.join(' ')}`);
    return sent[0];
  }
}

export interface XmppCore {
  store: ChatStore;
  router: Router;
  alice: UserRecord;
  bob: UserRecord;
  events: StanzaDebugEvent[];
}

export function xmppCore(): XmppCore {
  const store = openSqliteChatStore();
  const alice = store.createUser({ login: 'alice', password: PASSWORD });
  const bob = store.createUser({ login: 'bob', password: PASSWORD });
  const router = new Router(silentLogger);
  const host = router.host(DOMAIN);
  for (const load of MODULES) load({ router, host, store, appId: APP_ID, logger: silentLogger });
  const events: StanzaDebugEvent[] = [];
  router.debug.on('stanza', (event) => events.push(event));
  return { store, router, alice, bob, events };
}
