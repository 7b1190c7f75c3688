// Reading one input file. Synchronous on purpose: for the small files of a corpus one read call costs far
// less than the several thread-pool round trips of fs.promises, and the main thread hands the bytes
// straight to a worker. Opened non-blocking and checked to be a regular file first, so a file swapped for
// a FIFO after the folder walk can never block the run.
import fs from 'node:fs';
import { megabytes } from './messages.js';

/** An input that turned into something other than a regular file between the walk and the read. */
class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
}

/** The file's bytes; a file that grew past `maxBytes` since the walk is refused like any other. */
export function readInputFile(abs: string, maxBytes = Infinity): Uint8Array {
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError('not a regular file');
    if (st.size > maxBytes) throw new Error(`file too large (${megabytes(st.size)}; the limit is ${megabytes(maxBytes)})`);
    const buf = Buffer.allocUnsafeSlow(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, null);
      if (n === 0) break; // the file shrank while we read it: keep what is there
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}
