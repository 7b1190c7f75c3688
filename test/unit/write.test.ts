import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asciiSlugWords, outputConflict, slugify, slugWords, uniqueNames } from '../../src/write/paths.js';
import { writeFileAtomic, writeFilesAtomic } from '../../src/write/atomic.js';
import { fallbackTitle } from '../../src/write/title.js';
import { prefetchManifest, writtenFiles } from '../../src/write/manifest.js';
import { tempDir } from '../helpers/cli.js';
import { seeded } from '../helpers/seeded.js';

describe('slugify', () => {
  it('makes lowercase file names from titles: Latin without accents, other scripts as they are', () => {
    expect(slugify('Ferry Service Resumes: “Finally”, Says Mayor')).toBe('ferry-service-resumes-finally-says-mayor');
    expect(slugify('Café Owner’s U.S. Trip')).toBe('cafe-owners-u-s-trip');
    expect(slugify('¿¡!?')).toBe('article');
    expect(slugify('Øresund Bridge İstanbul Straße')).toBe('øresund-bridge-istanbul-straße');
    expect(slugify('Σεισμός 5,8 βαθμών στην Κρήτη')).toBe('σεισμός-5-8-βαθμών-στην-κρήτη');
    expect(slugify('東京で大雨、がけ崩れ')).toBe('東京で大雨-がけ崩れ');
    expect(slugify('मुंबई में भारी बारिश')).toBe('मुंबई-में-भारी-बारिश');
    // a file name may have 255 bytes: at most 200 for the slug, whole characters only
    const long = slugify('𠀋'.repeat(100));
    expect(Array.from(long)).toHaveLength(50);
    expect(Buffer.byteLength(long)).toBe(200);
    expect(long.isWellFormed?.() ?? true).toBe(true);
    expect(Buffer.byteLength(slugify('东京暴雨导致多处山体滑坡'.repeat(10)))).toBeLessThanOrEqual(200);
  });
  it('cuts long titles at a word boundary', () => {
    const s = slugify('word '.repeat(40));
    expect(s.length).toBeLessThanOrEqual(80);
    expect(s.endsWith('-')).toBe(false);
    expect(s.endsWith('word')).toBe(true);
  });
  it('gives an ASCII title the slug the Unicode path gives it', () => {
    // every ASCII character, in random titles (a fixed seed), and the edges: apostrophes, hyphens, controls, digits
    const random = seeded(12345);
    const rand = (k: number) => random.word() % k;
    const titles = ["Mayor's 'Plan' -- `Go`", '--A--', '\t\u0000Tab\u007fDel\n', '2024: 5,8% UP!', '', '-', "'''"];
    for (let i = 0; i < 2000; i++) titles.push(Array.from({ length: rand(120) }, () => String.fromCharCode(rand(128))).join(''));
    for (const t of titles) expect(asciiSlugWords(t), JSON.stringify(t)).toBe(slugWords(t));
    expect(slugify("Mayor's Plan: 2024 -- Go!")).toBe('mayors-plan-2024-go');
  });
  it('numbers repeated names', () => {
    expect(uniqueNames(['a', 'b', 'a', 'a'], '.txt')).toEqual(['a.txt', 'b.txt', 'a-2.txt', 'a-3.txt']);
  });
});

describe('outputConflict', () => {
  it('refuses an output folder equal to or inside an input folder, or holding an input file', () => {
    const dir = tempDir();
    expect(outputConflict(dir, [dir], [])).toMatch(/is an input folder/);
    expect(outputConflict(path.join(dir, 'x', 'y'), [dir], [])).toMatch(/inside the input folder/);
    expect(outputConflict(dir, [], [path.join(dir, 'a.txt')])).toMatch(/holds the input file/);
    expect(outputConflict(path.join(dir, 'out'), [path.join(dir, 'in')], [])).toBeNull();
  });
  it('sees through symlinks', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'in'));
    fs.symlinkSync(path.join(dir, 'in'), path.join(dir, 'alias'));
    expect(outputConflict(path.join(dir, 'alias', 'out'), [path.join(dir, 'in')], [])).toMatch(/inside/);
  });
});

describe('writeFileAtomic', () => {
  it('writes through a temporary file and leaves none behind', () => {
    const dir = tempDir();
    writeFileAtomic(path.join(dir, 'sub', 'a.txt'), 'hello');
    expect(fs.readFileSync(path.join(dir, 'sub', 'a.txt'), 'utf8')).toBe('hello');
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['a.txt']);
  });
  it('leaves no partial file when the write fails', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'target.txt')); // renaming a file over a folder fails
    expect(() => writeFileAtomic(path.join(dir, 'target.txt'), 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['target.txt']);
  });
});

describe('fallbackTitle', () => {
  it('uses the first sentence, at most twelve words', () => {
    expect(fallbackTitle({ paragraphs: ['The pier reopened on Tuesday. Crowds came.'] })).toBe('The pier reopened on Tuesday');
    expect(fallbackTitle({ paragraphs: ['one two three four five six seven eight nine ten eleven twelve thirteen.'] })).toBe('one two three four five six seven eight nine ten eleven twelve…');
    expect(fallbackTitle({ paragraphs: [] })).toBe('Untitled');
  });
});

describe('writeFilesAtomic with content made in pieces (the manifest)', () => {
  const pieces = (text: string) => () => (function* () {
    for (let i = 0; i < text.length; i += 5000) yield text.slice(i, i + 5000);
  })();
  const big = Array.from({ length: 4000 }, (_, i) => `line ${i}`).join('\n');
  it('leaves a target that holds the same bytes as it is, without a temporary file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'm.json');
    fs.writeFileSync(target, big);
    const ino = fs.statSync(target).ino;
    await writeFilesAtomic([{ target, data: pieces(big) }], { skipUnchanged: true });
    expect(fs.statSync(target).ino).toBe(ino);
    expect(fs.readdirSync(dir)).toEqual(['m.json']);
  });
  it('writes content that differs late, is shorter (a prefix of the old) or is longer, exactly', async () => {
    for (const next of [big.slice(0, 30000) + 'X' + big.slice(30001), big.slice(0, 12345), big + '\nmore']) {
      const dir = tempDir();
      const target = path.join(dir, 'm.json');
      fs.writeFileSync(target, big);
      await writeFilesAtomic([{ target, data: pieces(next) }], { skipUnchanged: true });
      expect(fs.readFileSync(target, 'utf8')).toBe(next);
      expect(fs.readdirSync(dir)).toEqual(['m.json']);
    }
  });
  it('takes pieces that are bytes as they are, between pieces of text, written or compared alike', async () => {
    const mixed = (text: string) => () => (function* () {
      for (let i = 0; i < text.length; i += 5000) yield i % 10000 === 0 ? text.slice(i, i + 5000) : Buffer.from(text.slice(i, i + 5000));
    })();
    const dir = tempDir();
    const target = path.join(dir, 'm.json');
    await writeFilesAtomic([{ target, data: mixed(big) }], { skipUnchanged: true });
    expect(fs.readFileSync(target, 'utf8')).toBe(big);
    const ino = fs.statSync(target).ino;
    await writeFilesAtomic([{ target, data: mixed(big) }], { skipUnchanged: true });
    expect(fs.statSync(target).ino).toBe(ino);
    const next = big.slice(0, 22222) + 'Z' + big.slice(22223);
    await writeFilesAtomic([{ target, data: mixed(next) }], { skipUnchanged: true });
    expect(fs.readFileSync(target, 'utf8')).toBe(next);
    expect(fs.readdirSync(dir)).toEqual(['m.json']);
  });
  it('compares with the bytes the caller read while the target is still that version, and reads it again once it changed', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'm.json');
    fs.writeFileSync(target, big);
    const stat = fs.statSync(target);
    // the caller's bytes stand for the file as long as its stat is the one they were read at: not read twice
    const claimed = Buffer.from(big + '\nas the caller read it');
    await writeFilesAtomic([{ target, data: pieces(big + '\nas the caller read it'), read: { bytes: claimed, stat } }], { skipUnchanged: true });
    expect(fs.statSync(target).ino).toBe(stat.ino);
    expect(fs.readFileSync(target, 'utf8')).toBe(big);
    // changed since (another size): the file itself is compared, and the new content written
    fs.appendFileSync(target, '\nedited');
    await writeFilesAtomic([{ target, data: pieces(big + '\nas the caller read it'), read: { bytes: claimed, stat } }], { skipUnchanged: true });
    expect(fs.readFileSync(target, 'utf8')).toBe(big + '\nas the caller read it');
    expect(fs.readdirSync(dir)).toEqual(['m.json']);
  });
});

describe('writeFilesAtomic with known files (the cache remembers outputs)', () => {
  const setup = () => {
    const dir = tempDir();
    const target = path.join(dir, 'a.txt');
    fs.writeFileSync(target, 'old text\n');
    return { dir, target };
  };
  it('tells the memory of each target it wrote under a key, once in place, and of no other', async () => {
    const { dir, target } = setup();
    const same = path.join(dir, 'same.txt');
    fs.writeFileSync(same, 'same text\n');
    const wrote: string[] = [];
    const known = { key: () => 'k', known: () => undefined, saw: () => {}, wrote: (t: string, key: string) => void wrote.push(`${path.basename(t)} ${key}:${fs.readFileSync(t, 'utf8').trim()}`) };
    const files = [
      { target, data: 'new text\n', key: 'render:a' },
      { target: same, data: 'same text\n', key: 'render:same' }, // holds these bytes already: not written
      { target: path.join(dir, 'nokey.txt'), data: 'text\n' },
    ];
    await writeFilesAtomic(files, { skipUnchanged: true, known });
    expect(wrote).toEqual(['a.txt render:a:new text']);
  });
  it('leaves a target the memory says holds the bytes, without reading it', async () => {
    const { target } = setup();
    const known = { key: () => 'k', known: () => 'k', saw: () => {} };
    await writeFilesAtomic([{ target, data: 'new text\n' }], { skipUnchanged: true, known });
    // trusted: the stat signature is what the memory keeps, and it is the caller's to keep it right
    expect(fs.readFileSync(target, 'utf8')).toBe('old text\n');
  });
  it('reads and compares a target the memory does not know, and tells it what it found', async () => {
    const { target } = setup();
    const saw: string[] = [];
    const known = { key: () => 'k', known: () => undefined, saw: (t: string) => void saw.push(t) };
    const ino = fs.statSync(target).ino;
    await writeFilesAtomic([{ target, data: 'old text\n' }], { skipUnchanged: true, known });
    expect(saw).toEqual([target]);
    expect(fs.statSync(target).ino).toBe(ino); // left in place
    await writeFilesAtomic([{ target, data: 'new text\n' }], { skipUnchanged: true, known });
    expect(fs.readFileSync(target, 'utf8')).toBe('new text\n');
    expect(saw).toEqual([target]); // a rewritten file is not remembered until a later run sees it
  });
  it('with a key given for the bytes: a target remembered under it is left alone without making them', async () => {
    const { target } = setup();
    const known = { key: () => 'hash', known: () => 'render:a', saw: () => {} };
    const data = () => {
      throw new Error('made');
    };
    await writeFilesAtomic([{ target, data, key: 'render:a' }], { skipUnchanged: true, known });
    expect(fs.readFileSync(target, 'utf8')).toBe('old text\n');
  });
  it('with a key given: a target found to hold the bytes is remembered under it; another key makes and writes them', async () => {
    const { target } = setup();
    const saw: string[] = [];
    const known = { key: () => 'hash', known: () => 'render:old', saw: (_t: string, _st: fs.Stats, k: string) => void saw.push(k) };
    await writeFilesAtomic([{ target, data: () => 'old text\n', key: 'render:a' }], { skipUnchanged: true, known });
    expect(saw).toEqual(['render:a']);
    await writeFilesAtomic([{ target, data: () => 'new text\n', key: 'render:b' }], { skipUnchanged: true, known });
    expect(fs.readFileSync(target, 'utf8')).toBe('new text\n');
  });
});

describe('the manifest read ahead (prefetchManifest)', () => {
  const manifest = (files: string[]) => `${JSON.stringify({ version: 1, generator: 'article-cleaner', summary: {}, articles: [], errors: [], files }, null, 2)}\n`;
  it('gives the bytes of manifest.json as they are, which writtenFiles then takes instead of reading the file again', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), manifest(['a.txt', 'manifest.json']));
    const ahead = await prefetchManifest(dir)!;
    expect(ahead.bytes!.equals(fs.readFileSync(path.join(dir, 'manifest.json')))).toBe(true);
    let seen: Buffer | undefined;
    expect([...writtenFiles(dir, undefined, (bytes) => (seen = bytes), ahead)!].sort()).toEqual(['a.txt', 'manifest.json']);
    expect(seen).toBe(ahead.bytes); // the very buffer read ahead
  });
  it('is not taken for a manifest changed since it was read, and starts nothing where there is no regular file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'manifest.json');
    fs.writeFileSync(file, manifest(['a.txt', 'manifest.json']));
    const ahead = await prefetchManifest(dir)!;
    // replaced (another inode, another size) after it was read ahead
    fs.writeFileSync(`${file}.new`, manifest(['a.txt', 'b.txt', 'manifest.json']));
    fs.renameSync(`${file}.new`, file);
    let seen: Buffer | undefined;
    expect([...writtenFiles(dir, undefined, (bytes) => (seen = bytes), ahead)!].sort()).toEqual(['a.txt', 'b.txt', 'manifest.json']);
    expect(seen!.equals(fs.readFileSync(file))).toBe(true);
    expect(prefetchManifest(tempDir())).toBeNull();
    const folder = tempDir();
    fs.mkdirSync(path.join(folder, 'manifest.json'));
    expect(prefetchManifest(folder)).toBeNull();
    // one too large to hold through a whole run is read by the write stage as before
    expect(prefetchManifest(dir, fs.statSync(file).size - 1)).toBeNull();
    const fits = prefetchManifest(dir, fs.statSync(file).size);
    expect((await fits!).bytes!.length).toBe(fs.statSync(file).size);
  });
});
