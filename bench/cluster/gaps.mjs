#!/usr/bin/env node
// Event-loop responsiveness of clusterDocsAsync (what Ctrl-C waits for): the longest gap between two runs of a 1 ms
// timer while it clusters, for two builds, alternated.
//   node --max-old-space-size=10000 bench/cluster/gaps.mjs --old /path/to/old/dist --fps fingerprints.bin [--runs 3]
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (dist) => import(pathToFileURL(path.join(path.resolve(dist), 'cluster/index.js')).href);
const builds = { old: await load(opt('--old', '/tmp/wtc-base/dist')), new: await load(opt('--new', path.join(repo, 'dist'))) };
let fps = v8.deserialize(fs.readFileSync(opt('--fps', '/tmp/wt-cluster-fps.bin')));
if (!Array.isArray(fps)) fps = v8.deserialize(Buffer.from(fps.entries)).filter(([k, e]) => e.fp && !k.includes('template')).map(([, e]) => e.fp);
const runs = Number(opt('--runs', 3));
for (let r = 0; r < runs; r++)
  for (const name of r % 2 ? ['new', 'old'] : ['old', 'new']) {
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 1);
    const t = performance.now();
    await builds[name].clusterDocsAsync(fps);
    clearInterval(timer);
    console.log(`${name} clusterDocsAsync ${(performance.now() - t).toFixed(0)} ms, longest event-loop gap ${maxGap.toFixed(1)} ms`);
  }
