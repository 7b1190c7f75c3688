// CI slice of the clustering benchmark (issue 4): the standard ECB+ test topics 36–45 (210 real articles, 21
// events, two events of the same kind per topic) through the real CLI, scored against the labels with the
// benchmark's own scorer. Floors sit a little under the measured figures (ARI 0.951, 1 merged topic-mate pair;
// bench/RESULTS.md), so a regression fails CI while the full benchmark stays `npm run bench:cluster:cli`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/paths.js';
import { scoreAll } from '../../bench/cluster/score.mjs';

const DATA = path.join(SHARED, 'bench/events/ecbplus');

function readCsv(file: string): Map<string, string> {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',') as [string, string]));
}

describe.skipIf(!fs.existsSync(DATA))('ECB+ test topics 36–45 through the CLI', () => {
  it('clusters the 21 events with ARI ≥ 0.94 and keeps same-kind events apart', () => {
    const events = readCsv(path.join(DATA, 'labels.csv'));
    const topics = readCsv(path.join(DATA, 'labels_topic.csv'));
    const files = [...events.keys()].filter((f) => Number(topics.get(f)) >= 36 && Number(topics.get(f)) <= 45).sort();
    expect(files.length).toBe(210);
    const r = runCli(['--check', '--format', 'json', '--quiet', ...files], { cwd: path.join(DATA, 'articles') });
    expect([0, 1]).toContain(r.code); // --check: 1 when anything would change
    const report = JSON.parse(r.stdout) as { clusters: { members: { path: string }[] }[] };
    const index = new Map(files.map((f, i) => [f, i]));
    const pred = new Array<number>(files.length).fill(-1);
    report.clusters.forEach((c, ci) => c.members.forEach((m) => (pred[index.get(path.basename(m.path))!] = ci)));
    expect(pred.every((p) => p >= 0)).toBe(true); // every article in exactly one cluster
    const s = scoreAll(pred, files.map((f) => events.get(f)), files.map((f) => topics.get(f)));
    expect(s.ari).toBeGreaterThanOrEqual(0.94);
    expect(s.pairwise.precision).toBeGreaterThanOrEqual(0.96);
    expect(s.bcubed.f1).toBeGreaterThanOrEqual(0.93);
    expect(s.mergedTopicMates).toBeLessThanOrEqual(1);
  });
});
