// Roster items on the wire (RFC 6121 §2.1.2): what a roster result or push carries, and what a
// roster set may ask for. The SDK builds its contact map from `jid`, `subscription` and `ask`.
import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../../../shared/stanza';
import type { RosterItemRecord } from '../../../store/chatStore';

export function itemElement(item: RosterItemRecord, jid: string): Element {
  return xml(
    'item',
    { jid, subscription: item.subscription, ask: item.askOut ? 'subscribe' : undefined, name: item.name ?? undefined },
    ...item.groups.map((group) => xml('group', {}, group)),
  );
}

export function removedItemElement(jid: string): Element {
  return xml('item', { jid, subscription: 'remove' });
}

export function rosterQuery(version: number, items: Element[]): Element {
  return xml('query', { xmlns: NS.roster, ver: String(version) }, ...items);
}

export type RosterSet =
  | { kind: 'remove'; jid: string }
  | { kind: 'update'; jid: string; name: string | null; groups: string[] }
  | { kind: 'invalid'; reason: string };

/**
 * RFC 6121 §2.3.3 / §2.5: exactly one item with a `jid`; `subscription` other than "remove" and `ask`
 * are ignored (only presence stanzas change subscriptions); groups must be distinct and non-empty.
 */
export function parseRosterSet(query: Element): RosterSet {
  const items = query.getChildren('item');
  if (items.length !== 1) return { kind: 'invalid', reason: 'A roster set carries exactly one item' };
  const [item] = items;
  const jid = item.attrs.jid;
  if (!jid) return { kind: 'invalid', reason: 'The item needs a jid' };
  if (item.attrs.subscription === 'remove') return { kind: 'remove', jid };
  const groups = item.getChildren('group').map((g) => g.getText().trim());
  if (groups.some((g) => g === '')) return { kind: 'invalid', reason: 'A group name cannot be empty' };
  if (new Set(groups).size !== groups.length) return { kind: 'invalid', reason: 'A group is named twice' };
  const name = item.attrs.name?.trim();
  return { kind: 'update', jid, name: name || null, groups };
}
