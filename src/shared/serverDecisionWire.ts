// The local server's stream of stanza decisions (GET /_local/stanzas, Server-Sent Events): one
// `data:` line of JSON per decision its router made. Shared by the server that writes it and the
// client that reads it.
import type { ServerDecision, ServerDecisionKind } from './protocol';

export const LOCAL_STANZAS_PATH = '/_local/stanzas';

/** One event as it travels: a ServerDecision before the client numbers it. */
export type WireDecision = Omit<ServerDecision, 'seq'>;

const KINDS: ReadonlySet<string> = new Set<ServerDecisionKind>(['routed', 'stored', 'queued', 'rejected', 'dropped-offline', 'handled']);

/** The event in one `data:` payload, or undefined when it is not one (a newer server may send more). */
export function parseWireDecision(json: string): WireDecision | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v.time !== 'number' ||
    (v.direction !== 'in' && v.direction !== 'out') ||
    typeof v.session !== 'string' ||
    typeof v.stanza !== 'string' ||
    typeof v.decision !== 'string' ||
    !KINDS.has(v.decision) ||
    (v.detail !== undefined && typeof v.detail !== 'string')
  ) {
    return undefined;
  }
  return {
    time: v.time,
    direction: v.direction,
    session: v.session,
    stanza: v.stanza,
    decision: v.decision as ServerDecisionKind,
    ...(typeof v.detail === 'string' && { detail: v.detail }),
  };
}
