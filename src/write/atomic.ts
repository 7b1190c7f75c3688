// Atomic file writes: write a temporary file beside the target, then rename over it, so a reader
// (or a crash, or Ctrl-C) never sees half a file. Temporary files still open are removed on exit.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
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

/** Temporary files written at once: enough to keep the file system busy on every core. */
const WRITE_CONCURRENCY = 8;

export interface AtomicWriteOptions {
  /** Runs when every temporary file is written, before the first rename (a test hook for interrupts). */
  beforeRename?: () => Promise<void>;
}

/**
 * Write several files as one step, as far as a file system allows: every file goes to a temporary
 * file first (several at a time); only when all of them are written in full are they renamed into
 * place, synchronously, so an interrupt (Ctrl-C) lands before the renames or after them, never between.
 * A failure while writing (disk full, a folder in the way, no permission) removes every temporary
 * file and leaves the targets as they were. Renames are the last step and do not allocate space.
 */
export async function writeFilesAtomic(files: readonly { target: string; data: string | Uint8Array }[], opts: AtomicWriteOptions = {}): Promise<void> {
  const temps: string[] = files.map((f) => tempPathFor(f.target));
  try {
    for (const dir of new Set(files.map((f) => path.dirname(f.target)))) fs.mkdirSync(dir, { recursive: true });
    let next = 0;
    let failure: { error: unknown } | null = null;
    // On the first failure the writers stop taking files, and every write under way settles before the
    // clean-up below: a temporary file must not appear after its removal.
    const writer = async () => {
      while (next < files.length && !failure) {
        const i = next++;
        pending.add(temps[i]);
        try {
          await fsp.writeFile(temps[i], files[i].data);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, files.length) }, writer));
    if (failure) throw (failure as { error: unknown }).error;
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
