// Paragraph assembly: one kept input line is one paragraph, except in hard-wrapped text, where
// lines broken at a fixed width are joined back into their paragraph.
import type { RepairRecord } from '../types.js';

export interface BodyLine {
  /** 1-based input line number. */
  line: number;
  text: string;
}

const SENTENCE_END = /[.!?…:]["”’)\]]*$/;
const LIST_ITEM = /^(?:[-*•–·]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)/;

/**
 * The wrap width if the text looks hard-wrapped, else 0. Hard-wrapped: most lines are "full"
 * (within ~20 columns of a width of 40–100), few are longer, and many full lines stop mid-sentence.
 */
export function detectWrapWidth(lines: readonly BodyLine[]): number {
  const lens: number[] = [];
  for (const l of lines) if (l.text.length >= 20) lens.push(l.text.length);
  if (lens.length < 4) return 0;
  lens.sort((a, b) => b - a);
  const width = lens[Math.floor(lens.length * 0.05)];
  if (width < 40 || width > 100) return 0;
  let full = 0;
  let fullOpen = 0;
  for (const l of lines) {
    const n = l.text.length;
    if (n >= width - 20 && n <= width + 2) {
      full++;
      if (!SENTENCE_END.test(l.text)) fullOpen++;
    }
  }
  if (full < 3 || full < lens.length * 0.5) return 0;
  return fullOpen >= full * 0.4 ? width : 0;
}

function firstWordLength(s: string): number {
  const i = s.indexOf(' ');
  return i < 0 ? s.length : i;
}

/**
 * Group hard-wrapped lines into paragraphs (each group is one paragraph as it will be written).
 * Line a continues into line b (the next input line) when b's first word would not have fitted on a
 * (so a was broken by the wrapper, not by the author), or when a is long, stops mid-sentence and b
 * starts in lower case. List items and short lines stay apart. `width` 0: every line is a paragraph.
 */
export function paragraphGroups(lines: readonly BodyLine[], width = detectWrapWidth(lines)): BodyLine[][] {
  const out: BodyLine[][] = [];
  let cur: BodyLine[] | null = null;
  for (const l of lines) {
    const prev = cur?.[cur.length - 1];
    if (width > 0 && cur !== null && prev !== undefined && l.line === prev.line + 1 && continues(prev.text, l.text, width)) cur.push(l);
    else {
      if (cur !== null) out.push(cur);
      cur = [l];
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

/** The text of one paragraph group: its lines joined (a word hyphenated at a line end is rejoined). */
export function joinGroup(group: readonly BodyLine[], repairs: RepairRecord[]): string {
  let cur = group[0].text;
  for (let k = 1; k < group.length; k++) {
    const l = group[k];
    const hyphen = /\p{L}-$/u.test(cur) && /^\p{Ll}/u.test(l.text);
    const tail = cur.slice(-24);
    const head = l.text.slice(0, 24);
    repairs.push({ line: l.line, repair: 'hard-wrap', from: `${tail}\n${head}`, to: `${tail}${hyphen ? '' : ' '}${head}` });
    cur = hyphen ? cur + l.text : `${cur} ${l.text}`;
  }
  return cur;
}

/** Join hard-wrapped lines: one string per paragraph. */
export function buildParagraphs(lines: readonly BodyLine[], repairs: RepairRecord[]): string[] {
  return paragraphGroups(lines).map((g) => joinGroup(g, repairs));
}

/** Whether line a, in text hard-wrapped at `width`, runs on into line b (exported for the dek decision). */
export function continues(a: string, b: string, width: number): boolean {
  if (LIST_ITEM.test(b)) return false;
  if (a.length < width * 0.5) return false;
  if (a.length + 1 + firstWordLength(b) > width) return true;
  return !SENTENCE_END.test(a) && /^\p{Ll}/u.test(b) && a.length >= width * 0.7;
}
