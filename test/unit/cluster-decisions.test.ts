import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { clusterDocs, copyFamilies, exactGroups, linkageScale, PARAMS, scorePairs, type ClusterGroup } from '../../src/cluster/index.js';
import { linkAverage } from '../../src/cluster/linkage.js';
import { makeDoc } from './cluster-seed-docs.js';

// Invented events: two earthquakes (same kind, different places, dates, people, numbers).
const quakeA = [
  'A magnitude 6.1 earthquake struck the hill town of Valdoria early on Monday, killing at least 14 people and injuring more than 200, regional officials said.',
  'The quake hit at 4:12 a.m. at a depth of 9 kilometres, according to the Tarsen Seismic Institute, and was felt as far away as the port city of Orlek.',
  'Mayor Teodor Brasko said dozens of stone houses in the old quarter had collapsed and rescue teams were searching the rubble with sniffer dogs.',
  '“We are still pulling people out with our hands,” Brasko told reporters outside the damaged cathedral of Saint Ivel.',
  'The Valdoria hospital moved patients into tents in its car park after cracks appeared in the main building, a spokeswoman said.',
  'Interior Minister Lusa Gendry flew to the region by helicopter and promised emergency funds for the 3,500 people left homeless.',
];
const quakeA2 = [
  'At least 14 people died when a strong earthquake of magnitude 6.1 shook Valdoria before dawn on Monday, authorities reported.',
  'Local mayor Teodor Brasko described scenes of devastation in the historic centre, where many old stone homes fell down.',
  '“We are still pulling people out with our hands,” Brasko said, as volunteers and dogs combed the debris near the Saint Ivel cathedral.',
  'More than 200 people were hurt. The Tarsen Seismic Institute put the depth of the quake at 9 kilometres; tremors reached Orlek on the coast.',
  'Minister Lusa Gendry arrived on Monday afternoon and said 3,500 residents who lost their homes would get emergency help.',
];
const quakeB = [
  'A magnitude 5.4 earthquake shook the mining town of Kessin on Friday evening, killing three people and damaging a school, officials said.',
  'Governor Hilda Marsh said two of the dead were miners caught in a tunnel collapse at the Brenmoor pit, and a third was hit by falling masonry.',
  'The Kessin quake struck at 7:45 p.m. at a depth of 22 kilometres, the Northern Geological Survey reported, with four aftershocks overnight.',
  '“The school was empty, thank God,” Marsh said, adding that engineers would inspect every public building in the district by Sunday.',
  'Rail services between Kessin and Amberfield were suspended while crews checked bridges for cracks.',
];
const quakeB2 = [
  'Three people were killed on Friday when a 5.4-magnitude quake hit Kessin, a mining town, Governor Hilda Marsh said.',
  'Two miners died underground when part of the Brenmoor pit caved in. Seismologists measured the shock 22 kilometres down and recorded four aftershocks.',
  '“The school was empty, thank God,” Marsh said. Her engineers will look at all public buildings before Sunday.',
  'Trains linking Kessin to Amberfield stopped running while inspectors examined bridges.',
];
const filler = [
  'Elsewhere in the region, farmers reported a poor olive harvest after a dry summer, and the cooperative in Pellan said prices would rise.',
  'Tourism officials said bookings for the winter festival were up by a fifth on last year despite the weather.',
  'A new ferry line between Orsk and Malden will open in spring, the transport office announced.',
];

function groupsOf(groups: ClusterGroup[], names: string[]): string[][] {
  return groups.map((g) => g.members.map((i) => names[i]).sort()).sort((a, b) => a[0].localeCompare(b[0]));
}
function edge(groups: ClusterGroup[], a: number, b: number) {
  return groups.flatMap((g) => g.edges).find((e) => e.a === Math.min(a, b) && e.b === Math.max(a, b));
}

describe('cluster decisions on invented examples', () => {
  const docs = [
    makeDoc('a1', quakeA, 'Earthquake kills 14 in Valdoria'),
    makeDoc('a1-copy', quakeA.map((p) => p.toUpperCase().replace(/,/g, ' ,')), 'EARTHQUAKE KILLS 14 IN VALDORIA'),
    makeDoc('a1-edited', [quakeA[0].replace('at least 14', '14'), quakeA[1], quakeA[2].replace('sniffer dogs', 'dogs'), quakeA[3], quakeA[5]], 'Earthquake kills 14 in Valdoria'),
    makeDoc('a1-partial', [...quakeA.slice(0, 3), ...filler], 'Valdoria quake and other regional news'),
    makeDoc('a2-rewrite', quakeA2, 'Fourteen dead as quake hits Valdoria'),
    makeDoc('b1', quakeB, 'Earthquake kills three in Kessin'),
    makeDoc('b2-rewrite', quakeB2, 'Three killed in Kessin quake'),
  ];
  const names = docs.map((d) => d.path);
  const fps = docs.map(fingerprint);
  const groups = clusterDocs(fps, {});

  it('puts copies and rewrites of one event together and keeps the other earthquake apart', () => {
    expect(groupsOf(groups, names)).toEqual([
      ['a1', 'a1-copy', 'a1-edited', 'a1-partial', 'a2-rewrite'],
      ['b1', 'b2-rewrite'],
    ]);
  });

  it('labels the relations', () => {
    expect(edge(groups, 0, 1)?.relation).toBe('exact');
    expect(edge(groups, 0, 2)?.relation).toBe('near-duplicate');
    expect(edge(groups, 0, 3)?.relation).toBe('near-duplicate');
    expect(edge(groups, 0, 4)?.relation).toBe('same-event');
    expect(edge(groups, 5, 6)?.relation).toBe('same-event');
    expect(edge(groups, 0, 3)?.why.join(' ')).toMatch(/3-grams/);
  });

  it('scores the two earthquakes far below the two write-ups of one earthquake', () => {
    const pairs = scorePairs(fps);
    const s = (a: number, b: number) => pairs.find((p) => p.a === a && p.b === b)?.score ?? 0;
    expect(s(0, 4)).toBeGreaterThan(2 * s(0, 5));
    expect(s(5, 6)).toBeGreaterThan(2 * s(4, 6));
  });

  it('a higher threshold splits the rewrites off but keeps the copies', () => {
    const strict = groupsOf(clusterDocs(fps, { threshold: 0.95 }), names);
    expect(strict).toContainEqual(['a2-rewrite']);
    expect(strict.find((c) => c.includes('a1'))).toContain('a1-copy');
    expect(strict).toContainEqual(['b1']);
  });

  it('is independent of input order', () => {
    const order = [6, 3, 0, 5, 2, 4, 1];
    const again = groupsOf(clusterDocs(order.map((i) => fps[i]), {}), order.map((i) => names[i]));
    expect(again).toEqual(groupsOf(groups, names));
  });

  it('does not chain two events through one round-up that copies both', () => {
    const roundup = makeDoc('roundup', [...quakeA.slice(0, 3), ...quakeB.slice(0, 3)], 'Two earthquakes');
    const set = [docs[0], docs[4], roundup, docs[5], docs[6]];
    const g = groupsOf(clusterDocs(set.map(fingerprint), {}), set.map((d) => d.path));
    const together = g.find((c) => c.includes('a1'))!;
    expect(together).not.toContain('b1');
    expect(together).toContain('a2-rewrite');
  });
});

describe('sparse average linkage', () => {
  it('does not merge A and C through B when A and C are unrelated', () => {
    // A-B 0.9, B-C 0.9, A-C missing (0): {A,B} vs C averages 0.45
    const label = linkAverage(3, [0, 1], [1, 2], [0.9, 0.9], 0.5);
    expect(label[0]).toBe(label[1]);
    expect(label[2]).not.toBe(label[0]);
  });

  it('merges a clique and reports the lowest index as label', () => {
    const label = linkAverage(4, [0, 0, 1, 2], [1, 2, 2, 3], [0.8, 0.7, 0.75, 0.1], 0.5);
    expect([...label]).toEqual([0, 0, 0, 3]);
  });

  it('refuses a join carried by a single strong pair', () => {
    // {0,1} strongly linked; 2 links strongly to 1 only and weakly to 0: average 0.45 passes 0.4,
    // but without the strongest pair it is 0.0 < 0.4 × 0.5
    const label = linkAverage(3, [0, 1], [1, 2], [0.9, 0.9], 0.4, 0.5);
    expect(label[2]).toBe(2);
    const weak = linkAverage(3, [0, 1, 0], [1, 2, 2], [0.9, 0.9, 0.3], 0.4, 0.5);
    expect(weak[2]).toBe(0);
  });

  it('with weights, two copies weigh as one node: the joins of the corpus with the copies made one', () => {
    // 0 and 1 are copies of one text, 2 another write-up of their story, 3 a story of the same kind
    const ea = [0, 0, 1, 0, 1];
    const eb = [1, 2, 2, 3, 3];
    const es = [1, 0.9, 0.9, 0.5, 0.5];
    // counted twice, the copies carry {0,1,2} to 3 on average ((0.5 + 0.5 + 0) / 3 ≥ 0.3)
    expect([...linkAverage(4, ea, eb, es, 0.3, 0)]).toEqual([0, 0, 0, 0]);
    // as one node of weight 1 (as an exact copy is), they do not ((0.5 + 0) / 2 < 0.3)
    expect([...linkAverage(4, ea, eb, es, 0.3, 0, undefined, 4096, [0.5, 0.5, 1, 1])]).toEqual([0, 0, 0, 3]);
    expect([...linkAverage(3, [0, 0], [1, 2], [0.9, 0.5], 0.3, 0)]).toEqual([0, 0, 2]);
    // the same with every cross pair completed by a pair score
    const score = (a: number, b: number) => es[ea.findIndex((x, i) => (x === Math.min(a, b) && eb[i] === Math.max(a, b)))] ?? 0;
    expect([...linkAverage(4, ea, eb, es, 0.3, 0, score, 4096, [0.5, 0.5, 1, 1])]).toEqual([0, 0, 0, 3]);
    // weights of 1 change nothing
    expect([...linkAverage(4, ea, eb, es, 0.3, 0.5, score, 4096, [1, 1, 1, 1])]).toEqual([...linkAverage(4, ea, eb, es, 0.3, 0.5, score)]);
  });
});

describe('families of copies', () => {
  const NEAR = 2;
  const EVENT = 1;
  it('joins the representatives of near-duplicate edges of copyFamilyScore or more, and nothing else', () => {
    const v = { edgeA: [0, 1, 3, 4], edgeB: [1, 2, 4, 5], edgeS: [0.99, 0.97, PARAMS.copyFamilyScore - 0.01, 0.99], edgeR: [NEAR, NEAR, NEAR, EVENT] };
    expect([...copyFamilies(6, v)!]).toEqual([0, 0, 0, 3, 4, 5]);
    expect(copyFamilies(6, { ...v, edgeS: [0.9, 0.9, 0.9, 0.99] })).toBeNull();
  });

  it('counts a family once in a neighbourhood, and never as its own neighbour', () => {
    // 0 has five neighbours, two of them copies of one text (1 and 2): four distinct ones, fewer than localK (5), so
    // its scores are not scaled by its neighbourhood
    const v = { edgeA: [0, 0, 0, 0, 0, 1], edgeB: [1, 2, 3, 4, 5, 2], edgeS: [0.3, 0.3, 0.12, 0.11, 0.1, 1], edgeR: [EVENT, EVENT, EVENT, EVENT, EVENT, NEAR] };
    expect(PARAMS.localK).toBe(5);
    const family = copyFamilies(6, v)!;
    expect([...family]).toEqual([0, 1, 1, 3, 4, 5]);
    const counted = linkageScale(6, v);
    const once = linkageScale(6, v, family);
    expect(counted(0, 3, 0.12, EVENT)).not.toBeCloseTo(0.12, 5); // five neighbours: scaled
    expect(once(0, 3, 0.12, EVENT)).toBeCloseTo(0.12, 5);
  });
});

describe('exact groups', () => {
  // the definition: documents sorted by (hash, index); each takes the first of its run as representative
  const bySort = (hashes: string[]) => {
    const order = hashes.map((_, i) => i).sort((x, y) => (hashes[x] < hashes[y] ? -1 : hashes[x] > hashes[y] ? 1 : x - y));
    const repOf = new Int32Array(hashes.length);
    order.forEach((i, k) => (repOf[i] = k > 0 && hashes[order[k - 1]] === hashes[i] ? repOf[order[k - 1]] : i));
    return { repOf, reps: hashes.map((_, i) => i).filter((i) => repOf[i] === i) };
  };

  it('each document takes the lowest index with its exact hash, as a sort by hash gives', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'ab', '', 'b2'), { maxLength: 40 }), (hashes) => {
        expect(exactGroups(hashes.map((exact) => ({ exact })))).toEqual(bySort(hashes));
      }),
    );
  });

  it('on a small case', () => {
    const { repOf, reps } = exactGroups(['x', 'y', 'x', 'z', 'y'].map((exact) => ({ exact })));
    expect([...repOf]).toEqual([0, 1, 0, 3, 1]);
    expect(reps).toEqual([0, 1, 3]);
  });
});
