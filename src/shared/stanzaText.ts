// Reads what the console filters and matches by — the root element's name and attributes — from a
// stanza's serialized XML, without parsing the rest. Runs for every stanza at flood rates, in the
// browser too, so it stays a pair of regular expressions instead of a parser.
import type { StanzaKind } from './protocol';

export interface RootTag {
  name: string;
  attrs: Record<string, string>;
}

const OPEN_TAG = /^\s*<([^\s/>!?]+)([^>]*)>/;
const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(lt|gt|amp|quot|apos);/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The root's name and attribute values (predefined entities decoded); undefined when the text does not start with a tag. */
export function rootTag(xml: string): RootTag | undefined {
  const open = OPEN_TAG.exec(xml);
  if (!open) return undefined;
  const attrs: Record<string, string> = {};
  for (const m of open[2].matchAll(ATTRIBUTE)) attrs[m[1]] = (m[2] ?? m[3]).replace(ENTITY, (_, e: string) => ENTITIES[e]);
  return { name: open[1], attrs };
}

const SM_NS = 'urn:xmpp:sm:3';

/** The console's grouping: the three stanzas, stream management (XEP-0198), and everything else. */
export function kindOf(name: string, xmlns: string | undefined): StanzaKind {
  if (name === 'message' || name === 'presence' || name === 'iq') return name;
  return xmlns === SM_NS ? 'sm' : 'other';
}
