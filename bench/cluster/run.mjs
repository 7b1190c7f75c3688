#!/usr/bin/env node
// ECB+ event-clustering quality harness.
//   npm run build   (or: npx tsc -p .)
//   node bench/cluster/run.mjs [--threshold X] [--sweep] [--set key=value ...] [--json] [--results] [--cli]
// --cli runs the real CLI (`clean FILES --check --format json`: reading and cleaning included) instead of
// building plain-paragraph documents and calling the cluster stage directly.
// --results writes the "## Clustering benchmark (ECB+)" section of bench/RESULTS.md (other sections are kept).
// Reads ../shared/bench/events/ecbplus (or $CLEAN_SHARED/bench/events/ecbplus), clusters all 982 articles and,
// separately, the standard test topics 36-45, and prints ARI, pairwise and B-cubed scores, merged topic-mate events
// and wall time. ECB+ text is one sentence per line, without titles: every line is a paragraph, title null.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
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
// $CLEAN_DIST: another build of src/ (e.g. tsc --outDir /tmp/x/dist) instead of ./dist
const dist = process.env.CLEAN_DIST ?? path.join(repo, 'dist');
const { fingerprint } = await import(pathToFileURL(path.join(dist, 'fingerprint/index.js')).href);
const cluster = await import(pathToFileURL(path.join(dist, 'cluster/index.js')).href);
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

/** The same scores from the real CLI's JSON report (`--check` writes nothing; its exit code 1 is expected). */
function runCli(subset, threshold) {
  const t0 = performance.now();
  const argv = [path.join(repo, 'bin/clean.js'), '--check', '--format', 'json', '--quiet'];
  if (threshold !== undefined) argv.push('--threshold', String(threshold));
  const r = spawnSync(process.execPath, [...argv, ...subset.map((f) => path.join(dataDir, 'articles', f))], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`clean exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  const report = JSON.parse(r.stdout);
  const index = new Map(subset.map((f, i) => [f, i]));
  const pred = new Array(subset.length);
  report.clusters.forEach((c, ci) => c.members.forEach((m) => (pred[index.get(path.basename(m.path))] = ci)));
  const relations = { exact: 0, 'near-duplicate': 0, 'same-event': 0 };
  for (const c of report.clusters) for (const m of c.members) if (m.relation in relations) relations[m.relation]++;
  const total = performance.now() - t0;
  return {
    ...scoreAll(pred, subset.map((f) => events.get(f)), subset.map((f) => topics.get(f))),
    relations,
    ms: { read: 0, fingerprint: 0, cluster: 0, total },
  };
}

const all = files.filter((f) => events.has(f));
const test = all.filter((f) => {
  const t = Number(topics.get(f));
  return t >= 36 && t <= 45;
});
// A robustness check beyond ECB+'s design (every event there has 3+ articles): every other event (by id) cut down to
// its first article, so half the events are single articles that must not be absorbed by a same-kind event.
const thinned = (() => {
  const ids = [...new Set(all.map((f) => events.get(f)))].sort();
  const single = new Set(ids.filter((_, i) => i % 2 === 1));
  const seen = new Set();
  return all.filter((f) => {
    const e = events.get(f);
    if (!single.has(e)) return true;
    if (seen.has(e)) return false;
    seen.add(e);
    return true;
  });
})();
const fmt = (x) => x.toFixed(3);
const HEADING = '## Clustering benchmark (ECB+)';
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
  const score = args.includes('--cli') ? runCli : run;
  const a = score(all, thr);
  const b = score(test, thr);
  const c = score(thinned, thr);
  if (args.includes('--json')) console.log(JSON.stringify({ all: a, test: b, thinned: c }, null, 2));
  else {
    console.log(`threshold ${thr ?? cluster.PARAMS.threshold}`);
    console.log(line('all 982', a));
    console.log(line('topics 36-45', b));
    console.log(line('singles-thinned', c));
    console.log(`relations (all): ${JSON.stringify(a.relations)}`);
  }
  if (args.includes('--results')) {
    const file = path.join(repo, 'bench/RESULTS.md');
    const md = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, replaceSection(md, HEADING, formatResults(a, b, c, thr ?? cluster.PARAMS.threshold)));
    console.log(`wrote ${HEADING} in bench/RESULTS.md`);
  }
}

function formatResults(a, b, c, threshold) {
  const row = (name, r, anchor, target) =>
    `| ${name} | ${r.documents} | ${r.predictedClusters}/${r.goldClusters} | **${fmt(r.ari)}** | ${fmt(r.pairwise.precision)} | ${fmt(r.pairwise.recall)} | ${fmt(r.pairwise.f1)} | ${fmt(r.bcubed.f1)} | ${r.mergedTopicMates} | ${anchor} | ${target} |`;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return [
    'ECB+ (982 real articles, 86 seminal events in 43 topics; each topic holds two different events of the same kind, the',
    'hard negatives), clustered with no number of clusters given, at the default settings. Pairwise and B³ scores over',
    'document pairs; "merged topic-mates" counts events put together with their same-topic hard negative.',
    '',
    `- date: ${date} UTC; command: \`npm run build && node bench/cluster/run.mjs --results\`; threshold ${threshold}`,
    `- Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)}`,
    '',
    '| corpus | docs | clusters (found/gold) | ARI | pairwise P | pairwise R | pairwise F1 | B³ F1 | merged topic-mates | anchor | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('all 982', a, 'TF-IDF cosine + average linkage: ARI 0.82', 'ARI ≥ 0.90'),
    row('test topics 36–45', b, 'TF-IDF 1–3-grams + K-means told the true k: ARI 0.965', 'ARI ≥ 0.95 without k'),
    row('singles-thinned (every other event cut to 1 article)', c, '', 'robustness: lone stories stay alone'),
    '',
    'Before the neighbourhood-relative linkage (same harness, threshold 0.2): all 982 ARI 0.841 (P 0.884, R 0.805,',
    'B³ F1 0.871), topics 36–45 ARI 0.804 (P 0.974, R 0.696).',
    '',
    `Time (this machine, ECB+ all): fingerprint ${a.ms.fingerprint.toFixed(0)} ms, cluster ${a.ms.cluster.toFixed(0)} ms.`,
    '',
    'The cluster stage alone (`clusterDocs`) on the synthetic corpora of bench/scale (planted copies and partial copies,',
    'half unrelated singles), fingerprints made beforehand: `node bench/cluster/time-scale.mjs bench/out/scale/n100k-s1`.',
    '',
    ...scaleRows(),
  ].join('\n');
}

function scaleRows() {
  const file = path.join(repo, 'bench/out/cluster/time-scale.json');
  if (!existsSync(file)) return ['(no time-scale.json yet)'];
  const runs = Object.values(JSON.parse(readFileSync(file, 'utf8'))).sort((x, y) => x.documents - y.documents);
  return [
    '| documents | clusterDocs | ARI vs planted | pairwise P | pairwise R | process RSS | load | date (UTC) |',
    '|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.documents} | ${r.seconds.toFixed(2)} s | ${r.ari.toFixed(4)} | ${r.precision.toFixed(4)} | ${r.recall.toFixed(4)} | ${r.rssMB} MB | ${r.load.toFixed(1)} | ${r.date} |`),
  ];
}


/** Replace (or append) one "## " section of a Markdown file, keeping the others. */
function replaceSection(md, heading, body) {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const section = [heading, '', ...body.replace(/\n+$/, '').split('\n'), ''];
  if (start < 0) {
    const base = md.replace(/\n*$/, '');
    return (base ? base + '\n\n' : '# Benchmark results\n\n') + section.join('\n') + '\n';
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^##?\s/.test(lines[i])) {
      end = i;
      break;
    }
  }
  return [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').replace(/\n*$/, '\n');
}
