import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CacheDamagedError, COMPACT_MIN_DEAD, DocCache } from '../../src/cache/index.js';
import { analyzeSource, type DocAnalysis, type DocSettings } from '../../src/document.js';
import { tempDir } from '../helpers/cli.js';
import { analyzeAll } from '../../src/parallel/pool.js';
import { fileStamp } from '../../src/read/index.js';
import { analyzeCorpus } from '../../src/pipeline.js';
import { writeOutputs } from '../../src/write/index.js';
import { FIXTURES } from '../helpers/paths.js';

const settings: DocSettings = { disabledRules: [], extraRules: [] };
const TEXT = 'Tram Line Opens in Kestrel Bay\n\nThe first tram left the depot at six on Monday morning, carrying 140 passengers along the new harbour route.\n\nLeave a Reply\n';

/** A cache file at `file` holding TEXT's result under these version and settings; returns TEXT's key. */
function savedCache(file: string, version = '1.0.0', under: DocSettings = settings): string {
  const key = DocCache.key(Buffer.from(TEXT));
  const cache = DocCache.open(file, version, under, () => {});
  cache.set(key, analyzeSource('x.txt', Buffer.from(TEXT), under));
  cache.save();
  return key;
}

/** A cache file at `file` holding TEXT's result and these states (deferred ones so); returns TEXT's key. */
function savedWithStates(file: string, states: [name: string, bytes: Uint8Array, deferred: boolean][]): string {
  const key = DocCache.key(Buffer.from(TEXT));
  const cache = DocCache.open(file, '1.0.0', settings, () => {});
  cache.set(key, analyzeSource('x.txt', Buffer.from(TEXT), settings));
  for (const [name, bytes, deferred] of states) cache.setState(name, bytes, { deferred });
  cache.save();
  return key;
}

describe('DocCache', () => {
  it('returns what was stored, under the path of this run', () => {
    const file = path.join(tempDir(), 'c', 'cache.bin');
    const bytes = Buffer.from(TEXT);
    const key = DocCache.key(bytes);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    expect(a.get(key, 'x.txt')).toBeUndefined();
    a.set(key, analyzeSource('x.txt', bytes, settings));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    const hit = b.get(key, 'copy/y.txt');
    expect(hit && 'doc' in hit && hit.doc.path).toBe('copy/y.txt');
    expect(hit && 'doc' in hit && hit.doc.removed.map((r) => r.rule)).toEqual(['comment-prompt']);
    expect(hit && 'fp' in hit && hit.fp.shingles).toBeInstanceOf(Uint32Array);
  });
  it('treats another version or other settings as empty, silently', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedCache(file);
    const warnings: string[] = [];
    expect(DocCache.open(file, '2.0.0', settings, (m) => warnings.push(m)).get(key, 'x.txt')).toBeUndefined();
    expect(DocCache.open(file, '1.0.0', { disabledRules: ['comment-prompt'], extraRules: [] }, (m) => warnings.push(m)).get(key, 'x.txt')).toBeUndefined();
    expect(warnings).toEqual([]);
  });
  it('replaces a cache of another version or other settings with its own, which the next run uses', () => {
    // (an upgrade of clean, or a changed --disable, must not leave the cache stale for good)
    for (const [version, other] of [['2.0.0', settings], ['1.0.0', { disabledRules: ['comment-prompt'], extraRules: [] }]] as const) {
      const file = path.join(tempDir(), 'cache.bin');
      const key = savedCache(file);
      const warnings: string[] = [];
      const b = DocCache.open(file, version, other, (m) => warnings.push(m));
      expect(b.get(key, 'x.txt')).toBeUndefined();
      b.set(key, analyzeSource('x.txt', Buffer.from(TEXT), other));
      b.save();
      expect(warnings).toEqual([]);
      expect(DocCache.open(file, version, other, () => {}).get(key, 'x.txt')).toBeDefined();
    }
  });
  it('replaces a cache file of its own whose header is damaged (after a warning)', async () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedCache(file);
    const bytes = fs.readFileSync(file);
    bytes[20] ^= 0xff; // inside the header
    fs.writeFileSync(file, bytes);
    const warnings: string[] = [];
    const b = DocCache.openInBackground(file, '1.0.0', settings, (m) => warnings.push(m));
    await b.ready;
    expect(b.get(key, 'x.txt')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/checksum mismatch/);
    b.set(key, analyzeSource('x.txt', Buffer.from(TEXT), settings));
    b.save();
    expect(warnings.join('\n')).not.toMatch(/not saved/);
    expect(DocCache.open(file, '1.0.0', settings, () => {}).get(key, 'x.txt')).toBeDefined();
  });
  it('ignores a corrupt or foreign file with a warning', () => {
    const dir = tempDir();
    const foreign = path.join(dir, 'foreign.bin');
    fs.writeFileSync(foreign, 'not a cache at all');
    const warnings: string[] = [];
    DocCache.open(foreign, '1.0.0', settings, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(/foreign\.bin: (unreadable|not a cache file)/);

    const file = path.join(dir, 'cache.bin');
    savedCache(file);
    const bytes = fs.readFileSync(file);
    bytes[16 + bytes.readUInt32LE(8) + 40] ^= 0xff; // flip a byte inside the first entry (after the header)
    fs.writeFileSync(file, bytes);
    const w2: string[] = [];
    expect(DocCache.open(file, '1.0.0', settings, (m) => w2.push(m)).get(DocCache.key(Buffer.from(TEXT)), 'x.txt')).toBeUndefined();
    expect(w2[0]).toMatch(/checksum mismatch|unreadable/);
  });
  it('keeps the cleaned texts and fingerprint arrays apart in a region it reads only for those asked for, each checked as it is read', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedCache(file);
    const bytes = fs.readFileSync(file);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as { lazy: [number, number] };
    const [start, end] = header.lazy;
    const fresh = analyzeSource('x.txt', Buffer.from(TEXT), settings) as DocAnalysis;
    const paragraphs = JSON.stringify(fresh.doc.paragraphs);
    // the region: the entry's paragraphs, then its fingerprint arrays but the terms, the 3-gram sketch first (then padding)
    expect(bytes.toString('utf8', start, start + Buffer.byteLength(paragraphs))).toBe(paragraphs);
    const arraysAt = start + Buffer.byteLength(paragraphs);
    const { shingles, minhash, terms, quotes, title, counts, calendar, kinds } = fresh.fp;
    const arrays = Buffer.concat([shingles, minhash, quotes, title, counts, calendar, kinds].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
    expect(bytes.subarray(start, end).includes(Buffer.from(terms.buffer, terms.byteOffset, terms.byteLength))).toBe(false); // kept in the entry
    expect(end - arraysAt - arrays.length).toBeLessThan(4);
    expect(bytes.subarray(arraysAt, arraysAt + arrays.length).equals(arrays)).toBe(true);
    // read as it is: the same result, its arrays read when first asked for
    const ok = DocCache.open(file, '1.0.0', settings, () => {});
    const hit = ok.get(key, 'x.txt') as DocAnalysis;
    expect(hit.doc.paragraphs).toEqual(fresh.doc.paragraphs);
    expect(hit.fp).toEqual(fresh.fp);
    expect(JSON.stringify(hit)).toBe(JSON.stringify({ ...fresh, doc: { ...fresh.doc } }));
    ok.close();
    // a flipped byte in a text or in the arrays: the entry is still found (its record checks out), but the part is refused when read
    for (const [at, what, read] of [
      [start + 3, /cleaned text of a document is damaged/, (r: DocAnalysis) => r.doc.paragraphs],
      [arraysAt + 2, /fingerprint arrays of a document are damaged/, (r: DocAnalysis) => r.fp.shingles],
      [arraysAt + arrays.length - 1, /fingerprint arrays of a document are damaged/, (r: DocAnalysis) => r.fp.kinds],
    ] as const) {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x01;
      fs.writeFileSync(file, copy);
      const warnings: string[] = [];
      const damaged = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
      const result = damaged.get(key, 'x.txt') as DocAnalysis;
      expect(() => read(result)).toThrow(CacheDamagedError);
      expect(() => read(result)).toThrow(what);
      expect(warnings).toEqual([]);
      // removed when it is still the file read, so the next run starts afresh
      damaged.discard();
      expect(fs.existsSync(file)).toBe(false);
    }
  });
  it('reads the fingerprint arrays of each of hundreds of entries by position: the same arrays, each checked', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const texts = Array.from({ length: 300 }, (_, i) => `Harbour Notes ${i}\n\nThe ferry number ${i} sails at ${i % 24} o'clock from quay ${i * 7}, the operator said on day ${i}.\n`);
    const fresh = texts.map((t) => analyzeSource('x.txt', Buffer.from(t), settings) as DocAnalysis);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    texts.forEach((t, i) => a.set(DocCache.key(Buffer.from(t)), fresh[i]));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    const back = texts.map((t) => b.get(DocCache.key(Buffer.from(t)), 'x.txt') as DocAnalysis);
    back.forEach((r, i) => expect(r.fp).toEqual(fresh[i].fp));
    b.close();
    // a flipped byte in the sketch of one of the last ones
    const raw = fs.readFileSync(file);
    const last = fresh[290].fp.shingles;
    const at = raw.indexOf(Buffer.from(last.buffer, last.byteOffset, last.byteLength));
    raw[at + 5] ^= 0x01;
    fs.writeFileSync(file, raw);
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    const damaged = texts.map((t) => c.get(DocCache.key(Buffer.from(t)), 'x.txt') as DocAnalysis);
    expect(() => damaged.forEach((r) => r.fp.shingles)).toThrow(/fingerprint arrays of a document are damaged/);
    c.close();
  });
  it('copies the texts of the entries a run used when it writes the file anew', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedCache(file);
    const other = 'Ferry Timetable Changes\n\nThe island ferry will sail twice a day from March, the operator said on Friday.\n';
    const otherKey = DocCache.key(Buffer.from(other));
    // a second run adds an entry (appended, with its text in its record), then a third writes the file anew
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.get(key, 'x.txt')).toBeDefined();
    b.set(otherKey, analyzeSource('y.txt', Buffer.from(other), settings));
    b.save();
    b.close();
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    const texts = (r: ReturnType<DocCache['get']>) => (r && 'doc' in r ? r.doc.paragraphs : null);
    const x = texts(c.get(key, 'x.txt'));
    const y = texts(c.get(otherKey, 'y.txt'));
    expect(x?.length && y?.length).toBeTruthy();
    c.setState('filler', Buffer.alloc(COMPACT_MIN_DEAD * 3)); // dead weight once dropped: the next save rewrites
    c.save();
    c.close();
    const d = DocCache.open(file, '1.0.0', settings, () => {});
    d.get(key, 'x.txt');
    d.get(otherKey, 'y.txt');
    d.setState('filler', Buffer.alloc(0));
    d.save(); // written anew: both texts copied into the new file's region
    d.close();
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeLessThan(COMPACT_MIN_DEAD);
    const [start, end] = (JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as { lazy: [number, number] }).lazy;
    const region = bytes.subarray(start, end);
    expect(region.toString('utf8')).toContain(JSON.stringify(x));
    expect(region.toString('utf8')).toContain(JSON.stringify(y)); // the appended entry's text moved into the region
    const sketchOf = (text: string) => (analyzeSource('x.txt', Buffer.from(text), settings) as DocAnalysis).fp.shingles;
    expect(region.includes(Buffer.from(sketchOf(other).buffer, sketchOf(other).byteOffset, sketchOf(other).byteLength))).toBe(true); // and its sketch
    const e = DocCache.open(file, '1.0.0', settings, () => {});
    expect(texts(e.get(key, 'x.txt'))).toEqual(x);
    expect(texts(e.get(otherKey, 'y.txt'))).toEqual(y);
    expect((e.get(key, 'x.txt') as DocAnalysis).fp.shingles).toEqual(sketchOf(TEXT));
    expect((e.get(otherKey, 'y.txt') as DocAnalysis).fp.shingles).toEqual(sketchOf(other));
    e.close();
  });
  it('leaves the file alone when a run used exactly what it holds, and appends when a document changed', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = DocCache.key(Buffer.from(TEXT));
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.set(key, analyzeSource('x.txt', Buffer.from(TEXT), settings));
    a.save();
    const before = fs.readFileSync(file);
    const ino = fs.statSync(file).ino;
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.get(key, 'x.txt')).toBeDefined();
    b.save();
    expect(fs.statSync(file).ino).toBe(ino); // not rewritten
    expect(fs.readFileSync(file)).toEqual(before);
    const changed = TEXT + 'A correction was added on Tuesday.\n';
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    c.set(DocCache.key(Buffer.from(changed)), analyzeSource('x.txt', Buffer.from(changed), settings));
    c.save();
    // one record appended: the bytes before it are untouched
    expect(fs.statSync(file).ino).toBe(ino);
    expect(fs.readFileSync(file).subarray(0, before.length)).toEqual(before);
    expect(fs.statSync(file).size).toBeGreaterThan(before.length);
    const d = DocCache.open(file, '1.0.0', settings, () => {});
    expect(d.get(DocCache.key(Buffer.from(changed)), 'x.txt')).toBeDefined();
  });
  it('writes the file anew with the live entries only once dropped ones outweigh them', () => {
    const file = path.join(tempDir(), 'cache.bin');
    // Long documents, so that a few dropped ones pass the minimum the file must waste before it is rewritten.
    const doc = (i: number) => Buffer.from(`Harbour Report Number ${i}\n\n` + `The ferry number ${i} left the quay at dawn with ${i} passengers aboard. `.repeat(400));
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    for (let i = 0; i < 24; i++) a.set(DocCache.key(doc(i)), analyzeSource(`d${i}.txt`, doc(i), settings));
    a.save();
    const full = fs.statSync(file).size;
    expect(full).toBeGreaterThan(2 * COMPACT_MIN_DEAD);
    // a run that uses two of the 24: the others are dead weight, so the file shrinks to the two
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.get(DocCache.key(doc(0)), 'd0.txt')).toBeDefined();
    expect(b.get(DocCache.key(doc(1)), 'd1.txt')).toBeDefined();
    b.save();
    expect(fs.statSync(file).size).toBeLessThan(full / 4);
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(c.get(DocCache.key(doc(1)), 'd1.txt')).toBeDefined();
    expect(c.get(DocCache.key(doc(2)), 'd2.txt')).toBeUndefined();
  });
  it('a torn last record (a run stopped while appending) is ignored with a warning, and the rest is used', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const one = Buffer.from(TEXT);
    const two = Buffer.from(TEXT + 'A second paragraph about the depot.\n');
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.set(DocCache.key(one), analyzeSource('x.txt', one, settings));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    b.get(DocCache.key(one), 'x.txt');
    b.set(DocCache.key(two), analyzeSource('y.txt', two, settings));
    b.save();
    fs.truncateSync(file, fs.statSync(file).size - 7);
    const warnings: string[] = [];
    const c = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(/cache\.bin: an incomplete record .* at byte \d+; using what comes before/);
    expect(c.get(DocCache.key(one), 'x.txt')).toBeDefined();
    expect(c.get(DocCache.key(two), 'y.txt')).toBeUndefined();
    c.set(DocCache.key(two), analyzeSource('y.txt', two, settings));
    c.save(); // written anew: nothing is appended after a damaged record
    const w2: string[] = [];
    const d = DocCache.open(file, '1.0.0', settings, (m) => w2.push(m));
    expect(w2).toEqual([]);
    expect(d.get(DocCache.key(two), 'y.txt')).toBeDefined();
  });
});

describe('DocCache file signatures', () => {
  const old = (id: string, sig: string) => ({ id, sig, changed: Date.now() - 60_000, fine: false });
  it('remembers the content key of a file by its stat signature, across runs', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const bytes = Buffer.from(TEXT);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.noteFile(old('/corpus/x.txt', 'sig-1'), DocCache.contentKey(bytes));
    a.set(DocCache.key(bytes), analyzeSource('x.txt', bytes, settings));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.knownContentKey(old('/corpus/x.txt', 'sig-1'))).toBe(DocCache.contentKey(bytes));
    expect(b.knownContentKey(old('/corpus/x.txt', 'sig-2'))).toBeUndefined(); // touched, rewritten, or moved
    expect(b.knownContentKey(old('/corpus/y.txt', 'sig-1'))).toBeUndefined();
  });
  it('keeps the files a save remembers anew in one record: a later one wins, a malformed one is refused', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const names = Array.from({ length: 100 }, (_, i) => `/corpus/f${i}.txt`);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    for (const n of names) a.noteFile(old(n, 'sig-1'), `key-${n}`);
    a.save();
    const count = () => fs.readFileSync(file).toString('latin1').split('"/corpus/f').length - 1;
    expect(count()).toBe(100);
    // one changed: a record of that one appended, which wins
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    b.noteFile(old(names[7], 'sig-2'), 'key-new');
    b.save();
    expect(count()).toBe(101);
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(c.knownContentKey(old(names[7], 'sig-2'))).toBe('key-new');
    expect(c.knownContentKey(old(names[7], 'sig-1'))).toBeUndefined();
    expect(names.filter((n, i) => i !== 7 && c.knownContentKey(old(n, 'sig-1')) === `key-${n}`)).toHaveLength(99);
    // a record whose checksum holds but whose list is not one of [path, signature, key]: refused, with what came before
    const raw = fs.readFileSync(file);
    const at = raw.lastIndexOf(Buffer.from('"key-new"'));
    raw.write('"key-new"'.replace(/"/g, ' '), at, 'latin1');
    const start = raw.lastIndexOf(Buffer.from('[["'));
    const head = start - 13;
    raw.writeUInt32LE(zlib.crc32(raw.subarray(start, start + raw.readUInt32LE(head + 5))), head + 9);
    fs.writeFileSync(file, raw);
    const warnings: string[] = [];
    const d = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(warnings.join('\n')).toMatch(/a malformed record at byte \d+; using what comes before/);
    expect(d.knownContentKey(old(names[3], 'sig-1'))).toBe(`key-${names[3]}`);
    expect(d.knownContentKey(old(names[7], 'sig-2'))).toBeUndefined();
  });
  it('does not remember a file changed just before or during the run (its signature could stay the same)', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const bytes = Buffer.from(TEXT);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.noteFile({ id: '/corpus/x.txt', sig: 'sig-1', changed: Date.now() - 500, fine: false }, DocCache.contentKey(bytes));
    a.set(DocCache.key(bytes), analyzeSource('x.txt', bytes, settings));
    a.save();
    expect(DocCache.open(file, '1.0.0', settings, () => {}).knownContentKey(old('/corpus/x.txt', 'sig-1'))).toBeUndefined();
  });
  it('where the file system keeps times finer than a millisecond, remembers a file changed a tenth of a second before the run', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const bytes = Buffer.from(TEXT);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.noteFile({ id: '/corpus/x.txt', sig: 'sig-1', changed: Date.now() - 500, fine: true }, DocCache.contentKey(bytes));
    a.noteFile({ id: '/corpus/y.txt', sig: 'sig-1', changed: Date.now() - 20, fine: true }, DocCache.contentKey(bytes));
    a.set(DocCache.key(bytes), analyzeSource('x.txt', bytes, settings));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.knownContentKey({ id: '/corpus/x.txt', sig: 'sig-1', changed: 0, fine: true })).toBe(DocCache.contentKey(bytes));
    expect(b.knownContentKey({ id: '/corpus/y.txt', sig: 'sig-1', changed: 0, fine: true })).toBeUndefined();
  });
  it('tells a file system with fine times by the fraction of a millisecond in the status-change time', () => {
    const f = path.join(tempDir(), 'a.txt');
    fs.writeFileSync(f, 'x');
    const st = fs.statSync(f);
    expect(fileStamp(f, st).fine).toBe(!Number.isInteger(st.ctimeMs));
    expect(fileStamp(f, { ...st, ctimeMs: 1_700_000_000_000 } as fs.Stats).fine).toBe(false); // FAT, ext3: whole seconds
    expect(fileStamp(f, { ...st, ctimeMs: 1_700_000_000_123.456 } as fs.Stats).fine).toBe(true);
  });
  it('remembers a file this run wrote when it is saved, if it is still that version and old enough by then', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cache.bin');
    const kept = path.join(dir, 'kept.txt');
    const edited = path.join(dir, 'edited.txt');
    fs.writeFileSync(kept, 'an article\n');
    fs.writeFileSync(edited, 'another article\n');
    const stampOf = (f: string) => fileStamp(f, fs.lstatSync(f));
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.noteWritten(stampOf(kept), 'render:kept');
    a.noteWritten(stampOf(edited), 'render:edited');
    // past the window in which a change could leave the signature as it was (2 s where times are whole seconds)
    await new Promise((resolve) => setTimeout(resolve, stampOf(kept).fine ? 150 : 2100));
    fs.writeFileSync(edited, 'changed by someone else\n');
    a.set(DocCache.key(Buffer.from(TEXT)), analyzeSource('x.txt', Buffer.from(TEXT), settings));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.knownContentKey(stampOf(kept))).toBe('render:kept');
    expect(b.knownContentKey(stampOf(edited))).toBeUndefined();
  });
  it('does not remember a file this run wrote just before the save (a change right after could keep its signature)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'cache.bin');
    const fresh = path.join(dir, 'fresh.txt');
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.set(DocCache.key(Buffer.from(TEXT)), analyzeSource('x.txt', Buffer.from(TEXT), settings));
    fs.writeFileSync(fresh, 'an article\n');
    a.noteWritten(fileStamp(fresh, fs.lstatSync(fresh)), 'render:fresh');
    a.save();
    expect(DocCache.open(file, '1.0.0', settings, () => {}).knownContentKey(fileStamp(fresh, fs.lstatSync(fresh)))).toBeUndefined();
  });
  it('the articles a run wrote are trusted by the next without being read; one edited since is written again', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cache.bin');
    const out = path.join(dir, 'out');
    const run = async () => {
      const cache = DocCache.open(file, '1.0.0', settings, () => {});
      const analysis = await analyzeCorpus([FIXTURES], { cache });
      try {
        await writeOutputs(analysis, { outDisplay: 'out', outAbs: out, cache });
      } finally {
        analysis.release();
      }
      return cache;
    };
    const first = await run();
    // saved a while after the write, as a large run's articles are: past the window in which a change could hide
    await new Promise((resolve) => setTimeout(resolve, fileStamp(out, fs.lstatSync(out)).fine ? 150 : 2100));
    first.save();
    const articles = fs.readdirSync(out).filter((f) => f !== 'manifest.json');
    expect(articles.length).toBeGreaterThan(1);
    const reopened = DocCache.open(file, '1.0.0', settings, () => {});
    for (const a of articles) expect(reopened.knownContentKey(fileStamp(path.join(out, a), fs.lstatSync(path.join(out, a))))).toMatch(/^render:/);
    const inodes = new Map(articles.map((a) => [a, fs.statSync(path.join(out, a)).ino]));
    const before = new Map(articles.map((a) => [a, fs.readFileSync(path.join(out, a), 'utf8')]));
    const edited = path.join(out, articles[0]);
    fs.writeFileSync(edited, before.get(articles[0])!.replace(/[a-z]/, 'X')); // same size, other bytes
    (await run()).save();
    for (const a of articles) expect(fs.readFileSync(path.join(out, a), 'utf8')).toBe(before.get(a));
    expect(articles.filter((a) => fs.statSync(path.join(out, a)).ino !== inodes.get(a))).toEqual([articles[0]]);
  });
  it('a salted key depends on the content key and the salt', () => {
    const k = DocCache.contentKey(Buffer.from(TEXT));
    expect(DocCache.saltedKey(k)).toBe(k);
    expect(DocCache.saltedKey(k, 'template\0a')).not.toBe(DocCache.saltedKey(k, 'template\0b'));
    expect(DocCache.key(Buffer.from(TEXT), 'template\0a')).toBe(DocCache.saltedKey(k, 'template\0a'));
  });
});

describe('analyzeAll with the cache', () => {
  const old = (id: string, sig: string) => ({ id, sig, changed: Date.now() - 60_000, fine: false });
  it('does not read a file whose signature is remembered, and reads one whose signature changed', async () => {
    const file = path.join(tempDir(), 'cache.bin');
    const texts = [TEXT, TEXT.replace('Monday', 'Friday'), TEXT.replace('140', '212')];
    const reads: number[] = [];
    const jobs = (sigs: string[]) =>
      texts.map((t, i) => ({
        path: `d${i}.txt`,
        stamp: old(`/corpus/d${i}.txt`, sigs[i]),
        load: async () => {
          reads.push(i);
          return Buffer.from(t);
        },
      }));
    const opts = (cache: DocCache) => ({ settings, templateLines: null, describeError: () => 'x', cache });
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    const first = await analyzeAll(jobs(['s0', 's1', 's2']), opts(a));
    a.save();
    expect(reads).toEqual([0, 1, 2]);
    reads.length = 0;
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    const second = await analyzeAll(jobs(['s0', 's1*', 's2']), opts(b));
    expect(reads).toEqual([1]);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    b.save(); // appends the new signature of d1
    reads.length = 0;
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(JSON.stringify(await analyzeAll(jobs(['s0', 's1*', 's2']), opts(c)))).toBe(JSON.stringify(first));
    expect(reads).toEqual([]);
  });
  it('keeps a named corpus-level state: the last one stored wins', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const bytes = Buffer.from(TEXT);
    const key = DocCache.key(bytes);
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    a.set(key, analyzeSource('x.txt', bytes, settings));
    a.setState('pairs', Buffer.from('first'));
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(b.state('pairs')!).toString()).toBe('first');
    expect(b.state('other')).toBeUndefined();
    b.get(key, 'x.txt');
    b.setState('pairs', Buffer.from('second'));
    const before = fs.readFileSync(file);
    b.save(); // the state the file ended with, replaced
    expect(fs.readFileSync(file).equals(before)).toBe(false);
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(c.state('pairs')!).toString()).toBe('second');
    // an unchanged state is not written again
    c.get(key, 'x.txt');
    c.setState('pairs', Buffer.from('second'));
    const size = fs.statSync(file).size;
    c.save();
    expect(fs.statSync(file).size).toBe(size);
    // a run that sets no state leaves the one stored
    const d = DocCache.open(file, '1.0.0', settings, () => {});
    d.save();
    const e = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(e.state('pairs')!).toString()).toBe('second');
  });
  it('stores a state given in pieces as their bytes one after another, checked as one record', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    const words = new Uint32Array([1, 2, 3]);
    const pieces = [Buffer.from('head:'), new Uint8Array(words.buffer), Buffer.alloc(0), Buffer.from(':tail')];
    a.setState('pairs', pieces);
    expect(Buffer.from(a.state('pairs')!).equals(Buffer.concat(pieces))).toBe(true);
    a.save();
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(b.state('pairs')!).equals(Buffer.concat(pieces))).toBe(true);
    // the same bytes in other pieces are the same state: not written again
    const size = fs.statSync(file).size;
    const mtime = fs.statSync(file).mtimeMs;
    b.setState('pairs', [Buffer.concat(pieces).subarray(0, 3), Buffer.concat(pieces).subarray(3)]);
    b.save();
    expect([fs.statSync(file).size, fs.statSync(file).mtimeMs]).toEqual([size, mtime]);
    // one byte more is another state
    b.setState('pairs', [...pieces, Buffer.from('!')]);
    b.save();
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(c.state('pairs')!).toString('latin1')).toBe(Buffer.concat([...pieces, Buffer.from('!')]).toString('latin1'));
    // a flipped byte in the stored state is caught by the record's checksum
    const raw = fs.readFileSync(file);
    const at = raw.lastIndexOf(Buffer.from(':tail!'));
    raw[at + 1] ^= 1;
    fs.writeFileSync(file, raw);
    const warnings: string[] = [];
    const d = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(d.state('pairs')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/checksum mismatch/);
  });
  it('lays every state out at a multiple of 8 in the file, appended or written anew, so its arrays are views', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const texts = Array.from({ length: 5 }, (_, i) => `${TEXT}A note of run ${i}${'!'.repeat(i)}.\n`);
    for (let run = 0; run < texts.length; run++) {
      const c = DocCache.open(file, '1.0.0', settings, () => {});
      for (let j = 0; j < run; j++) c.get(DocCache.key(Buffer.from(texts[j])), 'x.txt');
      c.set(DocCache.key(Buffer.from(texts[run])), analyzeSource('x.txt', Buffer.from(texts[run]), settings));
      // names of every length mod 8, and a file record of a length of its own each run
      for (let k = 0; k < 8; k++) c.setState('s'.repeat(k + 1), Buffer.from(`state ${k} of run ${run}`));
      c.noteFile({ id: `/corpus/${'d'.repeat(run)}/a.txt`, sig: `1:${run}`, changed: 0, fine: false }, 'k');
      c.save();
      const raw = fs.readFileSync(file);
      const d = DocCache.open(file, '1.0.0', settings, () => {});
      for (let k = 0; k < 8; k++) {
        const bytes = Buffer.from(`state ${k} of run ${run}`);
        const state = d.state('s'.repeat(k + 1))!;
        expect(Buffer.from(state).equals(bytes)).toBe(true);
        // where the state sits in the file: at a multiple of 8
        const at = raw.indexOf(bytes);
        expect(at % 8).toBe(0);
        expect(raw.indexOf(bytes, at + 1)).toBe(-1);
      }
    }
  });
  it('replaces the states the file ends with instead of piling them up, run after run, and keeps every entry', () => {
    const file = path.join(tempDir(), 'cache.bin');
    const big = (n: number) => Buffer.alloc(200_000, n);
    const texts = Array.from({ length: 6 }, (_, i) => `${TEXT}A note added in run ${'abcdef'[i]}.\n`);
    const sizes: number[] = [];
    for (let run = 0; run < texts.length; run++) {
      const c = DocCache.open(file, '1.0.0', settings, () => {});
      for (let j = 0; j < run; j++) expect(c.get(DocCache.key(Buffer.from(texts[j])), 'x.txt')).toBeDefined();
      expect(run > 0 ? Buffer.from(c.state('pairs')!).equals(big(run - 1)) : c.state('pairs')).toBe(run > 0 ? true : undefined);
      c.set(DocCache.key(Buffer.from(texts[run])), analyzeSource('x.txt', Buffer.from(texts[run]), settings));
      c.setState('pairs', big(run));
      c.save();
      sizes.push(fs.statSync(file).size);
    }
    // each run adds one entry (far smaller than the state), not another 200 KB state
    for (let i = 1; i < sizes.length; i++) expect(sizes[i] - sizes[i - 1]).toBeLessThan(50_000);
    expect(sizes[sizes.length - 1]).toBeLessThan(2 * 200_000);
    // a run that only adds an entry keeps the state, still once
    const d = DocCache.open(file, '1.0.0', settings, () => {});
    const extra = TEXT + 'One more line.\n';
    d.set(DocCache.key(Buffer.from(extra)), analyzeSource('x.txt', Buffer.from(extra), settings));
    d.save();
    const e = DocCache.open(file, '1.0.0', settings, () => {});
    expect(Buffer.from(e.state('pairs')!).equals(big(texts.length - 1))).toBe(true);
    expect(e.get(DocCache.key(Buffer.from(extra)), 'x.txt')).toBeDefined();
    expect(fs.statSync(file).size).toBeLessThan(2 * 200_000);
  });
  it('reads a deferred state only when it is asked for, by position, checked, and keeps it deferred run after run', () => {
    const file = path.join(tempDir(), 'cache.bin');
    // a state of doubles, as the cluster stage's is: its bytes come back aligned, for views of them
    const values = Float64Array.from({ length: 5000 }, (_, i) => i / 7);
    const deferredBytes = () => new Uint8Array(values.buffer);
    const key = savedWithStates(file, [
      ['eager', Buffer.from('small and always read'), false],
      ['later', deferredBytes(), true],
    ]);
    const b = DocCache.open(file, '1.0.0', settings, () => {});
    expect(b.hasState('later')).toBe(true);
    const state = b.state('later')!;
    expect(state.byteOffset % 8).toBe(0);
    expect(Array.from(new Float64Array(state.buffer, state.byteOffset, state.byteLength / 8))).toEqual(Array.from(values));
    expect(Buffer.from(b.state('eager')!).toString()).toBe('small and always read');
    // runs that keep it (another entry, another eager state) leave it deferred, once in the file
    const sizes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const c = DocCache.open(file, '1.0.0', settings, () => {});
      const text = `${TEXT}Run ${run}.\n`;
      c.set(DocCache.key(Buffer.from(text)), analyzeSource('x.txt', Buffer.from(text), settings));
      c.setState('eager', Buffer.from(`eager of run ${run}`));
      c.save();
      sizes.push(fs.statSync(file).size);
    }
    expect(sizes[2] - sizes[0]).toBeLessThan(values.byteLength);
    // a flipped byte in it is not seen until it is asked for: then it is not used, and the file is written anew
    const raw = fs.readFileSync(file);
    const at = raw.indexOf(Buffer.from(deferredBytes().subarray(800, 880)));
    expect(at).toBeGreaterThan(0);
    raw[at + 3] ^= 1;
    fs.writeFileSync(file, raw);
    const warnings: string[] = [];
    const d = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(d.get(key, 'x.txt')).toBeDefined();
    expect(Buffer.from(d.state('eager')!).toString()).toBe('eager of run 2');
    expect(warnings).toEqual([]);
    expect(d.hasState('later')).toBe(true);
    expect(d.state('later')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/the state "later" is damaged \(checksum mismatch at byte \d+\); it is not used/);
    expect(d.hasState('later')).toBe(false);
    d.save();
    const e = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(e.hasState('later')).toBe(false);
    expect(e.get(key, 'x.txt')).toBeDefined();
    expect(Buffer.from(e.state('eager')!).toString()).toBe('eager of run 2');
  });
  it('read in the background, leaves deferred states to be read when asked for; a file whose tail is cut is read whole', async () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedWithStates(file, [
      ['first', Buffer.alloc(100_003, 1), true],
      ['second', Buffer.alloc(70_001, 2), true],
      ['gone', Buffer.from('dropped'), true],
    ]);
    const b = DocCache.openInBackground(file, '1.0.0', settings, () => {});
    await b.ready;
    expect(Buffer.from(b.state('second')!).equals(Buffer.alloc(70_001, 2))).toBe(true);
    expect(Buffer.from(b.state('first')!).equals(Buffer.alloc(100_003, 1))).toBe(true);
    expect(b.state('missing')).toBeUndefined();
    // an empty state is dropped, not deferred; a state set without the flag is read with the file again
    b.setState('gone', new Uint8Array(0), { deferred: true });
    b.setState('second', Buffer.alloc(70_001, 3));
    b.save();
    const c = DocCache.open(file, '1.0.0', settings, () => {});
    expect(c.hasState('gone')).toBe(false);
    expect(Buffer.from(c.state('second')!).equals(Buffer.alloc(70_001, 3))).toBe(true);
    expect(Buffer.from(c.state('first')!).equals(Buffer.alloc(100_003, 1))).toBe(true);
    // a run stopped while writing the tail: the file is read whole, and what it holds is used
    fs.truncateSync(file, fs.statSync(file).size - 1);
    const warnings: string[] = [];
    const d = DocCache.openInBackground(file, '1.0.0', settings, (m) => warnings.push(m));
    await d.ready;
    expect(warnings.join('\n')).toMatch(/an incomplete record/);
    expect(d.get(key, 'x.txt')).toBeDefined();
    expect(Buffer.from(d.state('first')!).equals(Buffer.alloc(100_003, 1))).toBe(true);
    d.save();
    const e = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(Buffer.from(e.state('first')!).equals(Buffer.alloc(100_003, 1))).toBe(true);
  });
  it('read in the background, leaves a deferred state unread; one another run cut off since is gone, not damaged', async () => {
    const file = path.join(tempDir(), 'cache.bin');
    const key = savedWithStates(file, [['output', Buffer.alloc(50_000, 7), true]]);
    // a flipped byte in it: the background read does not see it (nothing is said), asking for it does
    const raw = fs.readFileSync(file);
    const at = raw.indexOf(Buffer.alloc(64, 7));
    raw[at + 100] ^= 1;
    fs.writeFileSync(file, raw);
    const warnings: string[] = [];
    const b = DocCache.openInBackground(file, '1.0.0', settings, (m) => warnings.push(m));
    await b.ready;
    expect(b.get(key, 'x.txt')).toBeDefined();
    expect(warnings).toEqual([]);
    expect(b.state('output')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/the state "output" is damaged/);
    // another run saves between this one's read and its asking: the state is gone, and nothing is said
    fs.rmSync(file);
    savedWithStates(file, [['output', Buffer.alloc(50_000, 8), true]]);
    const d = DocCache.open(file, '1.0.0', settings, (m) => warnings.push(m));
    const e = DocCache.open(file, '1.0.0', settings, () => {});
    e.get(key, 'x.txt');
    e.setState('eager', Buffer.from('a state of its own'));
    e.save(); // cuts the states the file ended with off, and writes them again after its own records
    expect(d.state('output')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(d.hasState('output')).toBe(false);
  });
  it('read in the background, holds what a plain open holds, once ready', async () => {
    const file = path.join(tempDir(), 'cache.bin');
    const a = DocCache.open(file, '1.0.0', settings, () => {});
    const key = DocCache.key(Buffer.from(TEXT));
    a.set(key, analyzeSource('x.txt', Buffer.from(TEXT), settings));
    a.setState('pairs', Buffer.from('kept'));
    a.save();
    const b = DocCache.openInBackground(file, '1.0.0', settings, () => {});
    expect(b.ownPath).toBe(file);
    await b.ready;
    expect(b.get(key, 'x.txt')).toEqual(DocCache.open(file, '1.0.0', settings, () => {}).get(key, 'x.txt'));
    expect(Buffer.from(b.state('pairs')!).toString()).toBe('kept');
    // a file that is not a cache is known at once, before it is read
    const foreign = path.join(tempDir(), 'article.txt');
    fs.writeFileSync(foreign, TEXT);
    const warnings: string[] = [];
    const f = DocCache.openInBackground(foreign, '1.0.0', settings, (m) => warnings.push(m));
    expect(f.ownPath).toBeUndefined();
    expect(warnings[0]).toMatch(/not a cache file of this tool/);
  });
});

describe('the cluster passes\' memos in the cache', () => {
  it('a second pass over many documents keeps a memo of its own, one over few updates the first pass\'s; both give the uncached result', async () => {
    const dir = tempDir();
    // @ts-expect-error: a plain JavaScript module of the benchmarks
    const { writeCorpus } = await import('../../bench/scale/generate.mjs');
    const { docsDir } = writeCorpus({ root: path.join(dir, 'gen'), size: 200, seed: 11 }) as { docsDir: string };
    const files = fs.readdirSync(docsDir, { recursive: true }).map(String).filter((f) => f.endsWith('.txt')).sort();
    const footer = '\nQuillmere Ledger | Harbour Works Edition | Recycled Paper\n';
    const file = path.join(dir, 'cache.bin');
    const run = async () => {
      const cache = DocCache.open(file, '1.0.0', settings, () => {});
      const warm = await analyzeCorpus([docsDir], { cache });
      const fresh = await analyzeCorpus([docsDir]);
      try {
        expect(warm.report).toEqual(fresh.report);
        cache.save();
        // with a second pass, the first pass's groups are kept for their members alone
        const first = Buffer.from(cache.state('cluster-groups')!).toString('utf8');
        const edges = (JSON.parse(first.slice(first.indexOf('\n') + 1)) as { edges: unknown[] }[]).reduce((n, g) => n + g.edges.length, 0);
        expect(edges === 0).toBe(warm.stats.recleaned > 0);
        return { recleaned: warm.stats.recleaned, own: cache.state('cluster-pairs-template')?.byteLength ?? 0 };
      } finally {
        warm.release();
        fresh.release();
      }
    };
    // three articles of a corpus of 200 under one site's footer: the first pass's state serves the second
    for (const f of files.slice(0, 3 * 60).filter((_, i) => i % 60 === 0)) fs.appendFileSync(path.join(docsDir, f), footer);
    expect(await run()).toEqual({ recleaned: 3, own: 0 });
    fs.appendFileSync(path.join(docsDir, files[7]), '\nA correction was added after readers wrote in.\n');
    expect(await run()).toEqual({ recleaned: 3, own: 0 });
    // under ten articles: the second pass keeps a memo of its own, which the next run starts from
    for (const f of files.filter((_, i) => i % 20 === 10)) fs.appendFileSync(path.join(docsDir, f), footer);
    const many = await run();
    expect(many.recleaned).toBe(13);
    expect(many.own).toBeGreaterThan(0);
    fs.appendFileSync(path.join(docsDir, files[9]), '\nThis story was updated with comments from the council.\n');
    expect((await run()).own).toBeGreaterThan(0);
    // the footer gone: no second pass, and its memo let go
    for (const f of files) fs.writeFileSync(path.join(docsDir, f), fs.readFileSync(path.join(docsDir, f), 'utf8').replace(footer, ''));
    expect(await run()).toEqual({ recleaned: 0, own: 0 });
  });
});
