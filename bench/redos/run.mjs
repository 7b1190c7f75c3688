#!/usr/bin/env node
// ReDoS benchmark (npm run bench:redos): every regular expression in the line-level stages, bounded.
//   1. recheck (static + fuzz analysis) on every regex literal and constant `new RegExp` in src/clean,
//      src/extract-html, src/read, src/write, src/config, and on every built-in rule pattern;
//   2. each vulnerable one is run on recheck's attack string pumped to 100,000 characters (and, for a
//      rule, to its maxLen: longer lines never meet it), in a worker that is stopped after a time limit;
//   3. the whole per-line pipeline (cleanText, and extractHtml on the same text in a <p>) on lines of
//      100,000 repeated characters or pairs, each in a worker with a time limit.
// Prints a table and exits 1 when anything is exponential, over the budget on unbounded input, or hung.
//   --quick       rules only in step 1 (skips the source scan)
//   --budget=MS   time budget per 100k-character line (default 2000)
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { check } from 'recheck';
import { findRegexes } from './regexes.mjs';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const BUDGET = Number(args.find((a) => a.startsWith('--budget='))?.slice(9) ?? 2000);
const HARD_LIMIT = 10_000; // a worker still busy after this is reported as hung and stopped
const N = 100_000;

const { RULES } = await import('../../dist/clean/index.js');
const dist = new URL('../../dist/', import.meta.url).href;
const setup = `const { cleanText } = await import('${dist}clean/index.js'); const { extractHtml } = await import('${dist}extract-html/index.js');`;

/** Run `code` (a function body that returns nothing) in a worker; resolves to ms, or null when stopped at the limit. */
function timed(body, data, limit = HARD_LIMIT) {
  const src = `const { parentPort, workerData } = require('node:worker_threads');
    (async () => { const d = workerData; ${body.setup ?? ''}; const t = performance.now(); ${body.run}; parentPort.postMessage(performance.now() - t); })();`;
  return new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: data });
    const timer = setTimeout(() => w.terminate().then(() => resolve(null)), limit);
    w.once('message', (ms) => {
      clearTimeout(timer);
      w.terminate();
      resolve(ms);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function pumped(attack, length) {
  if (!attack) return null;
  const fixed = attack.pumps.reduce((n, p) => n + p.prefix.length, 0) + attack.suffix.length;
  const per = attack.pumps.reduce((n, p) => n + p.pump.length, 0) || 1;
  const k = Math.max(1, Math.floor((length - fixed) / per));
  return attack.pumps.map((p) => p.prefix + p.pump.repeat(k)).join('') + attack.suffix;
}

async function analyse(items) {
  let next = 0;
  const out = new Array(items.length);
  const conc = Math.max(1, Math.min(4, os.cpus().length));
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await check(items[i].source, items[i].flags.replace(/[gy]/g, ''), { timeout: 10_000 });
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------- 1 + 2: every regex
const items = [
  ...RULES.filter((r) => r.pattern).map((r) => ({ where: `rule ${r.id}`, source: r.pattern.source, flags: r.pattern.flags, maxLen: r.maxLen ?? Infinity })),
  ...(QUICK ? [] : findRegexes().filter((r) => !r.dynamic).map((r) => ({ where: `${r.file}:${r.line}`, source: r.source, flags: r.flags, maxLen: Infinity }))),
];
const started = Date.now();
const verdicts = await analyse(items);
let failures = 0;
const rows = [];
for (let i = 0; i < items.length; i++) {
  const it = items[i];
  const v = verdicts[i];
  const kind = v.status === 'vulnerable' ? v.complexity.type : v.status;
  const row = { where: it.where, kind, at100k: '', atMaxLen: '', pipeline: '', note: '' };
  if (v.status === 'vulnerable') {
    const run = { run: 'new RegExp(d.source, d.flags).test(d.s)' };
    const flags = it.flags.replace(/[gy]/g, '');
    const ms = await timed(run, { source: it.source, flags, s: pumped(v.attack, N) });
    row.at100k = ms === null ? 'HUNG' : `${ms.toFixed(0)} ms`;
    if (Number.isFinite(it.maxLen)) {
      const ms2 = await timed(run, { source: it.source, flags, s: pumped(v.attack, it.maxLen) });
      row.atMaxLen = ms2 === null ? 'HUNG' : `${ms2.toFixed(1)} ms`;
    }
    // The same attack as a line through the pipeline: does the call site bound what the regex sees?
    const attack = pumped(v.attack, N).replace(/[\r\n]/g, ' ');
    const viaText = await timed({ setup, run: "cleanText('x.txt', 'Title\\n\\n' + d.s, 'text')" }, { s: attack });
    const viaHtml = await timed({ setup, run: "extractHtml('<html><body><p>x</p>' + d.s)" }, { s: attack });
    const worst = viaText === null || viaHtml === null ? null : Math.max(viaText, viaHtml);
    row.pipeline = worst === null ? '**HUNG**' : worst > BUDGET ? `**${worst.toFixed(0)} ms**` : `${worst.toFixed(0)} ms`;
    if (worst === null || worst > BUDGET) failures++;
    if (kind === 'exponential') {
      row.note = 'EXPONENTIAL';
      failures++;
    } else {
      row.note = Number.isFinite(it.maxLen) ? `bounded by maxLen ${it.maxLen}` : 'check the call site bounds its input';
    }
  }
  if (v.status === 'unknown') row.note = `recheck: ${v.error?.kind ?? 'unknown'}`;
  if (kind !== 'safe' && kind !== 'linear') rows.push(row);
}
console.log(`\n# Regular expressions: ${items.length} checked in ${((Date.now() - started) / 1000).toFixed(1)} s; not proven linear:\n`);
console.log('| where | complexity | regex alone, attack at 100k chars | at the rule\'s maxLen | attack through cleanText / extractHtml | note |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.where} | ${r.kind} | ${r.at100k} | ${r.atMaxLen} | ${r.pipeline} | ${r.note} |`);

// ---------------------------------------------------------------- 3: the pipeline on adversarial lines
const UNITS = [' ', '\t', 'a', 'A', '0', '.', ',', '-', '–', '|', ':', '/', '!', '?', '<', '>', '&', '"', "'", '“', '’', '»', '«', '(', ')', '*', '_', '#', '=', ';', '\u00a0', 'é', 'â€', 'a ', 'A ', ' on', '0 ', '0,', 'a.', '. ', ' ,', '. .', '<a', '<p>', '&amp;', '&#', 'Ã©', '\u200b', 'by ', 'By A ', ' - ', ' | ', 'x» ', 'http://', 'www.', '$1', '© ', 'Share this ', 'READ ALSO: '];
console.log(`\n# Pipeline on one ${N.toLocaleString('en')}-character line (budget ${BUDGET} ms, stopped at ${HARD_LIMIT} ms):\n`);
console.log('| line of | cleanText | extractHtml | cleanText, 2× the line | growth |\n| --- | --- | --- | --- | --- |');
const line = (u, n) => u.repeat(Math.ceil(n / u.length)).slice(0, n) + '\u0000x';
const show = (ms) => (ms === null ? '**HUNG**' : ms > BUDGET ? `**${ms.toFixed(0)} ms**` : `${ms.toFixed(0)} ms`);
for (const u of UNITS) {
  const text = await timed({ setup, run: "cleanText('x.txt', 'Title\\n\\n' + d.s, 'text')" }, { s: line(u, N) });
  const html = await timed({ setup, run: "extractHtml('<html><body><article><p>' + d.s + '</p></article></body></html>')" }, { s: line(u, N) });
  // Linear work doubles with the line; n² quadruples. Only slow lines are judged (timer noise).
  let growth = '';
  if (text !== null && text > 200) {
    const t2 = await timed({ setup, run: "cleanText('x.txt', 'Title\\n\\n' + d.s, 'text')" }, { s: line(u, 2 * N) });
    const g = t2 === null ? Infinity : t2 / text;
    growth = g > 3 ? `**×${g.toFixed(1)} (superlinear)**` : `×${g.toFixed(1)}`;
    if (g > 3) failures++;
    console.log(`| ${JSON.stringify(u)} | ${show(text)} | ${show(html)} | ${show(t2)} | ${growth} |`);
  } else console.log(`| ${JSON.stringify(u)} | ${show(text)} | ${show(html)} | | |`);
  if (text === null || html === null || text > BUDGET || html > BUDGET) failures++;
}
console.log(failures ? `\n${failures} problem(s).` : '\nNo problems.');
process.exit(failures ? 1 : 0);
