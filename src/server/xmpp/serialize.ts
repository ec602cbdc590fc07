// Stanzas to text for the transports, byte for byte what ltx's Element#toString writes, in about half
// its time: ltx hands every token to a writer callback and escapes every value with a regex replace,
// while most values need no escaping at all. Every stanza sent goes through here, and a room's
// fan-out serializes one message once per recipient, so this showed in the benchmark's profile.
import { escapeXML, escapeXMLText, type Element } from '@xmpp/xml';

const ATTRIBUTE_SPECIALS = /["&'<>]/;
const TEXT_SPECIALS = /[&<>]/;

/** Children lists whose text is already known: see serializeChildrenOnce. */
const knownChildren = new WeakMap<Element['children'], string>();

/**
 * The element as XML text. `extra` is a namespace declaration the element lacks or leaves empty (RFC
 * 7395 frames declare theirs): it replaces an attribute of that name, so a client's `xmlns=""` never
 * becomes a second xmlns in another user's frame.
 */
export function serialize(element: Element, extra?: [name: string, value: string]): string {
  let text = `<${element.name}`;
  const { attrs } = element;
  for (const name in attrs) {
    const value: unknown = attrs[name];
    if (value !== undefined && value !== null && name !== extra?.[0]) text += ` ${name}="${attributeValue(String(value))}"`;
  }
  if (extra) text += ` ${extra[0]}="${attributeValue(extra[1])}"`;
  const { children } = element;
  if (children.length === 0) return `${text}/>`;
  return `${text}>${knownChildren.get(children) ?? childrenText(children)}</${element.name}>`;
}

/**
 * Serializes `children` once for all the elements that share this very list (the copies of a room's
 * fan-out, each with its own `to`). The list and what is in it must not change afterwards.
 */
export function serializeChildrenOnce(children: Element['children']): void {
  if (!knownChildren.has(children)) knownChildren.set(children, childrenText(children));
}

function childrenText(children: Element['children']): string {
  let text = '';
  for (const child of children as readonly unknown[]) {
    // As ltx: no text for null children, numbers and other scalars as their text.
    if (child === null || child === undefined) continue;
    if (typeof child === 'object') text += serialize(child as Element);
    else {
      const value = String(child);
      text += TEXT_SPECIALS.test(value) ? escapeXMLText(value) : value;
    }
  }
  return text;
}

function attributeValue(value: string): string {
  return ATTRIBUTE_SPECIALS.test(value) ? escapeXML(value) : value;
}
