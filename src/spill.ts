// The cleaned texts of a run, kept in one temporary file instead of in memory. A document's paragraphs (about
// 3.4 KB of heap for an article of 3 KB) are needed only when its article is rendered, at the very end of a run;
// until then the run holds where they are in the file (two numbers). Written as results arrive, read back with
// one positioned read per article.
//
// The file is created in os.tmpdir() under an unguessable name, readable by its owner only, and its name is
// removed at once: only the open descriptor refers to it, so nothing is left behind however the process ends
// (Ctrl-C, a crash, SIGKILL), and the kernel frees the space when the descriptor is closed. Where a name cannot
// be removed while the file is open, it is removed on close, by the signal handlers (removePendingTempFiles),
// and when the spill is garbage-collected.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trackTempFile, untrackTempFile } from './write/atomic.js';

/** Texts are gathered into a buffer of this size and written when it is full (one system call per ~80 articles). */
const CHUNK_BYTES = 1 << 18;

/** Where one stored text is: byte offset and byte length in the spill. */
export interface SpillSlot {
  offset: number;
  length: number;
}

interface SpillFile {
  fd: number | null;
  /** The file's name while it still has one (only where it could not be removed while open). */
  name: string | null;
}

function closeFile(file: SpillFile): void {
  if (file.fd !== null) {
    try {
      fs.closeSync(file.fd);
    } catch {
      /* already closed with the process */
    }
    file.fd = null;
  }
  if (file.name !== null) {
    try {
      fs.rmSync(file.name, { force: true });
    } catch {
      /* nothing more to do */
    }
    untrackTempFile(file.name);
    file.name = null;
  }
}

/** A spill that is no longer reachable (its analysis was dropped without release()) closes its file. */
const collected = new FinalizationRegistry<SpillFile>(closeFile);

export class TextSpill {
  private readonly file: SpillFile;
  private readonly token = {};
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Bytes of `chunk` in use; they belong at file offset `flushed`. */
  private used = 0;
  /** Bytes in the file. */
  private flushed = 0;
  /** A write failed (disk full): what is stored stays readable, nothing more is stored. */
  private broken = false;

  private constructor(file: SpillFile) {
    this.file = file;
    collected.register(this, file, this.token);
  }

  /** A new spill in `dir` (default: os.tmpdir()), or null when no file can be made there (texts then stay in memory). */
  static create(dir: string = os.tmpdir()): TextSpill | null {
    const name = path.join(dir, `.clean-spill-${process.pid}-${crypto.randomBytes(16).toString('hex')}.tmp`);
    let fd: number;
    try {
      fd = fs.openSync(name, 'wx+', 0o600);
    } catch {
      return null;
    }
    const file: SpillFile = { fd, name };
    try {
      fs.unlinkSync(name);
      file.name = null;
    } catch {
      trackTempFile(name);
    }
    return new TextSpill(file);
  }

  /**
   * Stores strings (a document's paragraphs, its template keys), or anything else JSON keeps exactly; null when
   * it could not be stored (keep it in memory then).
   */
  store(value: unknown): SpillSlot | null {
    if (this.broken || this.file.fd === null) return null;
    // JSON keeps any string exactly (a lone surrogate is written as an escape, so UTF-8 cannot alter it).
    const json = JSON.stringify(value);
    const length = Buffer.byteLength(json);
    if (this.used + length > this.chunk.length && !this.flush()) return null;
    const offset = this.flushed + this.used;
    if (length > this.chunk.length) {
      // A text larger than the buffer goes to the file directly (the buffer is empty here).
      if (!this.writeAll(Buffer.from(json), length)) return null;
    } else {
      this.used += this.chunk.write(json, this.used, 'utf8');
    }
    return { offset, length };
  }

  /** The value stored at `slot` (a new copy each time). Throws once the spill is released. */
  read<T = string[]>(slot: SpillSlot): T {
    const { offset, length } = slot;
    let text: string;
    if (offset >= this.flushed) {
      text = this.chunk.toString('utf8', offset - this.flushed, offset - this.flushed + length);
    } else {
      if (this.file.fd === null) throw new Error('the cleaned texts of this analysis were released');
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = fs.readSync(this.file.fd, buf, got, length - got, offset + got);
        if (n === 0) throw new Error(`the spill file of cleaned texts ended early (${offset + got} of ${offset + length} bytes)`);
        got += n;
      }
      text = buf.toString('utf8');
    }
    return JSON.parse(text) as T;
  }

  /** Writes the buffered texts to the file; false when that failed (they stay buffered and readable). */
  private flush(): boolean {
    if (this.used === 0) return true;
    if (!this.writeAll(this.chunk, this.used)) return false;
    this.used = 0;
    return true;
  }

  /** Appends `length` bytes of `buf` to the file. */
  private writeAll(buf: Buffer, length: number): boolean {
    try {
      for (let done = 0; done < length; ) done += fs.writeSync(this.file.fd!, buf, done, length - done, this.flushed + done);
    } catch {
      this.broken = true;
      return false;
    }
    this.flushed += length;
    return true;
  }

  /** Closes (and, where it still has a name, removes) the file. Texts still in the buffer remain readable. */
  close(): void {
    collected.unregister(this.token);
    closeFile(this.file);
  }
}
