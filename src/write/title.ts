// A title for an article that has none: its opening words, cut at a word boundary.
import type { CleanDoc } from '../types.js';

const MAX_WORDS = 12;

export function fallbackTitle(doc: Pick<CleanDoc, 'paragraphs'>): string {
  // Twelve words never need more than the paragraph's start: a 20 MB one-line paragraph is not scanned whole.
  const first = (doc.paragraphs.find((p) => p.trim().length > 0) ?? '').slice(0, 2000);
  // The first sentence: up to a sentence end followed by a space and a capital, or the whole paragraph.
  const sentence = first.match(/^.*?[.!?](?=\s+[A-Z“"‘'(])/)?.[0] ?? first;
  const words = sentence.replace(/[.!?]+$/, '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'Untitled';
  return words.length > MAX_WORDS ? `${words.slice(0, MAX_WORDS).join(' ')}…` : words.join(' ');
}
