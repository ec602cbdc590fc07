// Whether a user exists: asked for every 1:1 message routed (RFC 6121 §8.5.1: no such account, no
// delivery), and a full user read each time, so the answer is kept until the store is written to.
import type { ChatStore } from '../store/chatStore';
import { StoreMemo } from './storeMemo';

const memos = new WeakMap<ChatStore, StoreMemo<number, boolean>>();

export function userExists(store: ChatStore, userId: number): boolean {
  let memo = memos.get(store);
  if (!memo) {
    memo = new StoreMemo(store, (id) => store.getUser(id) !== undefined);
    memos.set(store, memo);
  }
  return memo.get(userId);
}
