// Summarise V8 .cpuprofile files (node --cpu-prof): self time by function and by source file. Pure except `readProfiles`.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }[],
 *   samples?: number[], timeDeltas?: number[], startTime: number, endTime: number }} CpuProfile
 * @typedef {{ name: string, ms: number, share: number }} Row
 */

/** Short location: repo-relative for project files, "node:…" for internals. @param {string} url */
export function shortUrl(url) {
  if (!url) return '(native)';
  const u = url.replace(/^file:\/\//, '');
  const i = u.indexOf('/dist/');
  if (i >= 0) return u.slice(i + 1);
  const j = u.indexOf('/node_modules/');
  if (j >= 0) return u.slice(j + 1).split('/').slice(0, 3).join('/');
  return u.startsWith('node:') ? u : path.basename(u);
}

/**
 * @param {CpuProfile[]} profiles
 * @param {number} [top]
 * @returns {{ totalMs: number, functions: Row[], files: Row[] }}
 */
export function summariseProfiles(profiles, top = 15) {
  /** @type {Map<string, number>} */
  const fn = new Map();
  /** @type {Map<string, number>} */
  const files = new Map();
  let total = 0;
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    /** @type {Map<number, number>} */
    const self = new Map();
    const samples = p.samples ?? [];
    const deltas = p.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      // timeDeltas[i] is the time before sample i; attribute the interval after it (next delta) to sample i
      const dt = (deltas[i + 1] ?? 0) / 1000;
      self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
    }
    for (const [id, ms] of self) {
      const n = byId.get(id);
      if (!n) continue;
      const cf = n.callFrame;
      const f = shortUrl(cf.url);
      const name = `${cf.functionName || '(anonymous)'} ${f}${cf.url ? ':' + (cf.lineNumber + 1) : ''}`;
      fn.set(name, (fn.get(name) ?? 0) + ms);
      files.set(f, (files.get(f) ?? 0) + ms);
      total += ms;
    }
  }
  /** @param {Map<string, number>} m */
  const rows = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: total ? ms / total : 0 }));
  return { totalMs: total, functions: rows(fn), files: rows(files) };
}

/** @param {string} dir @returns {CpuProfile[]} */
export function readProfiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}
