// Reading a large file into memory on a machine where memory first touched by the kernel is slow for the process.
import crypto from 'node:crypto';
import fs from 'node:fs';

/** The pieces a file is read in, and how many of them are under way at once. */
const READ_PIECE = 4 << 20;
const READS_AT_ONCE = 3;

/**
 * The byte ranges `ranges` of the open file `fd` in a buffer of `size` bytes, by reads in the thread pool (the bytes
 * outside the ranges are left as they are: never touched, they cost no memory). Resolves to the buffer, or to the part
 * of it before the first read that came up short (the file is shorter than it was: what was read).
 *
 * Each piece of the buffer is written in the thread pool before the file's bytes are read into it (crypto.randomFill:
 * the one call that writes a buffer there), so that its pages are the process's own, mapped and touched, by the time
 * the main thread reads them. Bytes that only the kernel has written cost the main thread's first pass over them a
 * fault a page on a virtual machine that shadows page tables (the machine the benchmarks run on: 0.1 s for the 46 MB
 * of a 10,000-document cache); here that cost falls on the pool, while the main thread does other work.
 */
export function readInPool(fd: number, size: number, ranges: readonly (readonly [number, number])[] = [[0, size]]): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  const pieces: [number, number][] = [];
  for (const [start, end] of ranges) for (let at = start; at < end; at += READ_PIECE) pieces.push([at, Math.min(end, at + READ_PIECE)]);
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let failed = false;
    // where a read first came up short
    let shortAt = size;
    const fail = (err: Error) => {
      failed = true;
      reject(err);
    };
    const done = () => {
      running--;
      launch();
      if (running === 0 && next === pieces.length && !failed) resolve(shortAt < size ? buf.subarray(0, shortAt) : buf);
    };
    const launch = () => {
      while (running < READS_AT_ONCE && next < pieces.length && !failed) {
        const [from, end] = pieces[next++];
        running++;
        const read = (at: number) => {
          if (at >= end || at >= shortAt) return done();
          fs.read(fd, buf, at, end - at, at, (err, n) => {
            if (err) fail(err);
            else if (n === 0) {
              shortAt = Math.min(shortAt, at);
              done();
            } else read(at + n);
          });
        };
        crypto.randomFill(buf, from, end - from, (err) => (err ? fail(err) : read(from)));
      }
    };
    if (pieces.length === 0) resolve(buf);
    else launch();
  });
}

/**
 * Opens `file` for reading when it is a regular file, with the stat of the version opened (the one a read gets); null
 * when something else is there. It is looked at before it is opened: opening a FIFO would wait for a writer, for ever.
 * A file system error (the file missing, no permission) is thrown as it is.
 */
export function openRegularFile(file: string): { fd: number; stat: fs.Stats } | null {
  if (!fs.statSync(file).isFile()) return null;
  const fd = fs.openSync(file, 'r');
  try {
    return { fd, stat: fs.fstatSync(fd) };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}
