// A strict look at HTML/SVG strings: parse5 reports every HTML parse error (the WHATWG list),
// and a small walk over its tree finds elements by tag and class.
import { parse } from 'parse5';

export interface El {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: El[];
  value?: string;
}

/** The document and the parse errors (code and line) of an HTML string. */
export function parseHtml(html: string): { doc: El; errors: string[] } {
  const errors: string[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at line ${e.startLine}, col ${e.startCol}`) }) as unknown as El;
  return { doc, errors };
}

export function attr(el: El, name: string): string | undefined {
  return el.attrs?.find((a) => a.name === name)?.value;
}

export function hasClass(el: El, cls: string): boolean {
  return (attr(el, 'class') ?? '').split(/\s+/).includes(cls);
}

/** Every element under `root` (depth first) for which `pred` holds. */
export function findAll(root: El, pred: (el: El) => boolean): El[] {
  const out: El[] = [];
  const walk = (n: El): void => {
    if (n.tagName !== undefined && pred(n)) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Elements with this tag and (optionally) class. */
export function select(root: El, tag: string, cls?: string): El[] {
  return findAll(root, (el) => el.tagName === tag && (cls === undefined || hasClass(el, cls)));
}

/** Concatenated text under a node. */
export function textOf(root: El): string {
  if (root.nodeName === '#text') return root.value ?? '';
  return (root.childNodes ?? []).map(textOf).join('');
}
