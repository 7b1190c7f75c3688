#!/usr/bin/env node
// npm run bench:cache:pair -- <A> <B> — two builds of clean compared on warm --cache runs with one article changed, in
// paired rounds. A and B are checkouts (folders with a built bin/clean.js) or bin/clean.js files; by default A is this
// checkout's build and B must be given.
//
// Each build works on its own copy of the 10,000-article corpus (bench/scale/generate.mjs) with its own cache file,
// made by one cold run. Each round appends the same sentence (edits.mjs) to the same article in both copies and runs
// both builds, then puts the article back as it was and runs both again: every run is a warm run with one file changed,
// and the copies stay at the corpus as generated, so that rounds do not drift (a rig edited round after round builds up
// changes: copies edited out of their groups, template lines, a cache file that grows). The order of A and B alternates.
// What is reported is the median of the rounds' differences B - A, for wall time and CPU time (user + system, through
// GNU time where there is one): a 2-core VM's timings move by a tenth from run to run and by a third from hour to hour,
// and a difference taken within a round, on the same edit, cancels both. A difference of 10-20 ms in wall time needs 30
// rounds or so (CPU time comes from GNU time in whole centiseconds). An even number of rounds lets each build go first
// as often as the other.
//
//   node bench/cache/pair.mjs <A> <B> [--rounds 30] [--size 10000] [--seed 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeCorpus, REPO } from '../scale/generate.mjs';
import { EDITS } from './edits.mjs';

// options as `--name value` or `--name=value`; the rest are the builds
const options = new Map();
const positional = [];
for (const args = process.argv.slice(2); args.length > 0; ) {
  const a = args.shift();
  if (!a.startsWith('--')) positional.push(a);
  else if (a.includes('=')) options.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
  else options.set(a, args.shift());
}
const opt = (name, def) => options.get(name) ?? def;
if (positional.length < 1 || positional.length > 2) {
  console.error('usage: node bench/cache/pair.mjs [A] B [--rounds 30] [--size 10000] [--seed 1]  (A, B: checkouts or bin/clean.js files; A defaults to this one)');
  process.exit(2);
}
const [binA, binB] = (positional.length === 1 ? [REPO, positional[0]] : positional).map(executable);
const rounds = Number(opt('--rounds', '30'));
const size = Number(opt('--size', '10000'));
let seed = Number(opt('--seed', '1')) >>> 0;

/** bin/clean.js of a checkout, or the file itself. */
function executable(p) {
  const abs = path.resolve(p);
  const bin = fs.statSync(abs).isDirectory() ? path.join(abs, 'bin/clean.js') : abs;
  if (!fs.existsSync(bin) || !fs.existsSync(path.join(path.dirname(path.dirname(bin)), 'dist/bundle/cli.cjs'))) throw new Error(`${bin}: not built (npm run build in that checkout first)`);
  // a copy of dist/ alone would run with an empty background vocabulary: other weights, other scores, other work
  if (!fs.existsSync(path.join(path.dirname(path.dirname(bin)), 'data/background-df.json'))) throw new Error(`${bin}: no data/ beside it (compare whole checkouts)`);
  return bin;
}

/** A small seeded generator (mulberry32): the same articles are edited for the same seed. */
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}

const corpus = writeCorpus({ root: path.join(REPO, 'bench/out/cache', String(size)), size, seed: 7, log: console.log });
// CPU time through GNU time (BSD's has no -f): whole centiseconds, so CPU differences come in steps of 10 ms
const GNU_TIME = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/time' : null;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-cache-pair-'));

/** One build's copy of the corpus, its cache file and output folder. */
function rig(name, bin) {
  const dir = path.join(work, name);
  fs.cpSync(corpus.docsDir, path.join(dir, 'docs'), { recursive: true });
  return { name, bin, dir, docs: path.join(dir, 'docs'), timeFile: path.join(dir, 'time.txt') };
}

/** One run of a build on its rig: wall and CPU milliseconds, and its report with the rig's folder taken out. */
function run(r) {
  const argv = [process.execPath, r.bin, r.docs, '--out', path.join(r.dir, 'out'), '--quiet', '--format', 'json', '--cache-location', path.join(r.dir, 'cache.bin')];
  const cmd = GNU_TIME ? [GNU_TIME, '-f', '%U %S', '-o', r.timeFile, ...argv] : argv;
  const t0 = performance.now();
  const p = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: '1' } });
  const wall = performance.now() - t0;
  if (p.status !== 0) throw new Error(`${r.bin} exited ${p.status}: ${p.stderr.slice(0, 500)}`);
  const cpu = GNU_TIME ? fs.readFileSync(r.timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : NaN;
  return { wall, cpu, report: p.stdout.split(r.dir).join('<rig>') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  const a = rig('a', binA);
  const b = rig('b', binB);
  console.log(`A: ${binA}\nB: ${binB}\ncold runs…`);
  run(a);
  run(b);
  const files = fs.readdirSync(path.join(a.docs, '0000')).sort();
  /** Per kind of run (the edit, the article put back): each round's A and B figures. */
  const kinds = { edited: [], 'put back': [] };
  let agree = true;
  for (let i = 0; i < rounds; i++) {
    const name = path.join('0000', files[Math.floor(random() * files.length)]);
    const original = fs.readFileSync(path.join(a.docs, name));
    const sentence = EDITS[i % EDITS.length];
    for (const [kind, change] of [
      ['edited', (r) => fs.appendFileSync(path.join(r.docs, name), `\n${sentence}\n`)],
      ['put back', (r) => fs.writeFileSync(path.join(r.docs, name), original)],
    ]) {
      change(a);
      change(b);
      // A first in even rounds' edits and odd rounds' put-backs: each build goes first as often as the other
      const firstA = (i % 2 === 0) === (kind === 'edited');
      const [ra, rb] = firstA ? [run(a), run(b)] : [run(b), run(a)].reverse();
      if (ra.report !== rb.report) {
        if (agree) {
          // the first difference, kept for a look
          fs.writeFileSync(path.join(os.tmpdir(), 'clean-pair-a.json'), ra.report);
          fs.writeFileSync(path.join(os.tmpdir(), 'clean-pair-b.json'), rb.report);
          console.log(`round ${i + 1} (${kind}): the reports differ (${path.join(os.tmpdir(), 'clean-pair-a.json')} and -b.json)`);
        }
        agree = false;
      }
      kinds[kind].push({ a: ra, b: rb });
    }
    process.stdout.write(`round ${i + 1}: ${kinds.edited[i].a.wall.toFixed(0)}/${kinds.edited[i].b.wall.toFixed(0)} ${kinds['put back'][i].a.wall.toFixed(0)}/${kinds['put back'][i].b.wall.toFixed(0)} ms\n`);
  }
  const f0 = (x) => (Number.isNaN(x) ? 'n/a' : x.toFixed(0));
  const signed = (x, digits = 1) => (Number.isNaN(x) ? 'n/a' : `${x > 0 ? '+' : ''}${x.toFixed(digits)}`);
  const lines = [`- ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}; ${os.cpus().length} cores; ${size.toLocaleString('en')} articles; ${rounds} paired rounds`];
  const all = [...kinds.edited, ...kinds['put back']];
  for (const [label, list] of [...Object.entries(kinds), ['all', all]]) {
    const med = (k, f) => median(list.map((x) => x[k][f]));
    const diff = (f) => median(list.map((x) => x.b[f] - x.a[f]));
    const faster = list.filter((x) => x.b.wall < x.a.wall).length;
    lines.push(`- ${label} (${list.length} runs each): wall A ${f0(med('a', 'wall'))} ms, B ${f0(med('b', 'wall'))} ms, B - A **${signed(diff('wall'))} ms** (B faster in ${faster}); CPU A ${f0(med('a', 'cpu'))} ms, B ${f0(med('b', 'cpu'))} ms, B - A ${signed(diff('cpu'), 0)} ms`);
  }
  lines.push(`- reports of A and B identical in every run: ${agree ? 'yes' : '**no**'}`);
  console.log(lines.join('\n'));
  if (!agree) process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
