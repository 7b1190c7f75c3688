// The floor of a warm run: the work any run over the corpus does before it computes anything, at today's file
// formats, measured on the same corpus, cache file and output folder as the warm runs (bench/cache/run.mjs).
//   - starting Node and loading the CLI (`clean --version`);
//   - finding the inputs: the CLI's walk of the corpus folder, one stat a file (how a changed file is seen);
//   - reading the cache file into fresh memory (all but the lazy region of texts and fingerprint arrays and the deferred
//     states, which a run reads by position when it needs them) and checking its CRC (never trusted unchecked);
//   - reading manifest.json and writing a new one of its size (a warm run copies the entries that did not change from
//     the one in place), and the JSON report to a pipe's end (/dev/null, through the CLI's own serialiser);
//   - one lstat a written article (an output that is not what clean wrote must not be replaced).
// None of it grows with what changed; the sum is how close a warm run can come to zero with these formats.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { REPO } from '../scale/generate.mjs';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The cache file as a run reads it, into fresh memory: all but the lazy region its header names and the deferred states
 * its tail names (the last run's output, read only by a run that replays it), as src/cache/index.ts reads it.
 */
function readAsRun(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    const header = Buffer.alloc(head.readUInt32LE(8));
    fs.readSync(fd, header, 0, header.length, 16);
    const skip = [JSON.parse(header.toString('utf8')).lazy ?? [size, size]];
    // the tail: its payload's length and "ACTL" just before the last 3 bytes; the deferred states end where it begins
    const end = Buffer.alloc(8);
    fs.readSync(fd, end, 0, 8, size - 11);
    if (end.readUInt32LE(4) === 0x4c544341) {
      const tailAt = size - 3 - end.readUInt32LE(0) - 13;
      const list = Buffer.alloc(end.readUInt32LE(0) - 8);
      fs.readSync(fd, list, 0, list.length, tailAt + 13);
      skip.push([JSON.parse(list.toString('utf8'))[0][1], tailAt]);
    }
    const ranges = [];
    let from = 0;
    for (const [a, b] of skip) {
      ranges.push([from, a]);
      from = b;
    }
    ranges.push([from, size]);
    const buf = Buffer.allocUnsafe(ranges.reduce((n, [a, b]) => n + b - a, 0));
    let at = 0;
    for (const [a, b] of ranges) at += fs.readSync(fd, buf, at, b - a, a);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** Median milliseconds of each piece over `runs` rounds, and their sum in seconds. */
export async function measureFloor({ docs, cacheFile, outDir, report, runs = 5 }) {
  const { jsonChunks, batched } = await import(path.join(REPO, 'dist/json-chunks.js'));
  const { discoverInputs, DEFAULT_MAX_BYTES } = await import(path.join(REPO, 'dist/read/index.js'));
  const reportValue = JSON.parse(report);
  const scratch = path.join(path.dirname(outDir), 'floor-manifest.json');
  const times = { start: [], discover: [], cache: [], manifest: [], report: [], outputs: [] };
  /** Bytes of the cache file a run reads (all but its lazy region). */
  let readBytes = 0;
  const lap = (name, f) => {
    const t0 = performance.now();
    f();
    times[name].push(performance.now() - t0);
  };
  for (let r = 0; r < runs; r++) {
    lap('start', () => spawnSync(process.execPath, [path.join(REPO, 'bin/clean.js'), '--version'], { stdio: 'ignore' }));
    // the CLI's own walk (ignore files, one stat a file, stamps), without the cache file it would skip
    lap('discover', () => discoverInputs([docs], { cwd: REPO, maxBytes: DEFAULT_MAX_BYTES }));
    lap('cache', () => {
      const bytes = readAsRun(cacheFile);
      readBytes = bytes.length;
      zlib.crc32(bytes);
    });
    // a warm run reads the manifest in place (to know its files, and to copy its unchanged entries from) and, when an
    // entry changed, writes a new one of the same size: no JSON is made for the entries as they were
    lap('manifest', () => {
      const bytes = fs.readFileSync(path.join(outDir, 'manifest.json'));
      const fd = fs.openSync(scratch, 'w');
      for (let at = 0; at < bytes.length; at += 1 << 16) fs.writeSync(fd, bytes, at, Math.min(1 << 16, bytes.length - at));
      fs.closeSync(fd);
    });
    lap('report', () => {
      const fd = fs.openSync('/dev/null', 'w');
      for (const piece of batched(jsonChunks(reportValue))) fs.writeSync(fd, piece);
      fs.closeSync(fd);
    });
    lap('outputs', () => {
      for (const name of fs.readdirSync(outDir)) fs.lstatSync(path.join(outDir, name));
    });
  }
  fs.rmSync(scratch, { force: true });
  const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  return { ms, seconds: Object.values(ms).reduce((a, b) => a + b, 0) / 1000, manifestMb: fs.statSync(path.join(outDir, 'manifest.json')).size / 1e6, cacheMb: fs.statSync(cacheFile).size / 1e6, readMb: readBytes / 1e6 };
}
