// Typed client for the webview protocol in src/shared/protocol.ts: requests are matched to replies
// by `seq`; notifications go to one handler per method. The host expects `ready` once the page is
// wired, and answers it with a snapshot.
import type { KnownKeys, ReplyMessage, RequestShape } from '../../src/shared/protocol';
import { postMessage } from './vscodeApi';

export type NotifyHandlers<N extends Record<string, unknown>> = {
  [K in KnownKeys<N>]?: (params: N[K]) => void;
};

type UntypedHandler = ((params: unknown) => void) | undefined;

export interface RpcClient<R extends Record<string, RequestShape>> {
  request<K extends keyof R & string>(method: K, params: R[K]['params']): Promise<R[K]['result']>;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

type Incoming =
  | ReplyMessage
  | { kind: 'notify'; method: string; params: unknown };

function isIncoming(data: unknown): data is Incoming {
  if (typeof data !== 'object' || data === null || !('kind' in data)) return false;
  if (data.kind === 'reply') return 'seq' in data && typeof data.seq === 'number' && 'ok' in data;
  return data.kind === 'notify' && 'method' in data && typeof data.method === 'string';
}

/** Starts listening, then says `ready`; handlers must therefore be complete when this is called. */
export function connectRpc<R extends Record<string, RequestShape>, N extends Record<string, unknown>>(
  handlers: NotifyHandlers<N>,
): RpcClient<R> {
  const pending = new Map<number, Pending>();
  let nextSeq = 1;

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isIncoming(message)) return;
    if (message.kind === 'reply') {
      const waiter = pending.get(message.seq);
      pending.delete(message.seq);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
      return;
    }
    // The host is the only sender and is typed by the same protocol, so the params are trusted here.
    // hasOwn: a method named like an Object.prototype member must not reach that member.
    if (!Object.hasOwn(handlers, message.method)) return;
    const handler = (handlers as Record<string, UntypedHandler>)[message.method];
    handler?.(message.params);
  });

  postMessage({ kind: 'ready' });

  return {
    request<K extends keyof R & string>(method: K, params: R[K]['params']): Promise<R[K]['result']> {
      const seq = nextSeq++;
      return new Promise<R[K]['result']>((resolve, reject) => {
        pending.set(seq, { resolve: (result) => resolve(result as R[K]['result']), reject });
        postMessage({ kind: 'request', seq, method, params });
      });
    },
  };
}
