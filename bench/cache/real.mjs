#!/usr/bin/env node
// npm run bench:cache:real — the incremental cache on real articles: ECB+'s 982 news articles (86 events, many of one
// kind, joined by weak edges into large components) and the extraction benchmark's 181 scraped pages (whole visible
// text, with their sites' template lines, which a second cluster pass takes off). The synthetic corpus of
// `npm run bench:cache` has neither: its linkage never completes an average, and no article holds a template line.
// Each round: a cold run with --cache, one article given a sentence, a warm run, and an uncached run whose report the
// warm one must equal. Writes the "## Cache benchmark on real articles" section of bench/RESULTS.md.
//
//   node bench/cache/real.mjs [--runs 5] [--cli bin/clean.js] [--no-results]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from '../scale/generate.mjs';
import { replaceSection } from '../scale/run.mjs';
import { median } from './floor.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(opt('--runs', '5'));
const cli = path.resolve(opt('--cli', path.join(REPO, 'bin/clean.js')));
const writeResults = !args.includes('--no-results') && cli === path.join(REPO, 'bin/clean.js');
const SHARED = process.env.CLEAN_SHARED ?? path.resolve(REPO, '../shared');

// a copy of the articles, so that editing one never touches ../shared
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-real-'));
const docs = path.join(work, 'docs');
fs.cpSync(path.join(SHARED, 'bench/events/ecbplus/articles'), path.join(docs, 'ecbplus'), { recursive: true });
fs.cpSync(path.join(SHARED, 'bench/extraction/raw'), path.join(docs, 'pages'), { recursive: true });
const cacheFile = path.join(work, 'cache.bin');
const out = path.join(work, 'out');
const files = fs.readdirSync(path.join(docs, 'ecbplus')).sort();
const bytes = [...fs.readdirSync(path.join(docs, 'ecbplus')).map((f) => path.join(docs, 'ecbplus', f)), ...fs.readdirSync(path.join(docs, 'pages')).map((f) => path.join(docs, 'pages', f))].reduce((n, f) => n + fs.statSync(f).size, 0);

function timed(extra = [], env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, docs, '--out', out, '--quiet', '--format', 'json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: '1', ...env } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`clean exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

// worded differently each round (the same line in several files would be a template line)
const EDITS = [
  'A spokesperson for the regional authority declined to comment further on Tuesday.',
  'Correction: an earlier version of this story gave the wrong date for the hearing.',
  'Police said the investigation would continue through the weekend.',
  'This article was updated with figures released by the ministry after publication.',
  'Editor’s note: a quotation in the fourth paragraph was attributed to the wrong official.',
];
const cold = [];
const warm = [];
const same = [];
let agree = true;
let stats = '';
let stages = '';
for (let i = 0; i < runs; i++) {
  fs.rmSync(cacheFile, { force: true });
  cold.push(timed(['--cache-location', cacheFile]).seconds);
  // articles spread over the topics, one per round
  fs.appendFileSync(path.join(docs, 'ecbplus', files[(i * 197 + 11) % files.length]), `\n${EDITS[i % EDITS.length]}\n`);
  const w = timed(['--cache-location', cacheFile], { CLEAN_TIMINGS: '1' });
  warm.push(w.seconds);
  stats = w.stderr.match(/^clean: \d+ template lines, .*$/m)?.[0].replace(/^clean: /, '') ?? '';
  stages = w.stderr
    .split('\n')
    .filter((l) => /^clean: [a-z ]+(?: to \S+)?: [\d.]+ s\b/.test(l))
    .map((l) => l.replace(/^clean: /, '').replace(/ to \S+:/, ':').replace(/ \(peak RSS .*\)$/, ''))
    .join('; ');
  if (w.stdout !== timed().stdout) agree = false;
  same.push(timed(['--cache-location', cacheFile]).seconds);
}
const ratios = warm.map((x, k) => x / cold[k]);
const lines = [
  `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}; ${os.cpus().length} cores; load average ${os.loadavg()[0].toFixed(1)}`,
  `- command: \`npm run bench:cache:real\` (ECB+'s ${files.length} articles and the extraction benchmark's ${fs.readdirSync(path.join(docs, 'pages')).length} pages, ${(bytes / 1e6).toFixed(1)} MB; ${runs} rounds, medians)`,
  '',
  '| run | wall s |',
  '|---|---|',
  `| cold, --cache (empty cache file) | ${median(cold).toFixed(2)} |`,
  `| warm, --cache, one article given a sentence | ${median(warm).toFixed(2)} |`,
  `| warm, --cache, nothing changed since | ${median(same).toFixed(2)} |`,
  '',
  `- warm / cold, the median of the rounds' ratios: **${median(ratios).toFixed(3)}** (${ratios.map((x) => x.toFixed(3)).join(', ')}); cached and uncached reports identical: ${agree ? 'yes' : '**no**'}`,
  `- the last warm run (CLEAN_TIMINGS=1): ${stats}`,
  `- where it spent its time: ${stages}`,
];
console.log(lines.join('\n'));
if (writeResults) {
  const file = path.join(REPO, 'bench/RESULTS.md');
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), '## Cache benchmark on real articles', lines.join('\n')));
}
fs.rmSync(work, { recursive: true, force: true });
