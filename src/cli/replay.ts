// A run whose invocation, inputs and output files are all as the last run left them prints what that run printed and
// exits as it did, without reading, clustering or writing anything: a pre-commit hook or a CI job over a corpus that
// did not change. With the cache, such a run otherwise decodes every cached result and builds the report again.
//
// What the last run printed is kept in the cache file as a deferred state (read only by a run whose key is the one kept
// beside it, in a small state every run reads), the key being everything the output depends on: the command line, the working folder, the configuration as loaded,
// the colour levels and terminal widths, and every input by path with the key of its bytes as the cache remembers it
// (so an input changed, added, removed, or too recent to be trusted by its stat signature, is another key). The output
// files are checked by their stat signatures: one edited, replaced or removed since means the run is done in full.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { racyWindow, type DocCache } from '../cache/index.js';
import { fileStamp, type Discovery, type FileStamp } from '../read/index.js';
import type { OutStream } from './run.js';

/** The cache states that hold the last run's key (read by every run) and its output (deferred: read to replay it). */
export const REPLAY_KEY_STATE = 'last-run-key';
export const REPLAY_STATE = 'last-run-output';
const MAGIC = 0x31504c52; // "RPL1"
/** Output larger than this is not kept (an NDJSON report holds every canonical text): such a run is always done in full. */
const MAX_RECORDED = 64 << 20;

/** What a run printed and left behind (its key is kept apart). */
export interface Replay {
  exitCode: number;
  /** The input errors it reported on stderr, in order (an unreadable file, an empty one). */
  errors: string[];
  /** Every file the run wrote or found in place as it should be (articles, manifest), with its stat signature. */
  outputs: [file: string, sig: string][];
  stdout: readonly Uint8Array[];
}

/**
 * The key of a run (see the top of this file), with what the walk found in the way (a folder it could not read), or null
 * when some input is not remembered by the cache as it is now.
 */
export function replayKey(invocation: unknown, discovery: Discovery, cache: DocCache): string | null {
  // the keys first, so that a run with a changed input (most runs that are not replayed) stops at it, making nothing
  const keys: string[] = [];
  for (const e of discovery.entries) {
    const key = e.stamp && cache.knownContentKey(e.stamp);
    if (!key) return null;
    keys.push(key);
  }
  const lines: string[] = [JSON.stringify(invocation, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v)), JSON.stringify(discovery.errors)];
  // (and whether a manifest lists each as an article clean wrote, which the report says)
  discovery.entries.forEach((e, i) => lines.push(`${e.path}\0${keys[i]}\0${e.written ? 1 : 0}`));
  return crypto.hash('sha1', lines.join('\n'), 'base64');
}

/** The state's bytes, as pieces: magic, header length, header (exit code, errors, outputs), then the output itself. */
export function encodeReplay(r: Replay): Uint8Array[] {
  const header = Buffer.from(JSON.stringify({ exitCode: r.exitCode, errors: r.errors, outputs: r.outputs }));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(header.length, 4);
  return [head, header, ...r.stdout];
}

/** The state encodeReplay made, or null when the bytes are not one (then nothing is replayed). */
export function decodeReplay(bytes: Uint8Array | undefined): Replay | null {
  if (!bytes || bytes.byteLength < 8) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = buf.readUInt32LE(4);
  if (buf.readUInt32LE(0) !== MAGIC || 8 + length > buf.length) return null;
  try {
    const h = JSON.parse(buf.toString('utf8', 8, 8 + length)) as Partial<Replay>;
    const outputsOk = Array.isArray(h.outputs) && h.outputs.every((o) => Array.isArray(o) && o.length === 2 && typeof o[0] === 'string' && typeof o[1] === 'string');
    const errorsOk = Array.isArray(h.errors) && h.errors.every((e) => typeof e === 'string');
    if (!Number.isInteger(h.exitCode) || !outputsOk || !errorsOk) return null;
    return { exitCode: h.exitCode!, errors: h.errors!, outputs: h.outputs!, stdout: [buf.subarray(8 + length)] };
  } catch {
    return null;
  }
}

/**
 * The outputs' stat signatures as the write stage found and left them (`outputs`: null for one it wrote), when every
 * one is still that very file now and was changed long enough ago to be trusted by its signature; else null. (A file
 * edited after the write stage, or written by this run, is never taken for what the run left.)
 */
export function settledOutputs(outputs: ReadonlyMap<string, string | null>, now = Date.now()): [string, string][] | null {
  const out: [string, string][] = [];
  for (const [file, left] of outputs) {
    const stamp = left === null ? null : stampIf(file, left);
    // changed this close to now, a later change could keep the signature: not trusted (the cache's rule for inputs)
    if (!stamp || now - stamp.changed <= racyWindow(stamp)) return null;
    out.push([file, stamp.sig]);
  }
  return out;
}

/** Whether every output is still the very file that was recorded. */
export function outputsInPlace(outputs: readonly [string, string][]): boolean {
  return outputs.every(([file, sig]) => stampIf(file, sig) !== null);
}

/** The stamp of the regular file `file` as it is now, when its stat signature is `sig`; else null. */
function stampIf(file: string, sig: string): FileStamp | null {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return null;
  const stamp = fileStamp(file, st);
  return stamp.sig === sig ? stamp : null;
}

/** `out`, with everything written through it kept (copied: a writer may reuse its buffer) until MAX_RECORDED. */
export function recordingStream(out: OutStream): OutStream & { recorded(): Uint8Array[] | null } {
  let kept: Uint8Array[] | null = [];
  let size = 0;
  const keep = (bytes: Uint8Array) => {
    if (!kept) return;
    size += bytes.length;
    if (size > MAX_RECORDED) kept = null;
    else kept.push(Buffer.from(bytes));
  };
  return {
    get isTTY() {
      return out.isTTY;
    },
    get columns() {
      return out.columns;
    },
    get closed() {
      return out.closed;
    },
    write(chunk: string) {
      keep(Buffer.from(chunk));
      return out.write(chunk);
    },
    ...(out.writeBytes && {
      writeBytes(chunk: Uint8Array) {
        keep(chunk);
        return out.writeBytes!(chunk);
      },
    }),
    ...(out.holdsBytes && { holdsBytes: () => out.holdsBytes!() }),
    ...(out.once && { once: (event: 'drain', listener: () => void) => out.once!(event, listener) }),
    // a reader that went away took only part of the output: that is not kept
    recorded: () => (out.closed ? null : kept),
  };
}

/** Writes recorded output to `out`, in pieces, waiting for room when the stream asks to. */
export async function writeRecorded(out: OutStream, pieces: readonly Uint8Array[]): Promise<void> {
  if (!out.writeBytes) {
    out.write(Buffer.concat(pieces).toString('utf8'));
    return;
  }
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += 1 << 16) {
      if (out.closed) return;
      const ok = out.writeBytes(piece.subarray(at, at + (1 << 16)));
      if (ok === false && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
    }
  }
}
