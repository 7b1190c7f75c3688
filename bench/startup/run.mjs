#!/usr/bin/env node
// npm run bench:startup — what a short run costs before it does anything: the `clean` executable (which runs the
// bundle, dist/bundle/, with its V8 code cache) against two baselines run in this same script: the same package
// without the code cache (a copy of bin/, dist/ and data/ in a temporary folder, the cache left out), and the CLI
// loaded module by module from dist/; and Node alone. Runs alternate so the machine's drift falls on all of them;
// medians are reported, and the "## Start-up benchmark" section of bench/RESULTS.md is written.
//
//   node bench/startup/run.mjs [--runs 21] [--no-results]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { REPO } from '../scale/generate.mjs';
import { replaceSection } from '../scale/run.mjs';
import { median } from '../cache/floor.mjs';

const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 21);
const writeResults = !args.includes('--no-results');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-startup-bench-'));
// the baseline: the CLI as tsc wrote it, one module at a time
const modules = path.join(work, 'modules.mjs');
fs.writeFileSync(modules, `import { main } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'dist/cli/main.js')).href)};\nmain();\n`);
const bundle = path.join(REPO, 'bin/clean.js');
// the baseline of the code cache: the package as built, but the cache
const copy = path.join(work, 'package');
for (const part of ['bin', 'dist', 'data', 'package.json']) fs.cpSync(path.join(REPO, part), path.join(copy, part), { recursive: true });
fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'));
fs.rmSync(path.join(copy, 'dist/bundle/cli.cjs.cache'));
const uncached = path.join(copy, 'bin/clean.js');

const tasks = {
  // the whole start and nothing else
  version: { argv: ['--version'], input: undefined },
  // a page piped through, as an editor or a script does: read, clean, print
  pipe: { argv: ['-'], input: fs.readFileSync(path.join(REPO, 'fixtures/001_meridian-wire-porthaven-dock-deal.txt')) },
  // the bundled fixtures with a JSON report, as a pre-commit hook runs over a small corpus
  fixtures: { argv: [path.join(REPO, 'fixtures'), '--check', '--format', 'json'], input: undefined },
};
const entries = { bundle, uncached, modules, node: null };
/** [task][entry] → seconds of each run */
const times = Object.fromEntries(Object.keys(tasks).map((t) => [t, { bundle: [], uncached: [], modules: [], node: [] }]));
const outputs = {};
for (let r = 0; r < runs; r++) {
  for (const [name, task] of Object.entries(tasks)) {
    for (const [entry, file] of Object.entries(entries)) {
      if (entry === 'node' && name !== 'version') continue;
      const argv = file ? [file, ...task.argv] : ['-e', '0'];
      const t0 = performance.now();
      const res = spawnSync(process.execPath, argv, { input: task.input, encoding: 'utf8', cwd: work, env: { ...process.env, CI: '1', NO_COLOR: '1' } });
      times[name][entry].push((performance.now() - t0) / 1000);
      if (res.status !== 0 && !(name === 'fixtures' && res.status === 1)) throw new Error(`${entry} ${name}: exit ${res.status}: ${res.stderr.slice(0, 300)}`);
      if (file) {
        // the executable must say what the baselines say
        if (entry === 'bundle') outputs[name] = res.stdout;
        else if (outputs[name] !== res.stdout) throw new Error(`${name}: the executable and ${entry} printed different output`);
      }
    }
  }
}
fs.rmSync(work, { recursive: true, force: true });

const ms = (xs) => (median(xs) * 1000).toFixed(0);
const rows = Object.keys(tasks).map((t) => {
  const b = median(times[t].bundle);
  const u = median(times[t].uncached);
  const m = median(times[t].modules);
  return `| ${t} | ${ms(times[t].bundle)} | ${ms(times[t].uncached)} | ${ms(times[t].modules)} | ${(b / u).toFixed(2)} | ${(b / m).toFixed(2)} |`;
});
const body = [
  `Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; \`npm run bench:startup\`, medians of ${runs} runs each, alternating. Node alone (\`node -e 0\`): ${ms(times.version.node)} ms.`,
  '',
  '| run | `clean` ms | the bundle without its code cache ms | modules of dist/ ms | ratio to no code cache | ratio to modules |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `version: \`clean --version\`. pipe: one fixture article through \`clean -\`. fixtures: \`clean fixtures --check --format json\` (${fs.readdirSync(path.join(REPO, 'fixtures')).length} files). \`clean\` runs the bundle (\`scripts/bundle.config.mjs\`) with the V8 code cache made at build time (\`src/cli/bundle-loader.ts\`, \`scripts/code-cache.mjs\`); it printed the same output as both baselines in every run.`,
].join('\n');
console.log(body);
if (writeResults) {
  const file = path.join(REPO, 'bench/RESULTS.md');
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), '## Start-up benchmark', body));
  console.log(`\nwrote the "## Start-up benchmark" section of ${path.relative(process.cwd(), file)}`);
}
