import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { clusterDocs, memberRelations } from '../../src/cluster/index.js';
import { chooseCanonical } from '../../src/canonical/index.js';
import { readExpected, readSeedDocs } from './cluster-seed-docs.js';

describe('seeds (expected.json)', () => {
  const exp = readExpected();
  const docs = readSeedDocs();
  const fps = docs.map(fingerprint);
  const groups = clusterDocs(fps, {});
  const named = groups.map((g) => g.members.map((i) => docs[i].path));

  it('reproduces the expected clusters', () => {
    const norm = (cs: string[][]) => cs.map((c) => [...c].sort()).sort((a, b) => a[0].localeCompare(b[0]));
    expect(norm(named)).toEqual(norm(exp.clusters));
  });

  it('chooses the expected canonical and relations', () => {
    for (const g of groups) {
      const choice = chooseCanonical(g.members, docs, fps, g.edges);
      expect(choice.why.length).toBeGreaterThan(0);
      const canonical = docs[choice.index].path;
      const expectedCanon = Object.entries(exp.canonical).find(([, ms]) => ms.includes(canonical));
      if (g.members.length > 1) expect(expectedCanon?.[0]).toBe(canonical);
      for (const r of memberRelations(g, choice.index)) {
        const want = exp.relations[docs[r.index].path];
        if (!want) continue;
        expect(docs[r.to].path).toBe(want.to);
        expect(r.relation).toBe(want.relation);
        expect(r.why.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives the same clusters whatever the input order', () => {
    const order = [3, 0, 4, 2, 1];
    const shuffled = order.map((i) => fps[i]);
    const again = clusterDocs(shuffled, {}).map((g) => g.members.map((i) => docs[order[i]].path).sort());
    const norm = (cs: string[][]) => cs.map((c) => [...c].sort()).sort((a, b) => a[0].localeCompare(b[0]));
    expect(norm(again)).toEqual(norm(named));
  });

  it('explains the near-duplicate as a partial copy', () => {
    const g = groups.find((x) => x.members.length === 3)!;
    const nd = g.edges.find((e) => e.relation === 'near-duplicate');
    expect(nd).toBeDefined();
    expect(nd!.why.join(' ')).toMatch(/3-grams/);
  });
});
