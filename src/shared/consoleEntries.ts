// The console's rows: every stanza record, with what the local server decided about it attached, and
// the decisions no record of ours matched as rows of their own (the "server" lane). The webview
// builds them incrementally as stanzas and decisions arrive in either order; an export builds them
// in one go from the service's buffers. Pure data, no DOM: it runs in the browser and in the host.
import { bareJid } from './jid';
import type { ConsoleFilter, ConsoleLane, ServerDecision, StanzaKind, StanzaRecord } from './protocol';
import { kindOf, rootTag } from './stanzaText';

export interface ConsoleEntry {
  /** Unique among entries: `s<seq>` for a record, `d<seq>` for a server-lane decision. */
  key: string;
  lane: ConsoleLane;
  /** Absent in the server lane. */
  record?: StanzaRecord;
  /** What the server decided, oldest first; may grow after the entry is shown. */
  decisions: ServerDecision[];
  time: number;
  connection: string;
  kind: StanzaKind;
  xml: string;
  /** Lower-cased `from` and `to`, for the JID filter. */
  from: string;
  to: string;
}

/** How long a decision about one of our connections waits for its stanza before it gets a row of its own. */
export const DECISION_GRACE_MS = 1000;

interface Pending {
  decision: ServerDecision;
  since: number;
}

/**
 * A stanza and a decision about it share a key: our `out` is the server's `in` (and vice versa), on
 * the same bare JID, with the same stanza id. Stanzas without an id cannot be matched.
 */
function matchKey(serverDirection: 'in' | 'out', connection: string, id: string | undefined): string | undefined {
  return id ? `${serverDirection}|${connection}|${id}` : undefined;
}

function describe(xml: string): { kind: StanzaKind; from: string; to: string; id?: string } {
  const tag = rootTag(xml);
  if (!tag) return { kind: 'other', from: '', to: '' };
  const { attrs } = tag;
  return { kind: kindOf(tag.name, attrs.xmlns), from: (attrs.from ?? '').toLowerCase(), to: (attrs.to ?? '').toLowerCase(), id: attrs.id };
}

export class ConsoleEntries {
  /** Oldest first. */
  readonly entries: ConsoleEntry[] = [];
  /** The latest record entry per match key. */
  private readonly byKey = new Map<string, ConsoleEntry>();
  private readonly keyOf = new WeakMap<ConsoleEntry, string>();
  /** Decisions waiting for their stanza, by match key, in arrival order. */
  private readonly pending = new Map<string, Pending[]>();
  private ownConnections = new Set<string>();

  /** The connections whose stanzas this window sees: only their decisions wait for a matching record. */
  setConnections(connections: readonly string[]): void {
    this.ownConnections = new Set(connections);
  }

  /** A log of these records and decisions, in time order; unmatched decisions get server-lane entries at once. */
  static from(records: readonly StanzaRecord[], decisions: readonly ServerDecision[], connections: readonly string[] = []): ConsoleEntries {
    const log = new ConsoleEntries();
    log.setConnections(connections);
    const recordEntries = log.addRecords(records);
    const serverEntries = log.addDecisions(decisions, 0, 0).added;
    // Both lists are in time order already: merge them.
    const merged: ConsoleEntry[] = [];
    let i = 0;
    for (const entry of serverEntries) {
      while (i < recordEntries.length && recordEntries[i].time <= entry.time) merged.push(recordEntries[i++]);
      merged.push(entry);
    }
    log.entries.splice(0, log.entries.length, ...merged, ...recordEntries.slice(i));
    return log;
  }

  /** Adds records; returns their entries (each with any decision that was waiting for it). */
  addRecords(records: readonly StanzaRecord[]): ConsoleEntry[] {
    return records.map((record) => {
      const { from, to, id } = describe(record.xml);
      const entry: ConsoleEntry = {
        key: `s${record.seq}`,
        lane: record.direction,
        record,
        decisions: [],
        time: record.time,
        connection: record.connection,
        kind: record.kind,
        xml: record.xml,
        from,
        to,
      };
      const key = matchKey(record.direction === 'out' ? 'in' : 'out', record.connection, id);
      if (key) {
        this.byKey.set(key, entry);
        this.keyOf.set(entry, key);
        const waiting = this.pending.get(key);
        if (waiting) {
          this.pending.delete(key);
          entry.decisions.push(...waiting.map((p) => p.decision));
        }
      }
      this.entries.push(entry);
      return entry;
    });
  }

  /**
   * Attaches each decision to its record's entry, or keeps it waiting (`graceMs`) when it is about one
   * of our connections and its stanza may still be on the way; the rest become server-lane entries.
   */
  addDecisions(decisions: readonly ServerDecision[], now: number, graceMs = DECISION_GRACE_MS): { updated: ConsoleEntry[]; added: ConsoleEntry[] } {
    const updated = new Set<ConsoleEntry>();
    const added: ConsoleEntry[] = [];
    for (const decision of decisions) {
      const connection = bareJid(decision.session);
      const key = matchKey(decision.direction, connection, rootTag(decision.stanza)?.attrs.id);
      const entry = key === undefined ? undefined : this.byKey.get(key);
      if (entry) {
        entry.decisions.push(decision);
        updated.add(entry);
      } else if (key !== undefined && graceMs > 0 && this.ownConnections.has(connection)) {
        const list = this.pending.get(key) ?? [];
        list.push({ decision, since: now });
        this.pending.set(key, list);
      } else {
        added.push(this.serverEntry(decision));
      }
    }
    return { updated: [...updated], added };
  }

  /** Decisions that waited `graceMs` in vain become server-lane entries. */
  expirePending(now: number, graceMs = DECISION_GRACE_MS): ConsoleEntry[] {
    const added: ConsoleEntry[] = [];
    for (const [key, list] of this.pending) {
      if (now - list[0].since < graceMs) continue;
      this.pending.delete(key);
      for (const { decision } of list) added.push(this.serverEntry(decision));
    }
    return added;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Drops the oldest entries beyond `limit`; returns them. */
  trim(limit: number): ConsoleEntry[] {
    const excess = this.entries.length - limit;
    if (excess <= 0) return [];
    const dropped = this.entries.splice(0, excess);
    for (const entry of dropped) {
      const key = this.keyOf.get(entry);
      if (key !== undefined && this.byKey.get(key) === entry) this.byKey.delete(key);
    }
    return dropped;
  }

  private serverEntry(decision: ServerDecision): ConsoleEntry {
    const { kind, from, to } = describe(decision.stanza);
    const entry: ConsoleEntry = {
      key: `d${decision.seq}`,
      lane: 'server',
      decisions: [decision],
      time: decision.time,
      connection: bareJid(decision.session),
      kind,
      xml: decision.stanza,
      from,
      to,
    };
    this.entries.push(entry);
    return entry;
  }
}

/** Every record and decision at once, in time order (a snapshot, an export): nothing waits. */
export function joinEntries(records: readonly StanzaRecord[], decisions: readonly ServerDecision[]): ConsoleEntry[] {
  return ConsoleEntries.from(records, decisions).entries;
}

export function matchesFilter(entry: ConsoleEntry, filter: ConsoleFilter): boolean {
  if (!filter.lanes.includes(entry.lane) || !filter.kinds.includes(entry.kind)) return false;
  if (filter.connection && entry.connection !== filter.connection) return false;
  const jid = filter.jid.trim().toLowerCase();
  return !jid || entry.from.includes(jid) || entry.to.includes(jid);
}
