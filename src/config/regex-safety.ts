// Is a user rule's regular expression safe to run on every line of every file? Lines can be
// megabytes long (a page with no newline), so a pattern must not backtrack catastrophically
// (exponentially) nor polynomially. This is a conservative static check of the shapes that cause
// it; a pattern it refuses can always be written safely (anchor it with ^, bound a repetition
// with {0,200}, do not repeat a repetition). test/reliability/redos.test.ts checks it against the
// recheck analyser.

/** One parsed piece of a pattern. `chars` is the set of probe characters it can match (see PROBES). */
interface Item {
  /** Source text of the atom without its quantifier. */
  src: string;
  min: number;
  max: number; // Infinity when unbounded
  /** Can match a non-empty string of varying length (a quantifier with max > min, or a group holding one). */
  variable: boolean;
  /** Holds (at any depth) an unbounded repetition. */
  innerUnbounded: boolean;
  chars: Set<number>;
  /** Can match the empty string. */
  nullable: boolean;
  kind: 'atom' | 'group' | 'assertion';
  /** Top-level alternatives of a group, as sequences. */
  branches?: Item[][];
}

// Characters used to tell whether two pieces can match the same text: ASCII, whitespace, and a few
// letters, digits and punctuation from other scripts.
const PROBES: number[] = (() => {
  const cps: number[] = [9, 11, 12, 0xa0, 0x2009, 0x3000, 0xe9, 0xdf, 0x416, 0x436, 0x4e2d, 0x661, 0x2019, 0x201c, 0x2014, 0xab, 0xbb, 0x20ac, 0x1f600];
  for (let c = 0x20; c < 0x7f; c++) cps.push(c);
  return cps;
})();

export class RegexSafetyError extends Error {}

/** Why `source` is unsafe, or null. */
export function unsafeRegexReason(source: string, flags = ''): string | null {
  try {
    const seq = new Parser(source, flags.replace(/[gy]/g, '')).parseAlternation();
    return checkSequences(seq, true);
  } catch (e) {
    if (e instanceof RegexSafetyError) return e.message;
    throw e;
  }
}

function checkSequences(branches: Item[][], top: boolean): string | null {
  // Alternatives that can start the same way, under a repetition, are checked by the caller;
  // here: each sequence on its own, and each group inside it.
  for (const seq of branches) {
    for (let i = 0; i < seq.length; i++) {
      const it = seq[i];
      if (it.kind === 'group' && it.branches) {
        if (it.max > 1) {
          // (a+)+, (\w+\s?)*, (a{1,5})+, (.*?,){11}: a repetition inside a repeated group that can run
          // on into the next round (what follows it in its round is optional or matches the same text).
          const starts = new Set<number>();
          for (const b of it.branches) for (const c of firstChars(b)) starts.add(c);
          for (const b of it.branches) {
            for (let k = 0; k < b.length; k++) {
              const x = b[k];
              if (x.kind === 'assertion' || !(x.max > x.min) || !intersects(x.chars, starts)) continue;
              if (b.slice(k + 1).every((y) => y.nullable || subset(y.chars, x.chars))) {
                return `repeats a repetition (${x.src} inside ${it.src}): this can take exponential or high polynomial time. Bound the outer repetition or make the rounds start differently`;
              }
            }
          }
        }
        if (it.max > 1 && it.branches.length > 1) {
          const starts = it.branches.map(firstChars);
          for (let a = 0; a < starts.length; a++)
            for (let b = a + 1; b < starts.length; b++) {
              if (intersects(starts[a], starts[b])) return `repeats a choice whose alternatives can match the same text (${it.src}): this can take exponential time. Make the alternatives start differently`;
            }
        }
        if (it.max === Infinity && it.branches.length === 1 && it.branches[0].length > 0) {
          // (a+b?)* style: a repeated sequence that can match the same text in two ways.
          const inner = it.branches[0];
          if (inner.every((x) => x.nullable)) return `repeats something that can match nothing (${it.src}): this can take exponential time`;
        }
        const r = checkSequences(it.branches, false);
        if (r) return r;
      }
      // Two unbounded repetitions that can share text, with nothing but shareable or optional text
      // between them (\s*\s*, .*x.*, \d+\d+): splitting the text between them is polynomial.
      if (it.max === Infinity && it.kind !== 'assertion') {
        for (let j = i + 1; j < seq.length; j++) {
          const other = seq[j];
          if (other.kind === 'assertion') continue;
          if (other.max === Infinity && intersects(it.chars, other.chars)) {
            return `has two unbounded repetitions that can match the same text (${it.src}… ${other.src}…): on a long line this takes polynomial time. Bound one of them, e.g. {0,200}`;
          }
          if (!other.nullable && !subset(other.chars, it.chars)) break;
        }
      }
    }
    if (top && seq.length > 0) {
      const first = seq.find((it) => it.kind !== 'assertion' || it.src !== '\\b');
      const anchored = seq[0].kind === 'assertion' && seq[0].src === '^';
      if (!anchored && first && first.max === Infinity && first.kind !== 'assertion') {
        return `starts with an unbounded repetition (${first.src}…) and is not anchored: on a long line every position starts a new scan. Anchor it with ^ or bound the repetition, e.g. {1,200}`;
      }
    }
  }
  return null;
}

function descendants(branches: Item[][]): Item[] {
  const out: Item[] = [];
  for (const b of branches)
    for (const it of b) {
      out.push(it);
      if (it.branches) out.push(...descendants(it.branches));
    }
  return out;
}

function firstChars(seq: Item[]): Set<number> {
  const out = new Set<number>();
  for (const it of seq) {
    if (it.kind === 'assertion') continue;
    for (const c of it.chars) out.add(c);
    if (!it.nullable) break;
  }
  return out;
}

function intersects(a: Set<number>, b: Set<number>): boolean {
  for (const c of a) if (b.has(c)) return true;
  return false;
}

function subset(a: Set<number>, b: Set<number>): boolean {
  for (const c of a) if (!b.has(c)) return false;
  return true;
}

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly flags: string,
  ) {}

  parseAlternation(): Item[][] {
    const branches: Item[][] = [this.parseSequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.parseSequence());
    }
    return branches;
  }

  private parseSequence(): Item[] {
    const seq: Item[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const start = this.i;
      const item = this.parseAtom();
      this.parseQuantifier(item, start);
      seq.push(item);
    }
    return seq;
  }

  private charsOf(src: string): Set<number> {
    const set = new Set<number>();
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${src})$`, this.flags.includes('u') || this.flags.includes('v') ? this.flags : this.flags + 'u');
    } catch {
      re = new RegExp(`^(?:${src})$`, this.flags);
    }
    for (const c of PROBES) if (re.test(String.fromCodePoint(c))) set.add(c);
    if (this.flags.includes('i')) for (const c of [...set]) set.add(String.fromCodePoint(c).toLowerCase().codePointAt(0)!);
    return set;
  }

  private parseAtom(): Item {
    const s = this.s;
    const start = this.i;
    const c = s[this.i];
    const simple = (src: string, kind: Item['kind'] = 'atom'): Item => ({
      src,
      min: 1,
      max: 1,
      variable: false,
      innerUnbounded: false,
      chars: kind === 'assertion' ? new Set() : this.charsOf(src),
      nullable: kind === 'assertion',
      kind,
    });
    if (c === '^' || c === '$') {
      this.i++;
      return simple(c, 'assertion');
    }
    if (c === '\\') {
      const n = s[this.i + 1];
      if (n === undefined) throw new RegexSafetyError('ends with a lone backslash');
      if (/[1-9]/.test(n) || (n === 'k' && s[this.i + 2] === '<')) {
        throw new RegexSafetyError('uses a back-reference (\\1, \\k<name>): back-references can take exponential time and are not allowed in rules');
      }
      if (n === 'b' || n === 'B') {
        this.i += 2;
        return simple('\\' + n, 'assertion');
      }
      let len = 2;
      if (n === 'u' && s[this.i + 2] === '{') len = s.indexOf('}', this.i) - this.i + 1;
      else if (n === 'u') len = 6;
      else if (n === 'x') len = 4;
      else if (n === 'c') len = 3;
      else if ((n === 'p' || n === 'P') && s[this.i + 2] === '{') len = s.indexOf('}', this.i) - this.i + 1;
      this.i += len;
      return simple(s.slice(start, this.i));
    }
    if (c === '[') {
      this.i++;
      if (s[this.i] === '^') this.i++;
      if (s[this.i] === ']') this.i++;
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return simple(s.slice(start, this.i));
    }
    if (c === '(') {
      this.i++;
      let assertion = false;
      if (s[this.i] === '?') {
        const look = /^\?(?:[=!]|<[=!])/.exec(s.slice(this.i));
        if (look) {
          assertion = true;
          this.i += look[0].length;
        } else if (s[this.i + 1] === ':') this.i += 2;
        else if (s[this.i + 1] === '<') this.i = s.indexOf('>', this.i) + 1;
        else this.i += 2; // modifiers (?i:…) and the like
      }
      const branches = this.parseAlternation();
      if (s[this.i] !== ')') throw new RegexSafetyError('has an unclosed group');
      this.i++;
      const items = branches.flat();
      const chars = new Set<number>();
      for (const it of items) for (const ch of it.chars) chars.add(ch);
      const item: Item = {
        src: s.slice(start, this.i),
        min: 1,
        max: 1,
        variable: items.some((it) => it.variable),
        innerUnbounded: items.some((it) => it.max === Infinity || it.innerUnbounded),
        chars: assertion ? new Set() : chars,
        nullable: assertion || branches.some((b) => b.every((it) => it.nullable)),
        kind: assertion ? 'assertion' : 'group',
        branches,
      };
      if (assertion && item.innerUnbounded) {
        // A lookaround with an unbounded repetition is re-run at each position: polynomial.
        throw new RegexSafetyError(`has an unbounded repetition inside a lookaround (${item.src}): on a long line this takes polynomial time. Bound it, e.g. {0,200}`);
      }
      return item;
    }
    // A literal character (a surrogate pair counts as one).
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return simple(s.slice(start, this.i));
  }

  private parseQuantifier(item: Item, start: number): void {
    const s = this.s;
    const c = s[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length;
    } else return;
    if (s[this.i] === '?') this.i++; // lazy: the same backtracking, in another order
    if (item.kind === 'assertion') return;
    item.src = s.slice(start, this.i);
    item.min = item.min * min;
    item.max = max === Infinity ? Infinity : item.max * max;
    item.variable = item.variable || max > min;
    item.nullable = item.nullable || min === 0;
  }
}
