// Atomic file writes: write a temporary file beside the target, then rename over it, so a reader
// (or a crash, or Ctrl-C) never sees half a file. Temporary files still open are removed on exit.
import fs from 'node:fs';
import path from 'node:path';

const pending = new Set<string>();

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${pending.size}.tmp`);
  pending.add(tmp);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing more to do: the original error is what matters */
    }
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

/** Remove temporary files of writes that were interrupted (called from signal handlers). */
export function removePendingTempFiles(): void {
  for (const tmp of pending) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* best effort on the way out */
    }
  }
  pending.clear();
}
