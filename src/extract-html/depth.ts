// A linear pre-pass that caps element nesting before parsing. HTML parsers (parse5, htmlparser2) do work
// proportional to the depth of the open-element stack on every tag, so a page nested 100,000 levels deep
// takes seconds to minutes to parse; no real article is nested more than a few hundred levels.
// Only pages that exceed the cap are rewritten: tags opened beyond the cap (and their matching end tags)
// are dropped, their text stays.

/** Elements that never have an end tag. */
const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'keygen', 'command', 'basefont', 'frame', 'isindex', 'image',
]);
/** Elements whose end tag is optional; they are closed implicitly, so they do not count towards depth. */
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rp', 'rt', 'colgroup', 'caption', 'html', 'head', 'body']);
/** Raw-text elements: their content is not markup. */
const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

export const MAX_DEPTH = 400;

/** Quick upper bound on nesting: count '<' characters that start a tag name. */
function mayBeDeep(html: string, max: number): boolean {
  let opens = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    const c = html.charCodeAt(i + 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (++opens > max) return true;
    }
  }
  return false;
}

/** Return `html` unchanged unless its nesting exceeds `max`; then drop the tags that go deeper. */
export function limitDepth(html: string, max = MAX_DEPTH): string {
  if (!mayBeDeep(html, max)) return html;
  // The name stops at the first space, slash, angle bracket; the attributes must begin with a space or
  // slash and cannot cross a '<'. So a run of '<a<a<a…' with no '>' fails at once at each start instead
  // of backtracking over the whole page (catastrophic on hostile input).
  const re = /<(\/?)([a-zA-Z][^\s/<>]*)((?:[\s/][^<>]*)?)>/g;
  const stack: string[] = [];
  const dropped = new Map<string, number>();
  const out: string[] = [];
  let last = 0;
  let changed = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) {
    const name = m[2].toLowerCase();
    const closing = m[1] === '/';
    let drop = false;
    if (!closing) {
      const selfClosing = m[3].endsWith('/');
      if (RAW.has(name) && !selfClosing) {
        // Skip raw text up to the matching end tag.
        const endRe = new RegExp('</' + name + '(?=[\\s/>])', 'gi');
        endRe.lastIndex = re.lastIndex;
        const e = endRe.exec(html);
        re.lastIndex = e === null ? html.length : e.index;
        continue;
      }
      if (!VOID.has(name) && !OPTIONAL_END.has(name) && !selfClosing) {
        if (stack.length >= max) {
          drop = true;
          dropped.set(name, (dropped.get(name) ?? 0) + 1);
        } else stack.push(name);
      }
    } else {
      const d = dropped.get(name) ?? 0;
      if (d > 0) {
        drop = true;
        dropped.set(name, d - 1);
      } else {
        const at = stack.lastIndexOf(name);
        if (at !== -1) stack.length = at;
      }
    }
    if (drop) {
      out.push(html.slice(last, m.index));
      last = re.lastIndex;
      changed = true;
    }
  }
  if (!changed) return html;
  out.push(html.slice(last));
  return out.join('');
}
