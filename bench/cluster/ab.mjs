#!/usr/bin/env node
// A/B timing of the CLUSTER stage: clusterDocs (and clusterDocsAsync) from two builds in one process, alternated,
// with wall and CPU (user+system) medians, and a byte-for-byte check of JSON.stringify of the results.
//   node bench/cluster/ab.mjs --old /path/to/old/dist --fps fingerprints.bin [--runs 7] [--async]
// --fps takes a CLI cache file (the fingerprints of all its entries) or a v8-serialised array of fingerprints.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (dist) => import(pathToFileURL(path.join(path.resolve(dist), 'cluster/index.js')).href);
const oldC = await load(opt('--old', '/tmp/wtc-base/dist'));
const newC = await load(opt('--new', path.join(repo, 'dist')));
const runs = Number(opt('--runs', 7));
const useAsync = args.includes('--async');

const fpsFile = fs.readFileSync(opt('--fps', '/tmp/wt-cluster-fps.bin'));
const fps = fpsFile.subarray(0, 8).toString('latin1') === 'ACLEANC3' ? await cachedFingerprints(fpsFile) : v8.deserialize(fpsFile);

/**
 * The fingerprints held in a CLI cache file (src/cache/index.ts lays it out), in key order: each entry record's
 * result decoded by the new build's codec.
 */
async function cachedFingerprints(bytes) {
  const { decodeResult } = await import(pathToFileURL(path.join(path.resolve(opt('--new', path.join(repo, 'dist'))), 'cache/codec.js')).href);
  const pad = (x) => (4 - (x % 4)) % 4;
  const out = [];
  for (let pos = 16 + bytes.readUInt32LE(8); pos + 13 <= bytes.length; ) {
    const length = bytes.readUInt32LE(pos + 5);
    const at = pos + 13;
    if (bytes[pos] === 1) {
      const keyLength = bytes.readUInt16LE(at);
      const key = bytes.toString('utf8', at + 2, at + 2 + keyLength);
      const result = decodeResult(bytes.subarray(at + 2 + keyLength + pad(13 + 2 + keyLength + 40), at + length));
      if (result.fp) out.push([key, result.fp]);
    }
    pos = at + length + pad(13 + length);
  }
  // every entry's (both passes', and the earlier versions of edited files): both builds cluster the same set
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, fp]) => fp);
}
console.error(`${fps.length} fingerprints`);

const run = async (c) => {
  const t = performance.now();
  const u = process.cpuUsage();
  const g = useAsync ? await c.clusterDocsAsync(fps) : c.clusterDocs(fps);
  const d = process.cpuUsage(u);
  return { g, wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
};
const a = JSON.stringify((await run(oldC)).g);
const b = JSON.stringify((await run(newC)).g);
console.log(a === b ? `same output (${a.length} chars)` : 'OUTPUT DIFFERS');
if (a !== b) process.exitCode = 1;
const res = { old: { wall: [], cpu: [] }, new: { wall: [], cpu: [] } };
for (let r = 0; r < runs; r++) {
  for (const [name, c] of r % 2 ? [['new', newC], ['old', oldC]] : [['old', oldC], ['new', newC]]) {
    globalThis.gc?.();
    const x = await run(c);
    res[name].wall.push(x.wall);
    res[name].cpu.push(x.cpu);
  }
}
const med = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
const min = (v) => Math.min(...v);
const f = (x) => x.toFixed(0).padStart(6);
for (const k of ['wall', 'cpu']) {
  const o = med(res.old[k]);
  const n = med(res.new[k]);
  console.log(`${k.padEnd(4)} median old ${f(o)} ms  new ${f(n)} ms  new/old ${(n / o).toFixed(3)}  min old ${f(min(res.old[k]))} new ${f(min(res.new[k]))} ${(min(res.new[k]) / min(res.old[k])).toFixed(3)}   (old ${res.old[k].map(f).join('')} | new ${res.new[k].map(f).join('')})`);
}
