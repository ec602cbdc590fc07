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

/** A test's three-user store and the clock it runs on: tests move `now` forward. */
export interface StoreTestContext extends ThreeUserStore {
  now: number;
}

/** Before each test of the calling suite, a fresh three-user store at 2026-01-01; closed after it. */
export function threeUserStoreEachTest(): StoreTestContext {
  const context = { now: 0 } as StoreTestContext;
  beforeEach(() => {
    context.now = Date.UTC(2026, 0, 1);
    Object.assign(context, threeUserStore(() => context.now));
  });
  afterEach(() => context.store.close());
  return context;
}
