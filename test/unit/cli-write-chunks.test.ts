// writeChunks: a report's pieces go to stdout as UTF-8 chunks of one reused buffer; the bytes are those of the pieces
// joined, whatever they hold (characters past Latin-1, surrogate pairs at a chunk's edge, pieces of megabytes), and
// a chunk the stream still holds queued is never written over.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closableStdout } from '../../src/cli/main.js';
import { writeChunks } from '../../src/cli/run.js';

/**
 * A stream that takes in each chunk's bytes as the write finishes, at once or (held) only when `release` is called:
 * until then it holds the very memory it was given, as a pipe's queue does, and whatever is written into that memory
 * meanwhile is what comes out.
 */
function keepingStream(held: boolean): Writable & { chunks: Uint8Array[]; release: () => void } {
  const waiting: (() => void)[] = [];
  const chunks: Uint8Array[] = [];
  const w = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      const at = chunks.push(chunk) - 1;
      const finish = () => {
        chunks[at] = Buffer.from(chunk);
        cb();
      };
      if (held) waiting.push(finish);
      else finish();
    },
  }) as Writable & { chunks: Uint8Array[]; release: () => void };
  w.chunks = chunks;
  w.release = () => {
    for (const finish of waiting.splice(0)) finish();
  };
  return w;
}

async function written(pieces: string[], held: boolean): Promise<Buffer> {
  const stream = keepingStream(held);
  const done = writeChunks(closableStdout(stream as unknown as NodeJS.WriteStream), pieces);
  // a held stream asks for 'drain' once its queue passes the high-water mark: let it go on
  const timer = setInterval(() => stream.release(), 1);
  await done;
  clearInterval(timer);
  // then every write still queued, one after another
  while (stream.writableLength > 0) {
    stream.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Buffer.concat(stream.chunks);
}

describe('writeChunks', () => {
  it('writes the UTF-8 bytes of the pieces joined, for any text, to a stream that writes at once or keeps chunks queued', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 600 }), { maxLength: 600 }), fc.boolean(), async (pieces, held) => {
        expect((await written(pieces, held)).equals(Buffer.from(pieces.join('')))).toBe(true);
      }),
      { numRuns: 60, seed: 20261207 },
    );
  });
  it('cuts a piece longer than a chunk between characters, never inside a surrogate pair', async () => {
    // pairs at every offset around the places a stretch can end (a chunk takes 21,845 UTF-16 units)
    for (const shift of [0, 1, 2, 3]) {
      const piece = 'a'.repeat(21_843 + shift) + '\u{1F600}é—'.repeat(30_000) + 'z';
      for (const held of [false, true]) expect((await written(['{', piece, '}\n'], held)).equals(Buffer.from(`{${piece}}\n`))).toBe(true);
    }
  });
});
