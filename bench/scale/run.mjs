#!/usr/bin/env node
// Scale benchmark harness: generate planted corpora, run the real CLI end to end on each, score, compare with the
// naive all-pairs baseline, and write the "## Scale benchmark" section of bench/RESULTS.md.
//
//   npm run build && node bench/scale/run.mjs [--sizes 10k,100k] [--seed 1] [--naive-sizes 1k,2k | --no-naive]
//        [--profile] [--no-results] [--strict] [--out bench/out/scale] [--cli-arg=--threshold=0.5 ...]
//
// --sizes 1m is explicit (3 GB of files). Corpora are reused when their stamp matches (seed, size, generator).
// The child's peak RSS comes from GNU time (`/usr/bin/time -v`, apt package `time`) when present, else from polling
// /proc/PID/status VmHWM. --profile adds a separate `node --cpu-prof` run at the smallest size (not timed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO, loadSource, parseSize, sizeLabel, writeCorpus } from './generate.mjs';
import { scorePlanted } from './planted.mjs';
import { naiveAt, extrapolate } from './naive.mjs';
import { readProfiles, summariseProfiles } from './profile.mjs';

export const HEADING = '## Scale benchmark';
export const TARGETS = {
  '100k': { seconds: 30, mbPerSec: 10, rssMB: 2048 },
  '1m': { seconds: 600, rssMB: 4096 },
  growth: 11,
  nearJ08: 0.99,
  precision: 0.99,
  partialC05: 0.95,
};

/**
 * Replace the section that starts with `heading` (up to the next heading of the same or higher level) or append it.
 * @param {string} md @param {string} heading e.g. "## Scale benchmark" @param {string} body without the heading line
 */
export function replaceSection(md, heading, body) {
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const section = [heading, '', ...body.replace(/\n+$/, '').split('\n'), ''];
  if (start < 0) {
    const base = md.replace(/\n*$/, '');
    return (base ? base + '\n\n' : '# Benchmark results\n\n') + section.join('\n');
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+)\s/.exec(lines[i]);
    if (m && m[1].length <= level) { end = i; break; }
  }
  return [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').replace(/\n*$/, '\n');
}

/**
 * Run a command, measuring wall time and the child's peak RSS.
 * @param {string[]} argv @param {{ stdout: string, stderr: string, cwd?: string }} io
 * @returns {Promise<{ code: number | null, seconds: number, cpuSeconds: number | null, peakRssKB: number | null, rssSource: string }>}
 */
export async function runMeasured(argv, io) {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const timeFile = io.stderr + '.time';
  const cmd = gnuTime ? ['/usr/bin/time', '-v', '-o', timeFile, ...argv] : argv;
  const out = fs.openSync(io.stdout, 'w');
  const err = fs.openSync(io.stderr, 'w');
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd.slice(1), { cwd: io.cwd ?? REPO, stdio: ['ignore', out, err], env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  let polled = 0;
  const poll = gnuTime
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled, Number(m[1]));
        } catch { /* gone */ }
      }, 50);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  const seconds = (performance.now() - t0) / 1000;
  if (poll) clearInterval(poll);
  fs.closeSync(out);
  fs.closeSync(err);
  let peakRssKB = polled || null;
  let cpuSeconds = null;
  let rssSource = gnuTime ? 'GNU time -v' : '/proc VmHWM polling (50 ms)';
  if (gnuTime && fs.existsSync(timeFile)) {
    const t = fs.readFileSync(timeFile, 'utf8');
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(t);
    if (m) peakRssKB = Number(m[1]);
    else rssSource = 'unavailable';
    const u = /User time \(seconds\): ([\d.]+)/.exec(t);
    const k = /System time \(seconds\): ([\d.]+)/.exec(t);
    if (u && k) cpuSeconds = Number(u[1]) + Number(k[1]);
  }
  return { code: /** @type {number | null} */ (code), seconds, cpuSeconds, peakRssKB, rssSource };
}

const f1 = (/** @type {number} */ x) => x.toFixed(1);
const f3 = (/** @type {number} */ x) => x.toFixed(3);
const pct = (/** @type {number} */ x) => (x * 100).toFixed(1) + '%';
const ok = (/** @type {boolean} */ b) => (b ? 'yes' : '**no**');

/** Markdown for the section body. @param {any} r */
export function formatResults(r) {
  const L = [];
  L.push(`Date: ${r.date}. Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${f1(r.machine.memGB)} GB RAM, ${r.machine.os}, Node ${r.machine.node}.`);
  L.push(`Command: \`${r.command}\` (CLI: \`node bin/clean.js DIR --out OUTDIR --format json --quiet${r.cliArgs.length ? ' ' + r.cliArgs.join(' ') : ''}\`; peak RSS via ${r.rssSource}).`);
  L.push('');
  L.push('Synthetic corpora (bench/scale/generate.mjs, seed ' + r.seed + '): plain-text articles of 2-4 KB in folders of 1000; about half are unrelated single articles, the rest an original with 1-3 planted derivatives (exact copies, near-copies at word edit rates 0.5-20%, partial copies of 30-75% of the original plus new text). See bench/scale/README.md.');
  L.push('');
  L.push('| size | documents | MB | wall s | CPU s | docs/s | MB/s | peak RSS MB | load avg | exit | time target | RSS target |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const s of r.sizes) {
    const t = TARGETS[/** @type {'100k'|'1m'} */ (s.label)];
    const failed = s.code !== 0 ? `**failed (exit ${s.code})**` : null;
    const tt = failed ?? (t ? `≤ ${t.seconds} s${'mbPerSec' in t ? `, ≥ ${t.mbPerSec} MB/s` : ''}: ${ok(s.seconds <= t.seconds && (!('mbPerSec' in t) || s.mbPerSec >= t.mbPerSec))}` : '');
    const rt = t ? `≤ ${t.rssMB} MB: ${ok(s.peakRssMB !== null && s.peakRssMB <= t.rssMB)}` : '';
    L.push(`| ${s.label} | ${s.files} | ${f1(s.mb)} | ${f1(s.seconds)} | ${s.cpuSeconds === null ? '?' : f1(s.cpuSeconds)} | ${Math.round(s.docsPerSec)} | ${f1(s.mbPerSec)} | ${s.peakRssMB === null ? '?' : Math.round(s.peakRssMB)} | ${s.load} | ${s.code} | ${tt} | ${rt} |`);
  }
  L.push('');
  if (r.growth !== null) L.push(`Growth time(100k)/time(10k) = **${r.growth.toFixed(2)}** (target ≤ ${TARGETS.growth}: ${ok(r.growth <= TARGETS.growth)}; 10× the documents).`);
  L.push('');
  L.push('Planted relations (a pair is found when both documents are members of one cluster in the JSON report; pair precision = share of same-cluster document pairs that belong to one planted group, i.e. an original and its derivatives):');
  L.push('');
  L.push(`| size | near J≥0.8 recall (≥ ${TARGETS.nearJ08}) | partial C≥0.5 recall (≥ ${TARGETS.partialC05}) | exact recall | pair precision (≥ ${TARGETS.precision}) | false pairs | impure clusters | largest cluster |`);
  L.push('|---|---|---|---|---|---:|---:|---:|');
  for (const s of r.sizes) {
    if (!s.score) { L.push(`| ${s.label} | (no report: ${s.error}) | | | | | | |`); continue; }
    const q = s.score;
    L.push(`| ${s.label} | ${f3(q.targets.nearJ08.recall)} of ${q.targets.nearJ08.pairs}: ${ok(q.targets.nearJ08.recall >= TARGETS.nearJ08)} | ${f3(q.targets.partialC05.recall)} of ${q.targets.partialC05.pairs}: ${ok(q.targets.partialC05.recall >= TARGETS.partialC05)} | ${f3(q.targets.exact.recall)} of ${q.targets.exact.pairs} | ${q.precision.precision.toFixed(4)}: ${ok(q.precision.precision >= TARGETS.precision)} | ${q.precision.falsePairs} | ${q.precision.impureClusters} | ${q.precision.largestCluster} |`);
  }
  const last = [...r.sizes].reverse().find((s) => s.score);
  if (last) {
    L.push('');
    L.push(`Recall by measured similarity at ${last.label} (J = word-3-gram Jaccard, C = share of the original's 3-grams in the copy; no targets below J 0.8 / C 0.5):`);
    L.push('');
    L.push('| bucket | pairs | found | recall |');
    L.push('|---|---:|---:|---:|');
    for (const [k, v] of Object.entries(last.score.byBucket)) L.push(`| ${k} | ${v.pairs} | ${v.found} | ${f3(v.recall)} |`);
    if (last.score.documents.missing || last.score.documents.duplicated) {
      L.push('');
      L.push(`Documents missing from the report: ${last.score.documents.missing}; listed twice: ${last.score.documents.duplicated}.`);
    }
  }
  if (r.naive) {
    L.push('');
    L.push(`Naive baseline (bench/scale/naive.mjs): \`string-similarity\` compareTwoStrings on all pairs, union-find at ≥ ${r.naive.threshold}, same generator and seed, in one process (reading excluded):`);
    L.push('');
    L.push('| documents | pairs | wall s | CPU s | CPU µs/pair | near J≥0.8 recall | partial C≥0.5 recall | pair precision |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of r.naive.runs) L.push(`| ${n.size} | ${n.pairs} | ${f1(n.seconds)} | ${f1(n.cpuSeconds)} | ${Math.round(n.cpuUsPerPair)} | ${f3(n.nearJ08)} | ${f3(n.partialC05)} | ${f3(n.precision)} |`);
    L.push('');
    L.push(`Extrapolated (quadratic, from ${r.naive.from} documents) to 100k: **${f1(r.naive.at100k / 3600)} h** wall, ${f1(r.naive.cpuAt100k / 3600)} h CPU` +
      (r.naive.ours100k ? `; that is **${Math.round(r.naive.at100k / r.naive.ours100k)}×** our end-to-end wall time at 100k (${f1(r.naive.ours100k)} s)` +
        (r.naive.oursCpu100k ? ` and ${Math.round(r.naive.cpuAt100k / r.naive.oursCpu100k)}× our CPU time (${f1(r.naive.oursCpu100k)} s)` : '') + `${r.naive.oursNote}.` : '.'));
  }
  if (r.profile) {
    L.push('');
    L.push(`CPU profile of the ${r.profile.label} run (\`node --cpu-prof\`, all threads, ${f1(r.profile.totalMs / 1000)} s sampled), self time:`);
    L.push('');
    L.push('| file | self | share |');
    L.push('|---|---:|---:|');
    for (const x of r.profile.files.slice(0, 10)) L.push(`| ${x.name} | ${f1(x.ms / 1000)} s | ${pct(x.share)} |`);
    L.push('');
    L.push('| function | self | share |');
    L.push('|---|---:|---:|');
    for (const x of r.profile.functions.slice(0, 15)) L.push(`| \`${x.name}\` | ${f1(x.ms / 1000)} s | ${pct(x.share)} |`);
  }
  if (r.notes.length) {
    L.push('');
    for (const n of r.notes) L.push(`- ${n}`);
  }
  return L.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (/** @type {string} */ name, /** @type {string} */ def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  if (args.includes('--from-results')) {
    // re-render RESULTS.md from the last results.json (no runs)
    const out = path.resolve(opt('--out', path.join(REPO, 'bench/out/scale')));
    const r = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    if (r.sizes.some((/** @type {any} */ s) => s.code !== 0)) r.growth = null;
    for (const n of args.filter((a) => a.startsWith('--note=')).map((a) => a.slice(7))) r.notes.push(n);
    const file = path.join(REPO, 'bench/RESULTS.md');
    fs.writeFileSync(file, replaceSection(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', HEADING, formatResults(r)));
    console.log(formatResults(r));
    return;
  }
  const seed = Number(opt('--seed', '1'));
  const out = path.resolve(opt('--out', path.join(REPO, 'bench/out/scale')));
  const sizes = opt('--sizes', '10k,100k').split(',').map(parseSize).sort((a, b) => a - b);
  const cliArgs = args.filter((a) => a.startsWith('--cli-arg=')).map((a) => a.slice('--cli-arg='.length));
  const log = (/** @type {string} */ s) => console.error(s);
  const bin = path.join(REPO, 'bin/clean.js');
  if (!fs.existsSync(path.join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ missing: npm run build first');

  const src = loadSource();
  const notes = [];
  /** @type {any[]} */
  const results = [];
  let rssSource = '';
  for (const size of sizes) {
    const label = sizeLabel(size);
    const root = path.join(out, `n${label}-s${seed}`);
    log(`[${label}] corpus…`);
    const c = writeCorpus({ root, size, seed, src, log });
    log(`[${label}] ${c.files} files, ${f1(c.bytes / 1e6)} MB${c.reused ? ' (reused)' : ` generated in ${f1(c.seconds)} s`}`);
    const outDir = path.join(root, 'out');
    fs.rmSync(outDir, { recursive: true, force: true });
    const reportFile = path.join(root, 'report.json');
    const loadBefore = os.loadavg()[0].toFixed(1);
    log(`[${label}] clean… (load average ${loadBefore})`);
    const m = await runMeasured([process.execPath, bin, c.docsDir, '--out', outDir, '--format', 'json', '--quiet', ...cliArgs], {
      stdout: reportFile,
      stderr: path.join(root, 'stderr.txt'),
    });
    rssSource = m.rssSource;
    const mb = c.bytes / 1e6;
    /** @type {any} */
    const s = { label, size, files: c.files, mb, seconds: m.seconds, cpuSeconds: m.cpuSeconds, load: loadBefore, docsPerSec: c.files / m.seconds, mbPerSec: mb / m.seconds,
      peakRssMB: m.peakRssKB === null ? null : m.peakRssKB / 1024, code: m.code, score: null, error: null };
    if (m.code !== 0) {
      const tail = fs.readFileSync(path.join(root, 'stderr.txt'), 'utf8').trim().split('\n').slice(-3).join(' / ');
      s.error = `exit ${m.code}: ${tail.slice(0, 300)}`;
      notes.push(`${label}: the CLI exited ${m.code}: ${tail.slice(0, 300)}`);
    }
    try {
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      const truth = JSON.parse(fs.readFileSync(c.truthFile, 'utf8'));
      s.score = scorePlanted(report, truth);
    } catch (e) {
      s.error ??= `report unreadable: ${/** @type {Error} */ (e).message.slice(0, 200)}`;
    }
    log(`[${label}] ${f1(m.seconds)} s (CPU ${m.cpuSeconds === null ? '?' : f1(m.cpuSeconds)} s), ${Math.round(s.docsPerSec)} docs/s, ${f1(s.mbPerSec)} MB/s, peak RSS ${s.peakRssMB === null ? '?' : Math.round(s.peakRssMB)} MB, exit ${m.code}` +
      (s.score ? `; near J≥0.8 ${f3(s.score.targets.nearJ08.recall)}, partial C≥0.5 ${f3(s.score.targets.partialC05.recall)}, precision ${f3(s.score.precision.precision)}` : `; ${s.error}`));
    results.push(s);
    if (!args.includes('--keep-output')) fs.rmSync(outDir, { recursive: true, force: true });
  }
  const busy = results.filter((s) => Number(s.load) > os.cpus().length);
  if (busy.length) notes.push(`The machine was shared while timing (1-minute load average above the ${os.cpus().length} CPUs before ${busy.map((s) => s.label).join(', ')}): wall times are pessimistic; CPU times are the steadier figure.`);
  const t10 = results.find((s) => s.size === 1e4);
  const t100 = results.find((s) => s.size === 1e5);
  const growth = t10 && t100 && t10.code === 0 && t100.code === 0 ? t100.seconds / t10.seconds : null;
  if (t10 && t100 && growth === null) notes.push('No growth ratio: a run failed.');

  /** @type {any} */
  let naive = null;
  if (!args.includes('--no-naive')) {
    const runs = [];
    for (const n of opt('--naive-sizes', '1k,2k').split(',').map(parseSize)) {
      log(`[naive ${sizeLabel(n)}] …`);
      runs.push(naiveAt({ size: n, seed, out, src, fresh: args.includes('--naive-fresh') }));
    }
    const at100k = extrapolate(runs, 1e5);
    const cpuAt100k = extrapolate(runs, 1e5, 'cpuSeconds');
    let ours100k = t100?.seconds ?? null;
    let oursCpu100k = t100?.cpuSeconds ?? null;
    let oursNote = '';
    if (!ours100k && results.length) {
      const big = results[results.length - 1];
      ours100k = (big.seconds * 1e5) / big.size;
      oursCpu100k = big.cpuSeconds === null ? null : (big.cpuSeconds * 1e5) / big.size;
      oursNote = ` (ours scaled linearly from ${big.label})`;
    }
    naive = { threshold: runs[0]?.threshold, runs, at100k, cpuAt100k, ours100k, oursCpu100k, oursNote, from: Math.max(...runs.map((x) => x.size)) };
  }

  /** @type {any} */
  let profile = null;
  if (args.includes('--profile')) {
    const size = sizes[0];
    const label = sizeLabel(size);
    const root = path.join(out, `n${label}-s${seed}`);
    const profDir = path.join(out, `profile-${label}`);
    fs.rmSync(profDir, { recursive: true, force: true });
    fs.mkdirSync(profDir, { recursive: true });
    const outDir = path.join(root, 'out-prof');
    fs.rmSync(outDir, { recursive: true, force: true });
    log(`[profile ${label}] …`);
    await runMeasured([process.execPath, '--cpu-prof', '--cpu-prof-dir', profDir, bin, path.join(root, 'docs'), '--out', outDir, '--format', 'json', '--quiet', ...cliArgs], {
      stdout: path.join(profDir, 'report.json'),
      stderr: path.join(profDir, 'stderr.txt'),
    });
    fs.rmSync(outDir, { recursive: true, force: true });
    profile = { label, ...summariseProfiles(readProfiles(profDir), 20) };
    for (const x of profile.functions.slice(0, 12)) log(`  ${pct(x.share).padStart(6)} ${f1(x.ms / 1000).padStart(6)} s  ${x.name}`);
  }

  const cpus = os.cpus();
  const r = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? '?', memGB: os.totalmem() / 2 ** 30, os: `${os.type()} ${os.release()}`, node: process.version },
    command: `node bench/scale/run.mjs ${args.join(' ')}`.trim(),
    cliArgs,
    rssSource,
    seed,
    sizes: results,
    growth,
    naive,
    profile,
    notes,
  };
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(r, null, 2) + '\n');
  const md = formatResults(r);
  if (!args.includes('--no-results')) {
    const file = path.join(REPO, 'bench/RESULTS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    fs.writeFileSync(file, replaceSection(old, HEADING, md));
    log(`wrote ${path.relative(REPO, file)} (${HEADING})`);
  }
  console.log(md);
  if (args.includes('--strict')) {
    const fails = [];
    for (const s of results) {
      const t = TARGETS[/** @type {'100k'|'1m'} */ (s.label)];
      if (t && (s.seconds > t.seconds || (s.peakRssMB ?? Infinity) > t.rssMB || ('mbPerSec' in t && s.mbPerSec < t.mbPerSec))) fails.push(`${s.label} speed/memory`);
      if (!s.score) fails.push(`${s.label} no report`);
      else {
        if (s.score.targets.nearJ08.recall < TARGETS.nearJ08) fails.push(`${s.label} near recall`);
        if (s.score.targets.partialC05.recall < TARGETS.partialC05) fails.push(`${s.label} partial recall`);
        if (s.score.precision.precision < TARGETS.precision) fails.push(`${s.label} precision`);
      }
    }
    if (growth !== null && growth > TARGETS.growth) fails.push('growth');
    if (fails.length) {
      console.error(`targets missed: ${fails.join(', ')}`);
      process.exitCode = 1;
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
