// Atomic file writes: write a temporary file beside the target, then rename over it, so a reader
// (or a crash, or Ctrl-C) never sees half a file. Temporary files still open are removed on exit.
import fs from 'node:fs';
import path from 'node:path';

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
}

/**
 * Write several files as one step, as far as a file system allows: every file goes to a temporary
 * file first; only when all of them are written in full are they renamed into place. Between the two
 * phases the event loop gets a turn, so a Ctrl-C during the writes lands before any rename (the signal
 * handler removes the temporary files), never between renames. A failure while writing (disk full, a
 * folder in the way, no permission) removes every temporary file and leaves the targets as they were.
 * Writes are synchronous on purpose: creating files in one folder is serialised by the kernel, and
 * measured on this project's machine, 7,000 small files take 0.18 s this way against 0.3-0.8 s through the
 * thread pool.
 */
export async function writeFilesAtomic(files: readonly { target: string; data: string | Uint8Array }[], opts: AtomicWriteOptions = {}): Promise<void> {
  const temps: string[] = [];
  try {
    for (const dir of new Set(files.map((f) => path.dirname(f.target)))) fs.mkdirSync(dir, { recursive: true });
    for (const f of files) {
      const tmp = tempPathFor(f.target);
      pending.add(tmp);
      temps.push(tmp);
      fs.writeFileSync(tmp, f.data);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await opts.beforeRename?.();
    files.forEach((f, i) => {
      fs.renameSync(temps[i], f.target);
      pending.delete(temps[i]);
    });
  } catch (e) {
    for (const tmp of temps) if (pending.has(tmp)) removeQuietly(tmp);
    throw e;
  }
}

/** Remove temporary files of writes that were interrupted (called from signal handlers). */
export function removePendingTempFiles(): void {
  for (const tmp of [...pending]) removeQuietly(tmp);
  pending.clear();
}
