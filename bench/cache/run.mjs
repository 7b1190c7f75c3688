#!/usr/bin/env node
// npm run bench:cache — the incremental cache on a 10,000-document corpus: rounds of a cold run with --cache, then
// the same corpus with one file changed, warm. Reports the median of the rounds' warm/cold ratios (paired, so the
// machine's drift cancels), the medians of each kind of run (also: nothing changed, and one article added), and
// writes the "## Cache benchmark" section of bench/RESULTS.md.
//
//   node bench/cache/run.mjs [--size 10000] [--runs 3] [--no-results]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeCorpus, REPO } from '../scale/generate.mjs';
import { replaceSection } from '../scale/run.mjs';
import { measureFloor, median } from './floor.mjs';
import { EDITS } from './edits.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const size = Number(opt('--size', '10000'));
const runs = Number(opt('--runs', '3'));
const writeResults = !args.includes('--no-results');

const root = path.join(REPO, 'bench/out/cache', String(size));
const corpus = writeCorpus({ root, size, seed: 7, log: console.log });
// Work on a copy so changing a file never touches the generated corpus.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-bench-'));
fs.cpSync(corpus.docsDir, path.join(work, 'docs'), { recursive: true });
const cacheFile = path.join(work, 'cache.bin');
const out = path.join(work, 'out');

// CPU time (user + system), peak RSS and minor page faults of each run through GNU time when it is there: CPU is
// steadier than wall time on a busy machine, and on this one a page touched for the first time costs about 11 µs,
// so the faults say how much of a run's time is memory (bench/RESULTS.md).
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const timeFile = path.join(work, 'time.txt');

function timed(extra = [], env = {}) {
  const argv = [process.execPath, path.join(REPO, 'bin/clean.js'), path.join(work, 'docs'), '--out', out, '--quiet', '--format', 'json', ...extra];
  const cmd = GNU_TIME ? [GNU_TIME, '-f', '%U %S %M %R', '-o', timeFile, ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, CI: '1', ...env },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`clean exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [user, system, rssKb, faults] = GNU_TIME ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number) : [NaN, NaN, NaN, NaN];
  return { seconds, cpu: user + system, rssMb: rssKb / 1024, faults, stdout: r.stdout, stderr: r.stderr };
}
const f0 = (ms) => ms.toFixed(0);

// Paired rounds, so that the machine's drift (its timings move by a third from hour to hour) falls on both sides of a
// ratio: each round runs cold (the cache file removed first), then changes one file and runs warm on the cache the cold
// run left, then runs without the cache on that same corpus (its time, and the report the warm run must equal).
const files = fs.readdirSync(path.join(work, 'docs', '0000')).sort();
/** Each kind of run's figures, one per run: wall and CPU seconds, peak RSS MB, minor faults. */
const kind = () => ({ wall: [], cpu: [], rss: [], faults: [] });
const record = (k, r) => {
  k.wall.push(r.seconds);
  k.cpu.push(r.cpu);
  k.rss.push(r.rssMb);
  k.faults.push(r.faults);
};
const cold = kind();
const warm = kind();
const noCache = kind();
const same = kind();
const replayed = kind();
let reportsAgree = true;
/** The last warm run's report, checked against an uncached run's: the runs with nothing changed after it must equal it. */
let lastWarm = '';
let stages = '';
/** [reused, candidates] of the cluster stage's pair scores in the last warm run. */
let reuse = [];
/** Whether that run updated the candidate indexes kept in the cache, or built them. */
let indexes = '';
for (let i = 0; i <= runs; i++) {
  // The last round only shows where a warm run spends its time (CLEAN_TIMINGS), outside the medians.
  const last = i === runs;
  if (!last) {
    fs.rmSync(cacheFile, { force: true });
    record(cold, timed(['--cache-location', cacheFile]));
  }
  const target = path.join(work, 'docs', '0000', files[i % files.length]);
  // One new sentence per round, worded differently each time: the same line added to several files would be a
  // site template (line keys fold digits), which the second pass rightly removes at the cost of a second clustering.
  fs.appendFileSync(target, `\n${EDITS[i % EDITS.length]}\n`);
  const w = timed(['--cache-location', cacheFile], last ? { CLEAN_TIMINGS: '1' } : {});
  if (last) {
    reuse = (w.stderr.match(/pair scores reused (\d+) of (\d+)/) ?? []).slice(1).map(Number);
    indexes = w.stderr.match(/candidate indexes (updated|built)/)?.[1] ?? 'not reported';
    stages = w.stderr
      .split('\n')
      .filter((l) => /^clean: [a-z ]+(?: to \S+)?: [\d.]+ s\b/.test(l))
      .map((l) => l.replace(/^clean: /, '').replace(/ to \S+:/, ':').replace(/ \(peak RSS .*\)$/, ''))
      .join('; ');
  } else record(warm, w);
  // The cached run must give the same report as an uncached one.
  const fresh = timed();
  if (w.stdout !== fresh.stdout) reportsAgree = false;
  lastWarm = w.stdout;
  if (!last) record(noCache, fresh);
}
/** The median of each round's warm / cold: the drift between rounds cancels out. */
const pairedRatio = (w, c) => median(w.map((x, k) => x / c[k]));

// Warm with nothing changed (a pre-commit hook or CI run over a corpus as it was). The first such runs after a change
// are done in full (the first that finds every input remembered keeps its output); the ones after it replay that output
// (src/cli/replay.ts). Each kind is reported apart.
let lastReport = '';
for (let i = 0; i < runs; i++) {
  const w = timed(['--cache-location', cacheFile], { CLEAN_TIMINGS: '1' });
  record(/its output replayed/.test(w.stderr) ? replayed : same, w);
  if (w.stdout !== lastWarm) reportsAgree = false;
  lastReport = w.stdout;
}
// Warm with one article added (a scraper's next day: another outlet's copy of a story, under its own headline), after
// the runs above: each round adds one more, so that each run finds exactly one new file.
const added = kind();
for (let i = 0; i < runs; i++) {
  const source = fs.readFileSync(path.join(work, 'docs', '0000', files[(i + 7) % files.length]), 'utf8');
  const body = source.slice(source.indexOf('\n') + 1);
  fs.writeFileSync(path.join(work, 'docs', '0000', `added-${i}.txt`), `Syndicated: report ${i} from the regional desk\n${body}\nThis article first appeared in a partner publication.\n`);
  const w = timed(['--cache-location', cacheFile]);
  record(added, w);
  if (w.stdout !== timed().stdout) reportsAgree = false;
}

// What no warm run can skip at these formats (floor.mjs), on the same corpus, cache file and outputs.
const floor = await measureFloor({ docs: path.join(work, 'docs'), cacheFile, outDir: out, report: lastReport, runs: Math.max(runs, 5) });

const medians = (k) => ({ wall: median(k.wall), cpu: median(k.cpu), rss: median(k.rss), faults: median(k.faults) });
const result = { size, mb: corpus.bytes / 1e6, cold: medians(cold), noCache: medians(noCache), warm: medians(warm), same: medians(same), replayed: medians(replayed), added: medians(added) };
const ratio = pairedRatio(warm.wall, cold.wall);
const cpuRatio = pairedRatio(warm.cpu, cold.cpu);
const row = (label, m, n) => (n === 0 ? `| ${label} | none | | | |` : `| ${label}${n === undefined ? '' : ` (${n} of ${runs} runs)`} | ${m.wall.toFixed(2)} | ${m.cpu.toFixed(2)} | ${m.rss.toFixed(0)} | ${Math.round(m.faults).toLocaleString('en')} |`);
const lines = [
  `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}; ${os.cpus().length} cores; load average ${os.loadavg()[0].toFixed(1)}`,
  `- command: \`npm run bench:cache\` (${size.toLocaleString('en')} synthetic articles, ${result.mb.toFixed(1)} MB; ${runs} paired rounds, medians)`,
  '',
  '| run | wall s | CPU s (user + system) | peak RSS MB | minor page faults |',
  '|---|---|---|---|---|',
  row('without --cache', result.noCache),
  row('cold, --cache (empty cache file)', result.cold),
  row(`warm, --cache, 1 of ${size.toLocaleString('en')} files changed (the second run after a cold one)`, result.warm),
  row('warm, --cache, nothing changed (the first runs after a change, done in full)', result.same, same.wall.length),
  row("warm, --cache, nothing changed again (the last run's output replayed)", result.replayed, replayed.wall.length),
  row(`warm, --cache, one article added (after the runs above; ${size.toLocaleString('en')} + 1 files)`, result.added),
  '',
  `- warm / cold, the median of the ${runs} rounds' ratios (each round: cold, one file changed, warm): **${ratio.toFixed(3)}** wall (${warm.wall.map((x, k) => (x / cold.wall[k]).toFixed(3)).join(', ')}, in order: only the first round's cold run writes the output folder, the later ones find the articles in place; cold ${cold.wall.map((x) => x.toFixed(2)).join(', ')} s), ${cpuRatio.toFixed(3)} CPU (target < 0.1); the ratio of the medians ${(result.warm.wall / result.cold.wall).toFixed(3)}; cached and uncached reports identical: ${reportsAgree ? 'yes' : '**no**'}`,
  `- one article added / cold, the ratio of the medians: ${(result.added.wall / result.cold.wall).toFixed(3)} (runs ${added.wall.map((x) => x.toFixed(2)).join(', ')} s); reports identical to uncached runs' (every run above): ${reportsAgree ? 'yes' : '**no**'}`,
  `- where one more warm run spent its time (CLEAN_TIMINGS=1): ${stages}`,
  `- the floor of a warm run at these formats (\`bench/cache/floor.mjs\`, medians of ${Math.max(runs, 5)}, one after another): ${floor.seconds.toFixed(2)} s = **${(floor.seconds / result.cold.wall).toFixed(3)}** of cold: starting Node and the CLI ${f0(floor.ms.start)} ms, walking and stating the corpus ${f0(floor.ms.discover)} ms, reading and checking ${floor.readMb.toFixed(0)} MB of the ${floor.cacheMb.toFixed(0)} MB cache file (all but the lazy region of texts and fingerprint arrays and the deferred states) ${f0(floor.ms.cache)} ms, reading the ${floor.manifestMb.toFixed(1)} MB manifest and writing a new one ${f0(floor.ms.manifest)} ms, the JSON report ${f0(floor.ms.report)} ms, an lstat of every output ${f0(floor.ms.outputs)} ms`,
  `- pair scores the cluster stage reused from the cache in that run: ${reuse.length ? `${reuse[0].toLocaleString('en')} of ${reuse[1].toLocaleString('en')} candidates (${((100 * reuse[0]) / reuse[1]).toFixed(1)}%)` : 'none reported'}; candidate indexes ${indexes}`,
];
console.log(lines.join('\n'));
if (writeResults) {
  const file = path.join(REPO, 'bench/RESULTS.md');
  const md = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.writeFileSync(file, replaceSection(md, '## Cache benchmark', lines.join('\n')));
}
fs.rmSync(work, { recursive: true, force: true });
