// Serialized XML as a tree the console can pretty-print and fold. Kept verbatim: attribute values and
// text stay as written (entities are not decoded), so what the console shows is what was on the wire,
// only re-indented. A tolerant reader for display, not a validator: anything it cannot read as one
// element gives undefined and the console shows the text as it is.

export interface XmlAttribute {
  name: string;
  /** As written between the quotes. */
  value: string;
}

export interface XmlElement {
  name: string;
  attrs: XmlAttribute[];
  /** Elements and text runs (as written; whitespace-only runs between elements are dropped). */
  children: (XmlElement | string)[];
}

const NAME = /[^\s/>=]+/y;
const ATTRIBUTE = /\s*([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const SPACE = /\s*/y;

/** Reads one element (leading and trailing whitespace allowed); undefined when that is not what the text is. */
export function parseXmlTree(xml: string): XmlElement | undefined {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  const sticky = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(xml);
    if (m) pos = re.lastIndex;
    return m;
  };
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (text.trim()) {
      const parent = stack[stack.length - 1];
      if (!parent) return undefined;
      parent.children.push(text);
    }
    if (lt === -1) break;
    pos = lt;
    if (xml.startsWith('<!--', pos) || xml.startsWith('<![CDATA[', pos) || xml.startsWith('<?', pos)) {
      // Kept as text, so nothing of the stanza disappears from view.
      const end = xml.startsWith('<!--', pos) ? '-->' : xml.startsWith('<?', pos) ? '?>' : ']]>';
      const close = xml.indexOf(end, pos);
      if (close === -1) return undefined;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(xml.slice(pos, close + end.length));
      else if (!xml.startsWith('<?', pos) && !xml.startsWith('<!--', pos)) return undefined;
      pos = close + end.length;
      continue;
    }
    if (xml.startsWith('</', pos)) {
      pos += 2;
      const name = sticky(NAME)?.[0];
      sticky(SPACE);
      const open = stack.pop();
      if (!open || name !== open.name || xml[pos] !== '>') return undefined;
      pos++;
      continue;
    }
    pos++;
    const name = sticky(NAME)?.[0];
    if (!name || root && stack.length === 0) return undefined;
    const element: XmlElement = { name, attrs: [], children: [] };
    for (let m = sticky(ATTRIBUTE); m; m = sticky(ATTRIBUTE)) element.attrs.push({ name: m[1], value: m[2] ?? m[3] });
    sticky(SPACE);
    const selfClosing = xml.startsWith('/>', pos);
    if (!selfClosing && xml[pos] !== '>') return undefined;
    pos += selfClosing ? 2 : 1;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  return stack.length === 0 ? root : undefined;
}

/** Whether an element prints on one line: no children, or only text. */
export function isInline(element: XmlElement): boolean {
  return element.children.every((child) => typeof child === 'string');
}

export function openTag(element: XmlElement, selfClosing: boolean): string {
  const attrs = element.attrs.map((a) => ` ${a.name}=${quote(a.value)}`).join('');
  return `<${element.name}${attrs}${selfClosing ? '/>' : '>'}`;
}

/** The attribute as printed: double quotes unless the value holds one. */
export function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** The pretty-printed text: one element per line, children indented, text-only elements on one line. */
export function prettyXml(element: XmlElement, indent = '  ', depth = 0): string {
  const pad = indent.repeat(depth);
  if (element.children.length === 0) return pad + openTag(element, true);
  if (isInline(element)) return `${pad}${openTag(element, false)}${element.children.join('')}</${element.name}>`;
  const inner = element.children.map((child) =>
    typeof child === 'string' ? indent.repeat(depth + 1) + child.trim() : prettyXml(child, indent, depth + 1),
  );
  return [pad + openTag(element, false), ...inner, `${pad}</${element.name}>`].join('\n');
}

/** How many lines prettyXml prints, without building the text. */
export function prettyLineCount(element: XmlElement): number {
  if (isInline(element)) return 1 + element.children.reduce((n, c) => n + countNewlines(c as string), 0);
  return element.children.reduce<number>((n, c) => n + (typeof c === 'string' ? 1 + countNewlines(c.trim()) : prettyLineCount(c)), 2);
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
