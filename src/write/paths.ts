// Where outputs go, and the guarantee that they never land on or inside an input.
import fs from 'node:fs';
import path from 'node:path';

/** Resolve symlinks as far as the path exists, then append the rest (the output folder may not exist yet). */
export function realpathLoose(p: string): string {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...missing.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      missing.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Whether `child` is `parent` or lies inside it (both already resolved). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Why writing to `outDir` would touch an input, or null when it is safe.
 * Refused: the output folder is an input folder or inside one, or an input file lies inside the output folder.
 */
export function outputConflict(outDir: string, inputFolders: readonly string[], inputFiles: readonly string[]): string | null {
  const out = realpathLoose(outDir);
  for (const folder of inputFolders) {
    const real = realpathLoose(folder);
    if (isInside(out, real)) {
      return out === real
        ? `the output folder ${outDir} is an input folder`
        : `the output folder ${outDir} is inside the input folder ${folder}`;
    }
  }
  for (const file of inputFiles) {
    if (isInside(realpathLoose(file), out)) return `the output folder ${outDir} holds the input file ${file}`;
  }
  return null;
}

/**
 * A file name from a title: its lowercase words (letters and digits of any script) joined by hyphens, at most 80
 * characters. Latin letters lose their accents (café → cafe), as URLs' slugs do; other scripts are kept as they are
 * (a Greek or Japanese headline names its file, instead of "article").
 */
export function slugify(title: string): string {
  // A slug keeps at most 80 characters: a 10 MB <title> is not normalised whole.
  const head = title.slice(0, 1000);
  const ascii = ASCII.test(head);
  const slug = ascii ? asciiSlugWords(head) : slugWords(head);
  if (!slug) return 'article';
  // an ASCII slug is one byte a character: short enough as it is (most titles), without counting code points
  if (ascii && slug.length <= 80) return slug;
  // at most 80 characters and 200 UTF-8 bytes: a file name may have 255 bytes, with room for "-2.txt" and the
  // temporary name's suffix (80 Chinese characters are 240 bytes)
  const chars = Array.from(slug); // code points: a cut never splits a surrogate pair
  let n = 0;
  let bytes = 0;
  while (n < chars.length && n < 80 && bytes + Buffer.byteLength(chars[n]) <= 200) bytes += Buffer.byteLength(chars[n++]);
  if (n === chars.length) return slug;
  // cut at the last hyphen, one right after the kept part included (a word boundary there too)
  const cut = chars.slice(0, n + 1).join('');
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > cut.length / 2 ? cut.slice(0, lastDash) : chars.slice(0, n).join('')).replace(/-+$/g, '');
}

const ASCII = /^[\x00-\x7f]*$/;

/** A title's lowercase words joined by hyphens, accents of Latin letters dropped (any script). */
export function slugWords(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^[-\p{M}]+|-+$/gu, '');
}

/**
 * slugWords for an ASCII title (most of them), the same string without Unicode normalisation or property classes:
 * ASCII is its own normal form and has no marks, and its letters and digits are a-z, A-Z, 0-9. One pass over the
 * characters into a reused buffer: four regular-expression passes over 6,852 titles took 31 ms of a warm run, this 8.
 */
export function asciiSlugWords(title: string): string {
  const out = title.length <= slugBuffer.length ? slugBuffer : Buffer.allocUnsafe(title.length);
  let n = 0;
  // a run of other characters between two words is one hyphen; none before the first word or after the last
  let gap = false;
  for (let i = 0; i < title.length; i++) {
    let c = title.charCodeAt(i);
    if (c === 0x27 || c === 0x60) continue; // ' and ` are dropped, not a gap: "mayor's" → "mayors"
    if (c >= 0x41 && c <= 0x5a) c += 0x20; // A-Z → a-z
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (gap && n > 0) out[n++] = 0x2d;
      gap = false;
      out[n++] = c;
    } else gap = true;
  }
  return out.toString('latin1', 0, n);
}

/** slugify reads at most 1,000 characters of a title. */
const slugBuffer = Buffer.allocUnsafe(1024);

/** Distinct file names for a list of slugs, in order: the second "x" becomes "x-2". */
export function uniqueNames(slugs: readonly string[], ext: string): string[] {
  const used = new Set<string>();
  return slugs.map((slug) => {
    let name = `${slug}${ext}`;
    for (let n = 2; used.has(name); n++) name = `${slug}-${n}${ext}`;
    used.add(name);
    return name;
  });
}
