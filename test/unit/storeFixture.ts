// An in-memory store with alice, bob and carol, on the caller's clock (tests move `now` forward).
import type { ChatStore } from '../../src/server/store/chatStore';
import { openSqliteChatStore } from '../../src/server/store/sqliteChatStore';

export interface ThreeUserStore {
  store: ChatStore;
  alice: number;
  bob: number;
  carol: number;
}

export function threeUserStore(now: () => number): ThreeUserStore {
  const store = openSqliteChatStore({ now });
  const user = (login: string) => store.createUser({ login, password: `${login}-pass` }).id;
  return { store, alice: user('alice'), bob: user('bob'), carol: user('carol') };
}
