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

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  writeFilesAtomic([{ target, data }]);
}

/**
 * Write several files as one step, as far as a file system allows: every file goes to a temporary
 * file first; only when all of them are written in full are they renamed into place. A failure while
 * writing (disk full, a folder in the way, no permission) removes every temporary file and leaves the
 * targets as they were. Renames are the last step and do not allocate space.
 */
export function writeFilesAtomic(files: readonly { target: string; data: string | Uint8Array }[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.target), { recursive: true });
      const tmp = tempPathFor(f.target);
      pending.add(tmp);
      temps.push(tmp);
      fs.writeFileSync(tmp, f.data);
    }
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
