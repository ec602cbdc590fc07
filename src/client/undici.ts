// undici is most of the extension bundle (about 1 MB, ~60 ms to evaluate on this machine), and the
// REST client needs it only at the first request: loading it then keeps it out of activation.
import type * as Undici from 'undici';

let loading: Promise<typeof Undici> | undefined;

export function loadUndici(): Promise<typeof Undici> {
  return (loading ??= import('undici'));
}
