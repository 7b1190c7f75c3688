#!/usr/bin/env node
// npm run bench:memory — peak resident memory of `clean` on corpora of long documents, at two corpus sizes.
// Each document is 40 generated articles in a row (about 120 KB: a report or a book-length page, boilerplate and
// all), so the corpus grows in bytes much faster than in documents. What a run holds per document is bounded
// (a 16 KB shingle sketch, texts and removed lines in the spill file): peak RSS should grow far slower than the
// corpus. Peak RSS from GNU time; the stage at which it was reached from CLEAN_TIMINGS.
//
//   node bench/memory/run.mjs [--docs 500,2000] [--per-doc 40] [--no-results]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generate, loadSource, REPO } from '../scale/generate.mjs';
import { replaceSection } from '../scale/run.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const sizes = opt('--docs', '500,2000').split(',').map(Number);
const perDoc = Number(opt('--per-doc', '40'));
const writeResults = !args.includes('--no-results');
const GNU_TIME = '/usr/bin/time';
if (!fs.existsSync(GNU_TIME)) throw new Error('bench:memory needs GNU time (/usr/bin/time) for peak RSS');

/** Writes `docs` long documents of `perDoc` generated articles each; returns the corpus folder and its bytes. */
function writeLongCorpus(root, docs) {
  const dir = path.join(root, 'docs');
  const stampFile = path.join(root, 'stamp.json');
  const stamp = { docs, perDoc, version: 1 };
  if (fs.existsSync(stampFile)) {
    const old = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (old.docs === docs && old.perDoc === perDoc && old.version === 1) return { dir, bytes: old.bytes };
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let parts = [];
  let n = 0;
  let bytes = 0;
  generate({
    size: docs * perDoc,
    seed: 11,
    src: loadSource(),
    emit: (_p, text) => {
      parts.push(text);
      if (parts.length === perDoc) {
        const buf = Buffer.from(parts.join('\n\n'), 'utf8');
        fs.writeFileSync(path.join(dir, `report-${String(n++).padStart(5, '0')}.txt`), buf);
        bytes += buf.length;
        parts = [];
      }
    },
  });
  fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, bytes }));
  return { dir, bytes };
}

/** Every article and the manifest of an output folder (its own path masked), for comparing two runs. */
function outputOf(dir) {
  const files = new Map();
  for (const name of fs.readdirSync(dir).sort()) files.set(name, fs.readFileSync(path.join(dir, name), 'utf8').replaceAll(dir, 'OUT'));
  return files;
}

function run(dir, nodeArgs = []) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-memory-bench-'));
  const timeFile = path.join(out, '..', `${path.basename(out)}.time`);
  const t0 = performance.now();
  const argv = [process.execPath, ...nodeArgs, path.join(REPO, 'bin/clean.js'), dir, '--out', path.join(out, 'out'), '--quiet'];
  const r = spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, ...argv], {
    encoding: 'utf8',
    // CLEAN_NO_REEXEC: a capped heap must stay capped (clean would otherwise run itself again with a larger one)
    env: { ...process.env, CI: '1', CLEAN_TIMINGS: '1', CLEAN_NO_REEXEC: '1' },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`clean exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [kb, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  const output = outputOf(path.join(out, 'out'));
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(timeFile, { force: true });
  // The stage that ended with the highest peak is where the peak was reached.
  const stages = [...r.stderr.matchAll(/^clean: ([a-z ]+?)(?: to \S+)?: ([\d.]+) s \(peak RSS (\d+) MB[,)]/gm)].map((m) => ({ stage: m[1], mb: Number(m[3]) }));
  const peakStage = stages.find((s) => s.mb === Math.max(...stages.map((x) => x.mb)))?.stage ?? '?';
  return { seconds, cpu: user + sys, rssMb: kb / 1024, peakStage, output };
}

const rows = [];
let largest = null;
for (const docs of sizes) {
  const corpus = writeLongCorpus(path.join(REPO, 'bench/out/memory', String(docs)), docs);
  const r = run(corpus.dir);
  const mb = corpus.bytes / 1e6;
  rows.push({ docs, mb, ...r });
  largest = { corpus, r };
  console.log(`${docs} documents, ${mb.toFixed(0)} MB: peak RSS ${r.rssMb.toFixed(0)} MB (${(r.rssMb / mb).toFixed(2)}× the corpus; reached while ${r.peakStage}), ${r.seconds.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU`);
}
// The largest corpus again with the main thread's heap capped below the corpus's size: holding the texts at once
// would not fit, and the output must be the same.
const HEAP_MB = 128;
const capped = run(largest.corpus.dir, [`--max-old-space-size=${HEAP_MB}`]);
const sameOutput = [...capped.output].every(([k, v]) => largest.r.output.get(k) === v) && capped.output.size === largest.r.output.size;
console.log(`heap capped at ${HEAP_MB} MB: peak RSS ${capped.rssMb.toFixed(0)} MB, ${capped.seconds.toFixed(1)} s wall, same output: ${sameOutput ? 'yes' : 'NO'}`);
const [small, large] = [rows[0], rows.at(-1)];
const growth = (large.rssMb - small.rssMb) / (large.mb - small.mb);
console.log(`peak RSS grows by ${growth.toFixed(2)} MB per MB of corpus (${((1000 * (large.rssMb - small.rssMb)) / (large.docs - small.docs)).toFixed(0)} KB per document)`);

if (writeResults) {
  const load = os.loadavg()[0].toFixed(1);
  const lines = [
    '## Memory benchmark',
    '',
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}; ${os.availableParallelism?.() ?? os.cpus().length} cores; load average ${load}`,
    `- command: \`npm run bench:memory\` (documents of ${perDoc} generated articles each, about ${(small.mb / small.docs * 1000).toFixed(0)} KB; one run per size; peak RSS from GNU time)`,
    '',
    '| documents | corpus MB | peak RSS MB | RSS / corpus | peak reached while | wall s | CPU s |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.docs} | ${r.mb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${(r.rssMb / r.mb).toFixed(2)} | ${r.peakStage} | ${r.seconds.toFixed(1)} | ${r.cpu.toFixed(1)} |`),
    '',
    `- the ${large.docs} documents (${large.mb.toFixed(0)} MB) again with the main thread's heap capped at ${HEAP_MB} MB (\`node --max-old-space-size=${HEAP_MB}\`, less than the corpus's text): completes, peak RSS ${capped.rssMb.toFixed(0)} MB, ${capped.seconds.toFixed(1)} s wall, ${capped.cpu.toFixed(1)} s CPU; same articles and manifest: ${sameOutput ? 'yes' : '**no**'}`,
    `- peak RSS grows by **${growth.toFixed(2)} MB per MB of corpus** (${((1000 * (large.rssMb - small.rssMb)) / (large.docs - small.docs)).toFixed(0)} KB per document of about ${(large.mb / large.docs * 1000).toFixed(0)} KB) between the two sizes`,
  ];
  const file = path.join(REPO, 'bench/RESULTS.md');
  // The body without its heading: replaceSection puts the heading back.
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), '## Memory benchmark', lines.slice(2).join('\n')));
  console.log('bench/RESULTS.md updated');
}
