// Atomic file writes: write a temporary file beside the target, then rename over it, so a reader
// (or a crash, or Ctrl-C) never sees half a file. Temporary files still open are removed on exit.
import fs from 'node:fs';
import path from 'node:path';
import { batched } from '../json-chunks.js';

const pending = new Set<string>();
let counter = 0;

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter++}.tmp`);
}

function removeQuietly(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    /* nothing more to do: the original error is what matters */
  }
  pending.delete(tmp);
}

/** One file, synchronously (the cache file): temporary file, then rename. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  pending.add(tmp);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
    pending.delete(tmp);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
}

export interface AtomicWriteOptions {
  /** Runs when every temporary file is written, before the first rename (a test hook for interrupts). */
  beforeRename?: () => Promise<void>;
  /** Leave a target alone when it already holds exactly these bytes (a re-run over an unchanged corpus). */
  skipUnchanged?: boolean;
}

/** A file's content, or a function that makes it when its turn comes (pieces of text for a large file). */
export type FileData = string | Uint8Array | (() => string | Uint8Array | Iterable<string>);

/**
 * Whether the file at `abs` holds exactly these bytes (a missing or unreadable file does not). Content made in
 * pieces is compared piece by piece; the caller makes it again when it must be written.
 */
function sameContent(abs: string, data: string | Uint8Array | Iterable<string>): boolean {
  const whole = typeof data === 'string' || data instanceof Uint8Array;
  let existing: Buffer;
  try {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st?.isFile()) return false;
    if (whole && st.size !== (typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength)) return false;
    existing = fs.readFileSync(abs);
  } catch {
    return false;
  }
  let pos = 0;
  for (const piece of whole ? [data] : batched(data)) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (pos + bytes.length > existing.length || !existing.subarray(pos, pos + bytes.length).equals(bytes)) return false;
    pos += bytes.length;
  }
  return pos === existing.length;
}

function writeTemp(tmp: string, data: string | Uint8Array | Iterable<string>): void {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    fs.writeFileSync(tmp, data);
    return;
  }
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const chunk of batched(data)) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Write several files as one step, as far as a file system allows: every file goes to a temporary
 * file first; only when all of them are written in full are they renamed into place. Between the two
 * phases the event loop gets a turn, so a Ctrl-C during the writes lands before any rename (the signal
 * handler removes the temporary files), never between renames. A failure while writing (disk full, a
 * folder in the way, no permission) removes every temporary file and leaves the targets as they were.
 * Content made by a function is made one file at a time, so a corpus's articles are never all in memory.
 * Writes are synchronous on purpose: creating files in one folder is serialised by the kernel, and
 * measured on this project's machine, 7,000 small files take 0.18 s this way against 0.3-0.8 s through the
 * thread pool.
 */
export async function writeFilesAtomic(files: readonly { target: string; data: FileData }[], opts: AtomicWriteOptions = {}): Promise<void> {
  const written: { tmp: string; target: string }[] = [];
  try {
    for (const dir of new Set(files.map((f) => path.dirname(f.target)))) fs.mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const data = typeof f.data === 'function' ? f.data() : f.data;
      if (opts.skipUnchanged) {
        const whole = typeof data === 'string' || data instanceof Uint8Array;
        // Pieces are consumed by the comparison: they are made again for writing.
        if (sameContent(f.target, whole || typeof f.data !== 'function' ? data : f.data())) continue;
      }
      const tmp = tempPathFor(f.target);
      pending.add(tmp);
      written.push({ tmp, target: f.target });
      writeTemp(tmp, data);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await opts.beforeRename?.();
    for (const w of written) {
      fs.renameSync(w.tmp, w.target);
      pending.delete(w.tmp);
    }
  } catch (e) {
    for (const w of written) if (pending.has(w.tmp)) removeQuietly(w.tmp);
    throw e;
  }
}

/** Another temporary file to remove if the process is stopped (the spill of cleaned texts, where it has a name). */
export function trackTempFile(file: string): void {
  pending.add(file);
}

export function untrackTempFile(file: string): void {
  pending.delete(file);
}

/** Remove temporary files of writes that were interrupted (called from signal handlers). */
export function removePendingTempFiles(): void {
  for (const tmp of [...pending]) removeQuietly(tmp);
  pending.clear();
}
