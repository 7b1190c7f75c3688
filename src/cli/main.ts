// Binds the CLI to the real process: streams, stdin, signals, and a quiet end when stdout closes early.
import v8 from 'node:v8';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { run, type CliIO, type OutStream } from './run.js';
import { removePendingTempFiles } from '../write/index.js';
import { DEFAULT_MAX_BYTES, megabytes } from '../read/index.js';
import { setEngineFlags } from './engine-flags.js';
import { lazyBuiltin } from '../lazy-builtin.js';

/** For node:child_process, loaded when a run starts again with a larger heap (relaunch), not by every run. */
const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');

/** Standard input, refused (as an input error, not a crash) past the same size limit as files. */
export async function readAllStdin(stream: AsyncIterable<unknown> = process.stdin, limit = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      if (stream === process.stdin) process.stdin.destroy();
      throw new Error(`input too large (more than ${megabytes(limit)}; the limit is ${megabytes(limit)})`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

const MB = 1024 * 1024;

/**
 * process.stdout for the run. `clean … | head -1` closes it early: what is written after that is dropped quietly (no
 * EPIPE trace, as Unix tools do) and the run ends as it would have, so its exit code still tells (a failing
 * --check into `| head` exits 1, not 0) and the cache is still saved. writeChunks stops rendering once it is closed.
 */
export function closableStdout(stream: NodeJS.WriteStream = process.stdout): OutStream & { closed: boolean } {
  const waiting = new Set<() => void>();
  const out = {
    closed: false,
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write(chunk: string): boolean {
      return out.closed ? true : stream.write(chunk);
    },
    writeBytes(chunk: Uint8Array): boolean {
      return out.closed ? true : stream.write(chunk);
    },
    holdsBytes(): boolean {
      return stream.writableLength > 0;
    },
    once(_event: 'drain', listener: () => void): void {
      if (out.closed) return void listener();
      const l = () => {
        waiting.delete(l);
        listener();
      };
      waiting.add(l);
      stream.once('drain', l);
    },
  };
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    out.closed = true;
    // a write waiting for room will never get it: let it go on (to find the stream closed)
    for (const l of [...waiting]) {
      stream.off('drain', l);
      l();
    }
  });
  return out;
}

export function main(): void {
  setEngineFlags();
  const stdout = closableStdout();
  // `clean … 2>&1 | head -1` closes stderr too: messages that cannot be shown are dropped, never a crash.
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
  let child: ChildProcess | null = null;
  const onSignal = (code: number, signal: NodeJS.Signals) => () => {
    // While a relaunched run works, it is the one to stop; its exit code becomes ours.
    if (child) return void child.kill(signal);
    removePendingTempFiles();
    process.exit(code);
  };
  process.on('SIGINT', onSignal(130, 'SIGINT'));
  process.on('SIGTERM', onSignal(143, 'SIGTERM'));
  // the terminal closed (an ssh session dropped): the same clean stop
  process.on('SIGHUP', onSignal(129, 'SIGHUP'));

  const io: CliIO = {
    stdout,
    stderr: process.stderr,
    readStdin: readAllStdin,
    cwd: process.cwd(),
    env: process.env,
    heapLimitMb: v8.getHeapStatistics().heap_size_limit / MB,
    // The same command in a Node with a larger heap (not again from there): stdin, stdout and stderr shared.
    relaunch: process.env.CLEAN_NO_REEXEC
      ? undefined
      : (heapMb) =>
          new Promise<number>((resolve) => {
            const heap = Math.min(Math.max(heapMb, 1024), Math.floor((os.totalmem() / MB) * 0.85));
            // loaded here, not at start: only a corpus too large for the heap needs it, and every run would pay for it
            child = childProcess().spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heap}`, process.argv[1], ...process.argv.slice(2)], {
              stdio: 'inherit',
              env: { ...process.env, CLEAN_NO_REEXEC: '1' },
            });
            child.on('error', (err) => {
              process.stderr.write(`clean: cannot start Node.js again with a larger heap (${err.message})\n`);
              resolve(2);
            });
            child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 1)));
          }),
  };
  run(process.argv.slice(2), io).then(
    (code) => exitWhenFlushed(code),
    (err: unknown) => {
      removePendingTempFiles();
      process.stderr.write(`clean: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      exitWhenFlushed(2);
    },
  );
}

/**
 * Ends the process once what was written to stdout and stderr is out. Left to end by itself, Node takes 30-40 ms
 * more to tear down a heap of a few hundred MB (a warm run over 10,000 articles), for nothing: the run is done.
 */
export function exitWhenFlushed(code: number, streams: NodeJS.WritableStream[] = [process.stdout, process.stderr], exit: (code: number) => void = process.exit): void {
  process.exitCode = code;
  let pending = streams.length;
  const done = () => {
    if (--pending === 0) exit(code);
  };
  for (const s of streams) {
    const w = s as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
    // a stream closed early (`| head -1`) has nothing more to give out
    if (w.destroyed || w.writableEnded) done();
    else w.write('', () => done());
  }
}
