// A stanza's XML, pretty-printed with foldable elements. Only what is unfolded is built, so a long
// stanza folded by default costs a handful of nodes; a fold toggle is a `.x-fold` carrying the
// element's path, and the console re-renders the row when one is clicked.
import { isInline, openTag, parseXmlTree, prettyLineCount, quote, type XmlElement } from '../../src/shared/xmlTree';
import { el } from '../common/dom';
import { highlighted } from './highlight';

/** Longer stanzas start folded at the root. */
export const FOLD_LINES = 12;

export interface XmlViewOptions {
  /** Lower-cased search text, '' for none. */
  query: string;
  /** Overrides of the default folding, by element path ('0' is the root, '0.1' its second child). */
  folds: ReadonlyMap<string, boolean> | undefined;
}

export function renderXml(xml: string, options: XmlViewOptions): HTMLElement {
  const root = parseXmlTree(xml);
  // Not one element (a stream header, a fragment): shown exactly as it came.
  if (!root) return el('div', { className: 'st-xml' }, [highlighted('x-text', xml, options.query)]);
  const foldedByDefault = prettyLineCount(root) > FOLD_LINES;
  const folded = (path: string) => options.folds?.get(path) ?? (path === '0' && foldedByDefault);
  return el('div', { className: 'st-xml' }, [renderElement(root, '0', folded, options.query)]);
}

function renderElement(element: XmlElement, path: string, folded: (path: string) => boolean, query: string): HTMLElement {
  if (isInline(element)) {
    const parts = [...openTagParts(element, element.children.length === 0, query)];
    if (element.children.length > 0) {
      parts.push(highlighted('x-text', element.children.join(''), query), highlighted('x-tag', `</${element.name}>`, query));
    }
    return el('div', { className: 'x-line' }, parts);
  }
  const isFolded = folded(path);
  const toggle = el('span', {
    className: 'x-fold',
    attrs: { role: 'button', tabindex: 0, 'data-path': path, 'aria-expanded': String(!isFolded), title: isFolded ? 'Expand' : 'Collapse' },
  });
  const open = el('div', { className: 'x-line' }, [toggle, ...openTagParts(element, false, query)]);
  const close = highlighted('x-tag', `</${element.name}>`, query);
  if (isFolded) {
    const hidden = prettyLineCount(element) - 2;
    open.append(el('span', { className: 'x-ellipsis', text: '…', attrs: { title: `${hidden} lines folded` } }), close);
    return el('div', { className: 'x-el x-folded' }, [open]);
  }
  const kids = element.children.map((child, i) =>
    typeof child === 'string' ? el('div', { className: 'x-line' }, [highlighted('x-text', child.trim(), query)]) : renderElement(child, `${path}.${i}`, folded, query),
  );
  return el('div', { className: 'x-el' }, [open, el('div', { className: 'x-kids' }, kids), el('div', { className: 'x-line' }, [close])]);
}

function* openTagParts(element: XmlElement, selfClosing: boolean, query: string): Generator<Node> {
  if (element.attrs.length === 0) {
    yield highlighted('x-tag', openTag(element, selfClosing), query);
    return;
  }
  yield highlighted('x-tag', `<${element.name}`, query);
  for (const attr of element.attrs) {
    yield highlighted('x-an', ` ${attr.name}=`, query);
    yield highlighted('x-av', quote(attr.value), query);
  }
  yield highlighted('x-tag', selfClosing ? '/>' : '>', query);
}
