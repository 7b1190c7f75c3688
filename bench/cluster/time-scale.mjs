#!/usr/bin/env node
// Time the CLUSTER stage alone (clusterDocs) on a synthetic corpus from bench/scale, and score it against the
// planted truth. The corpus's fingerprints are made once (a crude reader: first line title, other lines paragraphs)
// and cached beside it as fingerprints-<hash of the fingerprint code and vocabulary>.bin, so repeated timings measure clustering only.
//   npm run build
//   node bench/scale/generate.mjs --sizes 100k          (once; writes bench/out/scale/n100k-s1)
//   node --max-old-space-size=8000 bench/cluster/time-scale.mjs [bench/out/scale/n100k-s1] [--set key=value ...]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adjustedRandIndex, pairwise } from './score.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.CLEAN_DIST ?? path.join(repo, 'dist');
const { fingerprint } = await import(pathToFileURL(path.join(dist, 'fingerprint/index.js')).href);
const cluster = await import(pathToFileURL(path.join(dist, 'cluster/index.js')).href);
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--set') {
    const [k, v] = args[++i].split('=');
    if (!(k in cluster.PARAMS)) throw new Error(`unknown parameter ${k}`);
    cluster.PARAMS[k] = Number(v);
  }
}
const root = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--set') ?? path.join(repo, 'bench/out/scale/n100k-s1'));
const names = [];
for (const d of readdirSync(path.join(root, 'docs')).sort()) for (const f of readdirSync(path.join(root, 'docs', d)).sort()) names.push(`${d}/${f}`);

// the cache is keyed by the fingerprint code itself, so a changed tokenizer never reuses stale fingerprints
const fpDir = path.join(dist, 'fingerprint');
const code = createHash('sha1');
for (const f of readdirSync(fpDir).filter((x) => x.endsWith('.js')).sort()) code.update(readFileSync(path.join(fpDir, f)));
const vocabFile = path.join(dist, '../data/background-df.json');
if (existsSync(vocabFile)) code.update(readFileSync(vocabFile));
const cache = path.join(root, `fingerprints-${code.digest('hex').slice(0, 12)}.bin`);
let fps;
if (existsSync(cache) && process.env.FRESH !== '1') fps = v8.deserialize(readFileSync(cache));
else {
  const t = performance.now();
  fps = names.map((n) => {
    const lines = readFileSync(path.join(root, 'docs', n), 'utf8').split(/\r?\n/).map((l) => l.trim());
    const meta = { title: lines[0] || null, dek: null, byline: null, credits: [], source: null, dateline: null, date: null, url: null };
    return fingerprint({ path: n, format: 'text', meta, paragraphs: lines.slice(1).filter(Boolean), removed: [], repairs: [], words: 0 });
  });
  console.error(`fingerprinted ${fps.length} documents in ${((performance.now() - t) / 1000).toFixed(1)} s (cached in ${cache})`);
  writeFileSync(cache, v8.serialize(fps));
}

const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const groups = cluster.clusterDocs(fps, {});
const ms = performance.now() - t0;
const truth = JSON.parse(readFileSync(path.join(root, 'truth.json'), 'utf8')).groups;
const pred = new Array(fps.length);
groups.forEach((g, gi) => g.members.forEach((m) => (pred[m] = gi)));
const gold = names.map((n, i) => truth[n] ?? `single-${i}`);
const pw = pairwise(pred, gold);
console.log(
  `${fps.length} documents: clusterDocs ${(ms / 1000).toFixed(2)} s, ${groups.length} clusters, ` +
    `ARI ${adjustedRandIndex(pred, gold).toFixed(4)}, pairwise P ${pw.precision.toFixed(4)} R ${pw.recall.toFixed(4)}, ` +
    `RSS ${(rss0 / 1e6).toFixed(0)} -> ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, load ${os.loadavg()[0].toFixed(1)}`,
);

// kept for `node bench/cluster/run.mjs --results` (bench/out is not committed)
const outDir = path.join(repo, 'bench/out/cluster');
mkdirSync(outDir, { recursive: true });
const store = path.join(outDir, 'time-scale.json');
const runs = existsSync(store) ? JSON.parse(readFileSync(store, 'utf8')) : {};
runs[fps.length] = {
  documents: fps.length,
  seconds: Math.round(ms) / 1000,
  ari: adjustedRandIndex(pred, gold),
  precision: pw.precision,
  recall: pw.recall,
  rssMB: Math.round(process.memoryUsage().rss / 1e6),
  load: os.loadavg()[0],
  date: new Date().toISOString().slice(0, 16).replace('T', ' '),
};
writeFileSync(store, JSON.stringify(runs, null, 2) + '\n');
