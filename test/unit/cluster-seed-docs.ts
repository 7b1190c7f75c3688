// Crude stand-in for the cleaner, for the fingerprint/cluster/canonical tests only: reads the seed files at run time,
// drops the junk lines listed in expected.json (mustRemove), lifts the title expected.json names, and applies the
// spacing repairs the real cleaner makes (recorded as RepairRecords so repair counts mean something).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { CleanDoc, RepairRecord } from '../../src/types.js';
import { SEEDS } from '../helpers/paths.js';
import { fmix32 } from '../../src/fingerprint/hash.js';

export interface Expected {
  clusters: string[][];
  canonical: Record<string, string[]>;
  relations: Record<string, { to: string; relation: string; why: string }>;
  mustRemove: Record<string, string[]>;
  metadata: Record<string, { title?: string; source?: string; credits?: string[] }>;
}

export function readExpected(): Expected {
  return JSON.parse(readFileSync(path.join(SEEDS, 'expected.json'), 'utf8')) as Expected;
}

const REPAIRS: [string, RegExp, string][] = [
  ['space-before-punct', / +([,.;:!?])(?=\s|$)/g, '$1'],
  ['double-period', /\.\s*\.(?=\s|$)/g, '.'],
  ['stray-guillemet', / ?» ?/g, ' '],
  ['missing-space', /([a-z])\.([A-Z][a-z])/g, '$1. $2'],
];

export function emptyMeta(title: string | null = null): CleanDoc['meta'] {
  return { title, dek: null, byline: null, credits: [], source: null, dateline: null, date: null, url: null };
}

export function makeDoc(p: string, paragraphs: string[], title: string | null = null, repairs: RepairRecord[] = []): CleanDoc {
  return {
    path: p,
    format: 'text',
    meta: emptyMeta(title),
    paragraphs,
    removed: [],
    repairs,
    words: paragraphs.join(' ').split(/\s+/).filter(Boolean).length,
  };
}

export function seedFiles(): string[] {
  return readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

export function readSeedDocs(): CleanDoc[] {
  const exp = readExpected();
  return seedFiles().map((f) => {
    const junk = new Set(exp.mustRemove[f] ?? []);
    const title = exp.metadata[f]?.title ?? null;
    const repairs: RepairRecord[] = [];
    const paragraphs: string[] = [];
    readFileSync(path.join(SEEDS, f), 'utf8')
      .split('\n')
      .forEach((raw, n) => {
        let line = raw.trim();
        if (!line || junk.has(line) || line === title) return;
        for (const [name, re, to] of REPAIRS) {
          const next = line.replace(re, to).replace(/ {2,}/g, ' ').trim();
          if (next !== line) repairs.push({ line: n + 1, repair: name, from: line, to: next });
          line = next;
        }
        if (line) paragraphs.push(line);
      });
    const doc = makeDoc(f, paragraphs, title, repairs);
    return doc;
  });
}

/** Deterministic nonsense articles: each draws its words from its own vocabulary, some share a "story" vocabulary. */
export function syntheticArticle(seed: number, story: number, words = 160): string[] {
  let s = seed >>> 0;
  const next = () => (s = fmix32(s + 0x9e3779b9));
  let t = (story * 7919) >>> 0;
  const nextStory = () => (t = fmix32(t + 0x85ebca6b));
  const own = Array.from({ length: 50 }, () => 'w' + (next() % 50000).toString(36));
  const shared = Array.from({ length: 30 }, () => 'Name' + (nextStory() % 50000).toString(36));
  const out: string[] = [];
  for (let p = 0; p < 4; p++) {
    const sent: string[] = [];
    for (let i = 0; i < words / 4; i++) sent.push(next() % 3 === 0 ? shared[next() % shared.length] : own[next() % own.length]);
    out.push(sent.join(' ') + '.');
  }
  return out;
}
