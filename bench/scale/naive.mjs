#!/usr/bin/env node
// The baseline a user might write: string-similarity's compareTwoStrings (Dice on character bigrams) on every pair,
// then union-find over pairs scoring ≥ threshold. Run on small planted corpora, timed, and extrapolated
// quadratically (the work is exactly n(n-1)/2 comparisons).
//
//   node bench/scale/naive.mjs [--sizes 1k,2k] [--seed 1] [--threshold 0.8] [--out bench/out/scale]
//
// Results are cached in OUT/naive-<size>-s<seed>.json (run.mjs reuses them; --fresh recomputes).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { REPO, generateInMemory, loadSource, parseSize, sizeLabel } from './generate.mjs';
import { scorePlanted } from './planted.mjs';

const require = createRequire(path.join(REPO, 'package.json'));
/** @type {{ compareTwoStrings: (a: string, b: string) => number }} */
const stringSimilarity = require('string-similarity');

/**
 * All-pairs compareTwoStrings + union-find at `threshold`. Texts are read the way a user would (whole file).
 * @param {{ path: string, text: string }[]} docs @param {number} threshold
 */
export function naiveCluster(docs, threshold) {
  const n = docs.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (/** @type {number} */ x) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (stringSimilarity.compareTwoStrings(docs[i].text, docs[j].text) >= threshold) parent[find(i)] = find(j);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const cpuSeconds = (c1.user + c1.system) / 1e6;
  /** @type {Map<number, { path: string }[]>} */
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)?.push({ path: docs[i].path });
  }
  const clusters = [...groups.values()].map((members, i) => ({ id: `c${i + 1}`, members }));
  return { seconds, cpuSeconds, pairs: (n * (n - 1)) / 2, clusters };
}

/**
 * Run (or load cached) naive results at one size.
 * @param {{ size: number, seed: number, threshold?: number, out: string, fresh?: boolean, src?: import('./generate.mjs').Source }} o
 */
export function naiveAt({ size, seed, threshold = 0.8, out, fresh = false, src }) {
  const file = path.join(out, `naive-${sizeLabel(size)}-s${seed}-t${threshold}.json`);
  if (!fresh && fs.existsSync(file)) return { ...JSON.parse(fs.readFileSync(file, 'utf8')), cached: true };
  const corpus = generateInMemory({ size, seed, src: src ?? loadSource() });
  const r = naiveCluster(corpus.docs, threshold);
  const score = scorePlanted({ clusters: r.clusters }, corpus.truth);
  const res = {
    size,
    seed,
    threshold,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    pairs: r.pairs,
    usPerPair: (r.seconds / r.pairs) * 1e6,
    cpuUsPerPair: (r.cpuSeconds / r.pairs) * 1e6,
    nearJ08: score.targets.nearJ08.recall,
    partialC05: score.targets.partialC05.recall,
    precision: score.precision.precision,
    node: process.version,
    date: new Date().toISOString(),
  };
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(res, null, 2) + '\n');
  return { ...res, cached: false };
}

/**
 * Quadratic extrapolation from the largest measured size: t(n) = t(m) · (n(n-1)) / (m(m-1)).
 * @param {{ size: number, seconds: number, cpuSeconds?: number }[]} runs @param {number} n @param {'seconds' | 'cpuSeconds'} [key]
 */
export function extrapolate(runs, n, key = 'seconds') {
  const m = runs.reduce((a, b) => (b.size > a.size ? b : a));
  return ((m[key] ?? m.seconds) * n * (n - 1)) / (m.size * (m.size - 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (/** @type {string} */ name, /** @type {string} */ def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  const seed = Number(opt('--seed', '1'));
  const threshold = Number(opt('--threshold', '0.8'));
  const out = path.resolve(opt('--out', path.join(REPO, 'bench/out/scale')));
  const src = loadSource();
  const runs = [];
  for (const s of opt('--sizes', '1k,2k').split(',')) {
    const size = parseSize(s);
    const r = naiveAt({ size, seed, threshold, out, fresh: args.includes('--fresh'), src });
    runs.push(r);
    console.log(`naive ${sizeLabel(size)}: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds?.toFixed(1)} s CPU for ${r.pairs} pairs (${r.usPerPair.toFixed(0)} µs/pair)` +
      `${r.cached ? ' [cached]' : ''}; near J≥0.8 recall ${r.nearJ08.toFixed(3)}, partial C≥0.5 recall ${r.partialC05.toFixed(3)}, precision ${r.precision.toFixed(3)}`);
  }
  if (runs.length > 1) {
    const [a, b] = runs;
    console.log(`growth exponent (CPU) ${(Math.log(b.cpuSeconds / a.cpuSeconds) / Math.log(b.size / a.size)).toFixed(2)}`);
  }
  console.log(`extrapolated to 100k: ${(extrapolate(runs, 1e5) / 3600).toFixed(1)} h wall, ${(extrapolate(runs, 1e5, 'cpuSeconds') / 3600).toFixed(1)} h CPU`);
}
