// exitWhenFlushed: the process ends with the run's status once what it wrote to stdout and stderr is out, and not
// before; a stream closed early (`| head -1`) does not hold it up.
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWhenFlushed } from '../../src/cli/main.js';

/** A stream that accepts a write only when `release` is called, as a pipe whose reader has not read yet. */
function heldStream(): Writable & { release: () => void; got: string[] } {
  const waiting: (() => void)[] = [];
  const got: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      got.push(String(chunk));
      waiting.push(cb);
    },
  }) as Writable & { release: () => void; got: string[] };
  w.release = () => {
    for (const cb of waiting.splice(0)) cb();
  };
  w.got = got;
  return w;
}

const exitCodeBefore = process.exitCode;
afterEach(() => {
  process.exitCode = exitCodeBefore;
});

describe('exitWhenFlushed', () => {
  it('exits with the code once both streams have given out what was written to them', async () => {
    const out = heldStream();
    const err = new PassThrough();
    out.write('the report');
    const exits: number[] = [];
    exitWhenFlushed(1, [out, err], (code) => exits.push(code));
    await new Promise((r) => setImmediate(r));
    expect(exits, 'stdout still holds the report').toEqual([]);
    out.release(); // the report
    await new Promise((r) => setImmediate(r));
    out.release(); // the empty write that marks the end
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1]);
    expect(out.got[0]).toBe('the report');
    expect(process.exitCode).toBe(1);
  });

  it('a stream destroyed early (its reader gone) does not hold the exit up', async () => {
    const out = new PassThrough();
    out.destroy();
    const err = new PassThrough();
    const exits: number[] = [];
    exitWhenFlushed(0, [out, err], (code) => exits.push(code));
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
  });
});
