// The pieces of replaying the last run's output (src/cli/replay.ts): its bytes, the copy of what a run prints, the
// check of its outputs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReplay, encodeReplay, outputsInPlace, recordingStream, settledOutputs, writeRecorded } from '../../src/cli/replay.js';
import type { OutStream } from '../../src/cli/run.js';
import { tempDir } from '../helpers/cli.js';
import { fileStamp } from '../../src/read/index.js';

/** A stream that keeps what it is given and says whether it still holds the last chunk. */
function sink(): OutStream & { chunks: Uint8Array[]; text(): string } {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    closed: false,
    write(chunk: string) {
      chunks.push(Buffer.from(chunk));
      return true;
    },
    writeBytes(chunk: Uint8Array) {
      chunks.push(chunk);
      return true;
    },
    holdsBytes: () => false,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('replay', () => {
  it('keeps a run\'s exit code, input errors, outputs and printed bytes, and refuses bytes that are not that', () => {
    const stdout = [Buffer.from('{"summary":'), Buffer.from(' "é → ✓"}\n')];
    const bytes = Buffer.concat(encodeReplay({ exitCode: 1, errors: ['docs/a.bin: binary file'], outputs: [['/out/a.txt', '1:2:3:4:5']], stdout }));
    const r = decodeReplay(bytes)!;
    expect({ ...r, stdout: Buffer.concat(r.stdout).toString() }).toEqual({ exitCode: 1, errors: ['docs/a.bin: binary file'], outputs: [['/out/a.txt', '1:2:3:4:5']], stdout: '{"summary": "é → ✓"}\n' });
    expect(decodeReplay(undefined)).toBeNull();
    expect(decodeReplay(bytes.subarray(0, 12))).toBeNull();
    const other = Buffer.from(bytes);
    other[0] ^= 1;
    expect(decodeReplay(other)).toBeNull();
  });
  it('records what goes through a stream as copies (a writer reuses its buffer), and nothing when the reader went away', () => {
    const out = sink();
    const rec = recordingStream(out);
    const reused = Buffer.from('first');
    rec.writeBytes!(reused);
    reused.write('later');
    rec.write(' and text');
    expect(Buffer.concat(rec.recorded()!).toString()).toBe('first and text');
    expect(out.text()).toBe('later and text'); // the stream got the buffer itself
    out.closed = true;
    expect(rec.closed).toBe(true);
    expect(rec.recorded()).toBeNull();
  });
  it('writes recorded bytes back in pieces, to a stream of bytes or of text', async () => {
    const big = Buffer.alloc(200_000, 'a');
    const bytes = sink();
    await writeRecorded(bytes, [Buffer.from('x'), big]);
    expect(bytes.chunks.length).toBeGreaterThan(2);
    expect(Buffer.concat(bytes.chunks).equals(Buffer.concat([Buffer.from('x'), big]))).toBe(true);
    const texts: string[] = [];
    await writeRecorded({ write: (t: string) => texts.push(t) }, [Buffer.from('é'), Buffer.from('!')]);
    expect(texts.join('')).toBe('é!');
  });
  it('trusts outputs by their stat signatures only as the write stage left them and once old enough; finds one changed or gone', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.txt');
    fs.writeFileSync(a, 'article');
    const left = new Map([[a, fileStamp(a, fs.statSync(a)).sig]]);
    // just written: a change within the file system's timestamp granularity could keep its signature
    expect(settledOutputs(left)).toBeNull();
    const later = Date.now() + 3000;
    const outputs = settledOutputs(left, later)!;
    expect(outputs).toHaveLength(1);
    // written by the run itself, or not there
    expect(settledOutputs(new Map([...left, [path.join(dir, 'b.txt'), null]]), later)).toBeNull();
    expect(settledOutputs(new Map([...left, [path.join(dir, 'missing.txt'), '1:2']]), later)).toBeNull();
    expect(outputsInPlace(outputs)).toBe(true);
    // edited after the write stage left it (before the run ended): not what the run left
    const b = path.join(dir, 'b.txt');
    fs.writeFileSync(b, 'other');
    const bLeft = fileStamp(b, fs.statSync(b)).sig;
    fs.appendFileSync(b, ' edited');
    expect(settledOutputs(new Map([[b, bLeft]]), later)).toBeNull();
    fs.appendFileSync(a, ' edited');
    expect(outputsInPlace(outputs)).toBe(false);
    fs.rmSync(a);
    expect(outputsInPlace(outputs)).toBe(false);
  });
});
