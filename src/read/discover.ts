// Arguments → the list of input files. Files, folders (walked), globs and `-` for stdin.
// Skips what is not corpus (hidden files, node_modules, our own manifest.json, .cleanignore matches)
// and turns every unusable path into one error instead of stopping.
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import ignore, { type Ignore } from 'ignore';
import type { InputError } from '../types.js';
import { describeFsError, megabytes } from './messages.js';
import { MANIFEST_NAME, writtenFiles } from '../write/manifest.js';

export { MANIFEST_NAME };

export interface InputEntry {
  /** The path as the user gave it, or the folder they gave joined with the relative path found under it. */
  path: string;
  /** Absolute path, or null for stdin. */
  abs: string | null;
  /** Where this file sits relative to the argument that found it (used by --all). */
  relative: string;
  size: number;
  /** Device and inode ("dev:ino"): two hard links to one file are the same input. */
  fileId?: string;
  /** This version of the file, from the stat call that found it (the cache reads an unchanged file only once). */
  stamp?: FileStamp;
  /**
   * An article `clean` wrote: listed in the manifest.json of its folder or a folder above. Such a file starts with
   * its title line, whatever that line looks like (PRODUCT.md: a title line, a blank line, the paragraphs).
   */
  written?: boolean;
}

/** What identifies one version of a file without reading it: its stat signature. */
export interface FileStamp {
  /** Absolute path. */
  id: string;
  /** Device, inode, size, modification and status-change times. */
  sig: string;
  /** The later of the modification and status-change times (ms since the epoch). */
  changed: number;
  /**
   * Whether the file system keeps its times finer than a millisecond (ext4, xfs, btrfs, APFS, NTFS): the status-change
   * time, which the kernel always sets, has a fraction of a millisecond. Its granularity is then the clock tick, not
   * FAT's 2 s.
   */
  fine: boolean;
}

/** The stamp of a file from a stat call. */
export function fileStamp(abs: string, st: fs.Stats): FileStamp {
  return { id: abs, sig: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, changed: Math.max(st.mtimeMs, st.ctimeMs), fine: !Number.isInteger(st.ctimeMs) };
}

export interface DiscoverOptions {
  cwd: string;
  /** Files larger than this are refused with an error. */
  maxBytes: number;
  /** Extra gitignore-style patterns (from config), relative to ignoreBase. */
  ignorePatterns?: string[];
  /** The folder ignorePatterns are relative to (the config file's); default cwd. */
  ignoreBase?: string;
  /** A file a walk never takes as an input: the cache file, when it lies in an input folder. */
  skipFile?: string;
}

export interface Discovery {
  entries: InputEntry[];
  errors: InputError[];
}

const SKIPPED_DIRS = new Set(['node_modules']);

/**
 * Data and code files that sit beside scraped articles (scraper metadata sidecars, configs) are not
 * articles: a folder walk passes over them. A file named on the command line is always read.
 */
const NON_ARTICLE_EXT = /\.(json|jsonl|ndjson|csv|tsv|ya?ml|toml|ini|xml|js|mjs|cjs|ts|css|map|lock|log)$/i;

function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIRS.has(name) || name === MANIFEST_NAME;
}

/** Forward slashes in everything we show, so reports look the same on every OS. */
function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function joinDisplay(base: string, rel: string): string {
  if (base === '.' || base === './') return rel;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** Whether gitignore rules relative to `base` match the path `abs` (never when it lies outside `base`). */
function matches(rules: Ignore | null, base: string, abs: string, isDir: boolean): boolean {
  if (!rules) return false;
  const rel = toPosix(path.relative(base, abs));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return rules.ignores(isDir ? `${rel}/` : rel);
}

function loadIgnoreFile(dir: string): Ignore | null {
  try {
    const text = fs.readFileSync(path.join(dir, '.cleanignore'), 'utf8');
    return ignore().add(text);
  } catch {
    return null;
  }
}


/** Characters that make an argument a glob pattern. */
export const GLOB_CHARS = /[*?[\]{}!]/;

class Walker {
  readonly entries: InputEntry[] = [];
  readonly errors: InputError[] = [];
  private readonly cwdIgnore: Ignore | null;
  private readonly configIgnore: Ignore | null;

  constructor(private readonly opts: DiscoverOptions) {
    this.cwdIgnore = loadIgnoreFile(opts.cwd);
    this.configIgnore = opts.ignorePatterns?.length ? ignore().add(opts.ignorePatterns) : null;
    const skipAbs = opts.skipFile ? path.resolve(opts.cwd, opts.skipFile) : null;
    this.skip = skipAbs ? { abs: skipAbs, st: fs.statSync(skipAbs, { throwIfNoEntry: false }) ?? null } : null;
  }

  /** opts.skipFile resolved, with its stat when it exists (the same file may be reached through another path). */
  private readonly skip: { abs: string; st: fs.Stats | null } | null;

  /** Whether a file found by a walk is opts.skipFile. */
  private isSkippedFile(abs: string, st: fs.Stats): boolean {
    const skip = this.skip;
    if (!skip) return false;
    return abs === skip.abs || (skip.st !== null && st.ino !== 0 && st.ino === skip.st.ino && st.dev === skip.st.dev);
  }

  /**
   * gitignore matching by the working folder's .cleanignore (paths relative to it) and the config's patterns (relative
   * to the config file's folder); a path outside such a folder is not matched by its patterns, as in git.
   */
  private ignoredByCwd(abs: string, isDir: boolean): boolean {
    return matches(this.cwdIgnore, this.opts.cwd, abs, isDir) || matches(this.configIgnore, this.opts.ignoreBase ?? this.opts.cwd, abs, isDir);
  }

  addArgument(arg: string): void {
    if (arg === '-') {
      this.entries.push({ path: '-', abs: null, relative: 'stdin', size: 0 });
      return;
    }
    const abs = path.resolve(this.opts.cwd, arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' && GLOB_CHARS.test(arg)) return this.addGlob(arg);
      if (err.code === 'ENOENT' && isBrokenLink(abs)) {
        this.errors.push({ path: arg, message: 'broken symlink' });
        return;
      }
      this.errors.push({ path: arg, message: describeFsError(err) });
      return;
    }
    if (st.isDirectory()) this.walk(arg, abs, (display) => !NON_ARTICLE_EXT.test(display));
    else this.addFile(arg, abs, path.basename(abs), st);
  }

  private addFile(display: string, abs: string, relative: string, st: fs.Stats): void {
    if (!st.isFile()) {
      // FIFOs, sockets and devices: never opened, so a FIFO cannot block the run.
      this.errors.push({ path: display, message: 'not a regular file' });
      return;
    }
    if (st.size > this.opts.maxBytes) {
      this.errors.push({ path: display, message: `file too large (${megabytes(st.size)}; the limit is ${megabytes(this.opts.maxBytes)})` });
      return;
    }
    this.entries.push({ path: display, abs, relative: toPosix(relative), size: st.size, fileId: st.ino ? `${st.dev}:${st.ino}` : undefined, stamp: fileStamp(abs, st) });
  }

  private addGlob(pattern: string): void {
    const posix = toPosix(pattern);
    const parts = posix.split('/');
    const baseParts: string[] = [];
    for (const part of parts) {
      if (GLOB_CHARS.test(part)) break;
      baseParts.push(part);
    }
    const base = baseParts.length ? baseParts.join('/') : '.';
    const isMatch = picomatch(posix, { dot: false });
    const before = this.entries.length;
    const baseAbs = path.resolve(this.opts.cwd, base);
    try {
      if (!fs.statSync(baseAbs).isDirectory()) throw new Error('not a folder');
    } catch {
      this.errors.push({ path: pattern, message: 'no files match this pattern' });
      return;
    }
    this.walk(base, baseAbs, (display) => isMatch(display));
    if (this.entries.length === before) this.errors.push({ path: pattern, message: 'no files match this pattern' });
  }

  /** Iterative walk in sorted order; symlinked folders are followed once (a loop is reported, not followed). */
  private walk(displayRoot: string, absRoot: string, accept: (display: string) => boolean): void {
    const folderIgnore = loadIgnoreFile(absRoot);
    const seenDirs = new Set<string>();
    const stack: { abs: string; rel: string }[] = [{ abs: absRoot, rel: '' }];
    while (stack.length) {
      const dir = stack.pop()!;
      let real: string;
      try {
        real = fs.realpathSync(dir.abs);
      } catch (e) {
        this.errors.push({ path: joinDisplay(displayRoot, dir.rel) || displayRoot, message: describeFsError(e) });
        continue;
      }
      if (seenDirs.has(real)) {
        this.errors.push({ path: joinDisplay(displayRoot, dir.rel), message: 'symlink loop (folder already visited)' });
        continue;
      }
      seenDirs.add(real);
      let names: string[];
      try {
        names = fs.readdirSync(dir.abs);
      } catch (e) {
        this.errors.push({ path: dir.rel ? joinDisplay(displayRoot, dir.rel) : displayRoot, message: describeFsError(e) });
        continue;
      }
      names.sort();
      const subdirs: { abs: string; rel: string }[] = [];
      // dir.abs is absolute and normalised, a name from readdir a plain one: joined as strings (path.join
      // normalises each of a corpus's paths again)
      const prefix = dir.abs.endsWith(path.sep) ? dir.abs : dir.abs + path.sep;
      for (const name of names) {
        if (isSkippedName(name)) continue;
        const abs = prefix + name;
        const rel = dir.rel ? `${dir.rel}/${name}` : name;
        const display = joinDisplay(displayRoot, rel);
        let st: fs.Stats;
        try {
          st = fs.statSync(abs);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          const message = err.code === 'ENOENT' && isBrokenLink(abs) ? 'broken symlink' : describeFsError(err);
          this.errors.push({ path: display, message });
          continue;
        }
        const isDir = st.isDirectory();
        if (folderIgnore?.ignores(isDir ? `${rel}/` : rel) || this.ignoredByCwd(abs, isDir)) continue;
        if (isDir) subdirs.push({ abs, rel });
        else if (accept(display) && !this.isSkippedFile(abs, st)) this.addFile(display, abs, rel, st);
      }
      // Reverse so the stack pops folders in sorted order.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }
}

function isBrokenLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Expand the arguments into input files, sorted by display path and without repeats
 * (the same file reached twice, by two arguments, a symlink or a hard link, is read once).
 */
export function discoverInputs(args: readonly string[], opts: DiscoverOptions): Discovery {
  const walker = new Walker(opts);
  for (const arg of args) walker.addArgument(arg);
  const byReal = new Map<string, InputEntry>();
  const out: InputEntry[] = [];
  const sorted = [...walker.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) {
    if (entry.abs === null) {
      if (!byReal.has('-')) {
        byReal.set('-', entry);
        out.push(entry);
      }
      continue;
    }
    let key: string;
    if (entry.fileId) key = entry.fileId;
    else {
      try {
        key = fs.realpathSync(entry.abs);
      } catch {
        key = entry.abs;
      }
    }
    if (byReal.has(key)) continue;
    byReal.set(key, entry);
    out.push(entry);
  }
  markWritten(out);
  const errors = dedupeErrors(walker.errors);
  return { entries: out, errors };
}

/**
 * Marks the entries that a run of `clean` wrote, by the manifests in their folders and the folders above them
 * (with --all an article sits below the manifest, at the relative path the manifest lists). Each folder's
 * manifest is read once.
 */
function markWritten(entries: InputEntry[]): void {
  // Per folder: the folders at or above it that hold this tool's manifest, with the files each lists.
  const above = new Map<string, { dir: string; files: Set<string> }[]>();
  const manifestsAbove = (dir: string): { dir: string; files: Set<string> }[] => {
    let list = above.get(dir);
    if (list) return list;
    const up = path.dirname(dir);
    const files = writtenFiles(dir);
    list = [...(files ? [{ dir, files }] : []), ...(up === dir ? [] : manifestsAbove(up))];
    above.set(dir, list);
    return list;
  };
  for (const entry of entries) {
    if (entry.abs === null) continue;
    for (const m of manifestsAbove(path.dirname(entry.abs))) {
      if (m.files.has(toPosix(path.relative(m.dir, entry.abs)))) {
        entry.written = true;
        break;
      }
    }
  }
}

function dedupeErrors(errors: InputError[]): InputError[] {
  const seen = new Set<string>();
  const out: InputError[] = [];
  for (const e of errors) {
    const key = `${e.path}\0${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
