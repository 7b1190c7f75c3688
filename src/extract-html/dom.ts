// Minimal structural view of the domhandler tree that cheerio builds, and iterative helpers over it.
// Nothing here recurses, so arbitrarily deep trees cannot overflow the call stack.

export interface DNode {
  type: string;
  parent: DNode | null;
  children?: DNode[];
  name?: string;
  attribs?: Record<string, string>;
  data?: string;
}

export interface DElement extends DNode {
  name: string;
  attribs: Record<string, string>;
  children: DNode[];
}

export function isElement(n: DNode): n is DElement {
  return (n.type === 'tag' || n.type === 'script' || n.type === 'style') && typeof n.name === 'string';
}

/** Pre-order walk over every descendant element of `root` (not `root` itself), skipping subtrees for which `skip` is true. */
export function* elements(root: DNode, skip?: (el: DElement) => boolean): Generator<DElement> {
  const stack: DNode[] = [];
  const kids = root.children ?? [];
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (skip && skip(n)) continue;
    yield n;
    const c = n.children;
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
}

/** Elements of the subtree in post-order (children before parents), `root` last if it is an element. */
export function postOrder(root: DNode, skip?: (el: DElement) => boolean): DElement[] {
  const pre: DElement[] = [];
  if (isElement(root)) pre.push(root);
  for (const el of elements(root, skip)) pre.push(el);
  // Reverse pre-order with children pushed left-to-right gives a valid post-order for aggregation
  // (every child appears before its parent).
  return pre.reverse();
}

export function collapse(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, ' ');
}

/** Text of a subtree (iterative), whitespace collapsed and trimmed. */
export function textOf(root: DNode, skip?: (el: DElement) => boolean): string {
  const parts: string[] = [];
  const stack: DNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      parts.push(n.data ?? '');
      continue;
    }
    if (!isElement(n) && n.type !== 'root') continue;
    if (isElement(n) && (n.type !== 'tag' || (skip && skip(n)))) continue;
    const c = n.children ?? [];
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  return collapse(parts.join('')).trim();
}

export function attr(el: DElement, name: string): string {
  return el.attribs[name] ?? '';
}

/** The class and id of an element, lower-cased and joined. */
export function classId(el: DElement): string {
  const c = el.attribs.class;
  const i = el.attribs.id;
  if (!c && !i) return '';
  return ((c ?? '') + ' ' + (i ?? '')).toLowerCase();
}
