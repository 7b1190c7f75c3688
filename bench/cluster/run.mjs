#!/usr/bin/env node
// ECB+ event-clustering quality harness.
//   npm run build   (or: npx tsc -p .)
//   node bench/cluster/run.mjs [--threshold X] [--sweep] [--set key=value ...] [--json]
// Reads ../shared/bench/events/ecbplus (or $CLEAN_SHARED/bench/events/ecbplus), clusters all 982 articles and,
// separately, the standard test topics 36-45, and prints ARI, pairwise and B-cubed scores, merged topic-mate events
// and wall time. ECB+ text is one sentence per line, without titles: every line is a paragraph, title null.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scoreAll } from './score.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = process.env.CLEAN_SHARED ?? path.resolve(repo, '../shared');
const dataDir = path.join(shared, 'bench/events/ecbplus');

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const { fingerprint } = await import(pathToFileURL(path.join(repo, 'dist/fingerprint/index.js')).href);
const cluster = await import(pathToFileURL(path.join(repo, 'dist/cluster/index.js')).href);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--set') {
    const [k, v] = args[i + 1].split('=');
    if (!(k in cluster.PARAMS)) throw new Error(`unknown parameter ${k}`);
    cluster.PARAMS[k] = Number(v);
  }
}

function readCsv(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',')));
}
const events = readCsv(path.join(dataDir, 'labels.csv'));
const topics = readCsv(path.join(dataDir, 'labels_topic.csv'));
const files = readdirSync(path.join(dataDir, 'articles'))
  .filter((f) => f.endsWith('.txt'))
  .sort();

function cleanDoc(file) {
  const text = readFileSync(path.join(dataDir, 'articles', file), 'utf8');
  const paragraphs = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return {
    path: file,
    format: 'text',
    meta: { title: null, dek: null, byline: null, credits: [], source: null, dateline: null, date: null, url: null },
    paragraphs,
    removed: [],
    repairs: [],
    words: paragraphs.join(' ').split(/\s+/).filter(Boolean).length,
  };
}

function run(subset, threshold) {
  const t0 = performance.now();
  const docs = subset.map(cleanDoc);
  const t1 = performance.now();
  const fps = docs.map((d) => fingerprint(d));
  const t2 = performance.now();
  const groups = cluster.clusterDocs(fps, threshold === undefined ? {} : { threshold });
  const t3 = performance.now();
  const pred = new Array(subset.length);
  groups.forEach((g, gi) => g.members.forEach((i) => (pred[i] = gi)));
  const gold = subset.map((f) => events.get(f));
  const topic = subset.map((f) => topics.get(f));
  const relations = { exact: 0, 'near-duplicate': 0, 'same-event': 0 };
  for (const g of groups) for (const e of g.edges) relations[e.relation]++;
  return {
    ...scoreAll(pred, gold, topic),
    relations,
    ms: { read: t1 - t0, fingerprint: t2 - t1, cluster: t3 - t2, total: t3 - t0 },
  };
}

const all = files.filter((f) => events.has(f));
const test = all.filter((f) => {
  const t = Number(topics.get(f));
  return t >= 36 && t <= 45;
});
const fmt = (x) => x.toFixed(3);
function line(name, r) {
  return (
    `${name.padEnd(16)} docs ${String(r.documents).padStart(4)}  clusters ${String(r.predictedClusters).padStart(4)}/${r.goldClusters}` +
    `  ARI ${fmt(r.ari)}  pairwise P/R/F1 ${fmt(r.pairwise.precision)}/${fmt(r.pairwise.recall)}/${fmt(r.pairwise.f1)}` +
    `  B3 P/R/F1 ${fmt(r.bcubed.precision)}/${fmt(r.bcubed.recall)}/${fmt(r.bcubed.f1)}` +
    `  merged topic-mates ${r.mergedTopicMates} (>=2 each: ${r.mergedTopicMatesStrict})  time ${r.ms.total.toFixed(0)} ms` +
    ` (fp ${r.ms.fingerprint.toFixed(0)}, cluster ${r.ms.cluster.toFixed(0)})`
  );
}

if (args.includes('--sweep')) {
  for (let t = 0.1; t <= 0.501; t += 0.02) {
    const a = run(all, t);
    const b = run(test, t);
    console.log(`t=${t.toFixed(2)}  all ARI ${fmt(a.ari)} B3 ${fmt(a.bcubed.f1)} mates ${a.mergedTopicMates}  |  test ARI ${fmt(b.ari)} B3 ${fmt(b.bcubed.f1)} mates ${b.mergedTopicMates}`);
  }
} else {
  const thr = opt('--threshold') === undefined ? undefined : Number(opt('--threshold'));
  const a = run(all, thr);
  const b = run(test, thr);
  if (args.includes('--json')) console.log(JSON.stringify({ all: a, test: b }, null, 2));
  else {
    console.log(`threshold ${thr ?? cluster.PARAMS.threshold}`);
    console.log(line('all 982', a));
    console.log(line('topics 36-45', b));
    console.log(`relations (all): ${JSON.stringify(a.relations)}`);
  }
}
