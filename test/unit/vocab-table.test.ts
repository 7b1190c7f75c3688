import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeVocabTable, encodeVocabTable, vocabFromCounts, backgroundVocab, termHash } from '../../src/fingerprint/vocab.js';
import path from 'node:path';
import { REPO } from '../helpers/paths.js';

const repoPath = (rel: string) => path.join(REPO, rel);

const json = fs.readFileSync(repoPath('data/background-df.json'));
const parsed = JSON.parse(json.toString('utf8')) as { documents: number; df: Record<string, number> };
const fromJson = vocabFromCounts(parsed.documents, parsed.df);
const terms = Object.keys(parsed.df);

describe('the built-in vocabulary as a table (dist/background-df.bin)', () => {
  it('gives every count the JSON gives, and the same table', () => {
    const table = decodeVocabTable(encodeVocabTable(json), json)!;
    expect(table.documents).toBe(parsed.documents);
    expect(table.df.size).toBe(fromJson.df.size);
    expect([...table.df.keys]).toEqual([...fromJson.df.keys]);
    expect([...table.df.vals]).toEqual([...fromJson.df.vals]);
    for (const term of terms.slice(0, 2000)) expect(table.df.get(termHash(term))).toBe(parsed.df[term]);
    expect(table.df.get(termHash('a term no background document holds'))).toBe(0);
  });

  it('is refused when made from other counts, damaged, cut short or of another kind', () => {
    const bytes = Buffer.from(encodeVocabTable(json));
    const other = Buffer.from(JSON.stringify({ ...parsed, documents: parsed.documents + 1 }));
    expect(decodeVocabTable(bytes, other)).toBeNull();
    expect(decodeVocabTable(bytes.subarray(0, bytes.length - 8), json)).toBeNull();
    const foreign = Buffer.from(bytes);
    foreign.writeUInt32LE(0, 0);
    expect(decodeVocabTable(foreign, json)).toBeNull();
    const badCapacity = Buffer.from(bytes);
    badCapacity.writeUInt32LE(1000, 12);
    expect(decodeVocabTable(badCapacity, json)).toBeNull();
  });

  it('reads a table whose bytes are not aligned', () => {
    const bytes = encodeVocabTable(json);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect([...decodeVocabTable(shifted, json)!.df.vals]).toEqual([...fromJson.df.vals]);
  });

  it('is what npm run build wrote beside the compiled code', () => {
    const built = repoPath('dist/background-df.bin');
    expect(fs.existsSync(built)).toBe(true);
    expect(Buffer.from(encodeVocabTable(json)).equals(fs.readFileSync(built))).toBe(true);
  });

  it('backgroundVocab() run from the sources (no table beside them) reads the JSON', () => {
    expect([...backgroundVocab().df.vals]).toEqual([...fromJson.df.vals]);
  });
});
