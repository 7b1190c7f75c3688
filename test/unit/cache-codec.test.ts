import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult, splitLazy } from '../../src/cache/codec.js';
import { analyzeSource, templateKeyHashesInto, type DocSettings } from '../../src/document.js';
import { keyHashes } from '../../src/clean/index.js';

const settings: DocSettings = { disabledRules: [], extraRules: [] };
const TEXT =
  'Ferry Timetable Cut for Inchmore\n\nBy Ada Reyes\n\nThe island’s winter ferry will sail twice a week from 3 November, the operator said on Monday, “to keep the route alive”.\n\nREAD ALSO: Harbour fees rise again\n\n© 2026 Example Wire. All rights reserved.\n';

describe('cache codec', () => {
  it('decodes texts only when asked for, under the path given', () => {
    const r = analyzeSource('a.txt', Buffer.from(TEXT), settings);
    const back = decodeResult(encodeResult(r), 'copy/b.txt');
    if (!('doc' in back) || !('doc' in r)) throw new Error('expected a document');
    expect(back.doc.path).toBe('copy/b.txt');
    expect(Object.getOwnPropertyDescriptor(back.doc, 'paragraphs')?.get).toBeTypeOf('function');
    expect(back.doc.paragraphs).toEqual(r.doc.paragraphs);
    expect(back.templateKeys).toEqual(r.templateKeys);
    expect({ ...back.doc, path: 'a.txt' }).toEqual(r.doc);
  });
  it("reads the template keys' hashes where they lie in the bytes, the same as made from the keys", () => {
    const r = analyzeSource('a.txt', Buffer.from(TEXT), settings);
    if (!('doc' in r)) throw new Error('expected a document');
    // at an odd offset in a larger buffer, as an entry lies in the cache file
    const encoded = encodeResult(r);
    const inFile = new Uint8Array(encoded.length + 3);
    inFile.set(encoded, 3);
    const back = decodeResult(inFile.subarray(3));
    if (!('doc' in back)) throw new Error('expected a document');
    const into = { view: new DataView(new ArrayBuffer(0)), at: 0, keys: 0, open: 0 };
    templateKeyHashesInto(back, into);
    const made = keyHashes(r.templateKeys, r.openTemplateKeys);
    expect(r.templateKeys.length).toBeGreaterThan(0);
    expect([into.keys, into.open]).toEqual([made.keys, made.open]);
    expect(Buffer.from(into.view.buffer, into.at, made.view.byteLength)).toEqual(Buffer.from(made.view.buffer));
  });
  it('gives back the same result, its fingerprint arrays as views of one buffer', () => {
    const r = analyzeSource('a.txt', Buffer.from(TEXT), settings);
    const back = decodeResult(encodeResult(r));
    expect(back).toEqual(r);
    // the same fields in the same order (JSON of a cached result is that of a fresh one)
    expect(JSON.stringify(back)).toBe(JSON.stringify(r));
    if (!('fp' in back)) throw new Error('expected a document');
    expect(back.fp.shingles).toBeInstanceOf(Uint32Array);
    expect(back.fp.counts).toBeInstanceOf(Uint16Array);
    expect(back.fp.kinds).toBeInstanceOf(Uint8Array);
    expect(new Set([back.fp.shingles.buffer, back.fp.terms.buffer, back.fp.counts.buffer, back.fp.kinds.buffer, back.fp.calendar.buffer]).size).toBe(1);
  });
  it('splits off the paragraphs and the fingerprint arrays but the terms, and decodes the rest with those arrays read only when asked for', () => {
    const r = analyzeSource('a.txt', Buffer.from(TEXT), settings);
    if (!('fp' in r)) throw new Error('expected a document');
    const encoded = encodeResult(r);
    const parts = splitLazy(encoded)!;
    const { shingles, minhash, terms, quotes, title, counts, calendar, kinds } = r.fp;
    // the arrays but the terms one after another, the 3-gram sketch first (as codec.ts packs them); the terms stay
    expect(Buffer.from(parts.arrays)).toEqual(Buffer.concat([shingles, minhash, quotes, title, counts, calendar, kinds].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
    expect(Buffer.concat(parts.lean).includes(Buffer.from(terms.buffer, terms.byteOffset, terms.byteLength))).toBe(true);
    expect(JSON.parse(Buffer.from(parts.texts).toString('utf8'))).toEqual(r.doc.paragraphs);
    const lean = Buffer.concat(parts.lean);
    expect(lean.length + parts.texts.length + parts.arrays.length).toBe(encoded.length);
    let reads = 0;
    // as the cache reads them: into memory of their own
    const arrays = () => {
      reads++;
      return new Uint8Array(parts.arrays);
    };
    const back = decodeResult(lean, 'a.txt', { paragraphs: () => r.doc.paragraphs }, arrays);
    if (!('fp' in back)) throw new Error('expected a document');
    expect([back.fp.exact, back.fp.words, back.fp.shingleCount, back.fp.labels]).toEqual([r.fp.exact, r.fp.words, r.fp.shingleCount, r.fp.labels]);
    expect(back.fp.terms).toEqual(r.fp.terms);
    // the labels are bytes after the summary's JSON, made a string when asked for (explanations), once
    expect(r.fp.labels).toContain('\n');
    expect(Object.getOwnPropertyDescriptor(back.fp, 'labels')?.get).toBeTypeOf('function');
    expect(back.fp.labels).toBe(back.fp.labels);
    expect(reads).toBe(0);
    expect(back.fp.shingles).toEqual(r.fp.shingles);
    expect(reads).toBe(1);
    expect(back.fp.shingles).toBe(back.fp.shingles);
    expect(back.fp.kinds).toEqual(r.fp.kinds);
    expect(reads).toBe(1); // read once, for all of them
    expect(back).toEqual(r);
    expect(JSON.stringify(back)).toBe(JSON.stringify(r));
    expect(Object.keys(back.fp)).toEqual(Object.keys(r.fp));
    // arrays of another length than the one stored are refused when read
    const short = decodeResult(lean, 'a.txt', undefined, () => new Uint8Array(4)) as typeof r;
    expect(() => short.fp.minhash).toThrow(/fingerprint arrays of 4 bytes where \d+ were stored/);
    expect(splitLazy(encodeResult({ path: 'x.bin', message: 'binary file' }))).toBeNull();
  });
  it('decodes an entry where it lies among other bytes, as in the cache file, at any offset', () => {
    const r = analyzeSource('a.txt', Buffer.from(TEXT), settings);
    const encoded = encodeResult(r);
    for (const at of [0, 8, 3, 6]) {
      // other entries' bytes before and after it in one buffer; at 3 and 6 its arrays are not 4-aligned: copied
      const file = new Uint8Array(at + encoded.length + 16).fill(0x7b);
      file.set(encoded, at);
      const back = decodeResult(file.subarray(at, at + encoded.length), 'a.txt');
      expect(back, `at ${at}`).toEqual(r);
      expect(JSON.stringify(back)).toBe(JSON.stringify(r));
      if (!('fp' in back)) throw new Error('expected a document');
      expect(back.fp.terms.buffer === file.buffer, `at ${at}: views of the file's bytes only when aligned`).toBe(at % 4 === 0);
    }
  });
  it('keeps text the decoder must not alter: lone surrogates, NUL-free control characters, non-Latin letters', () => {
    const odd = 'Stra\u00dfe \ud800 lone, \u0007 bell, 東京 and \u{1f600} in one line of a headline\n\nA body paragraph with \udfff and more text.\n';
    const r = analyzeSource('b.txt', Buffer.from(odd), settings);
    expect(decodeResult(encodeResult(r))).toEqual(r);
  });
  it('an error result, and an entry of the wrong length', () => {
    const err = { path: 'x.bin', message: 'binary file (a PNG image), not text' };
    expect(decodeResult(encodeResult(err))).toEqual(err);
    const bytes = encodeResult(analyzeSource('a.txt', Buffer.from(TEXT), settings));
    // cut inside the arrays: refused at once; cut inside the texts: refused when they are read (the file's record
    // checksum refuses both before the codec sees them)
    expect(() => decodeResult(bytes.subarray(0, 60))).toThrow();
    const cut = decodeResult(bytes.subarray(0, bytes.length - 3));
    expect(() => ('doc' in cut ? cut.doc.paragraphs : null)).toThrow();
  });
});
