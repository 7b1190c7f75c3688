import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { chooseCanonical } from '../../src/canonical/index.js';
import { ChoiceMemo, choiceKey } from '../../src/canonical/choice-memo.js';
import { makeDoc } from './cluster-seed-docs.js';

const base = [
  'The harbour board of Keswater met on Monday to approve a new ferry pier after divers found the old one rotten below the waterline.',
  'Board chair Odile Farrant said the pier, built in 1921, would close for eight weeks while the new one was driven into place.',
  'About 1,200 passengers use the crossing every day; a temporary landing stage will serve them from the fish quay.',
];
// a copy of part of b (b is the original), and a story of its own
const docs = [makeDoc('x/a.txt', base.slice(0, 2)), makeDoc('x/b.txt', base), makeDoc('x/c.txt', ['A single paragraph of another story, about a school fair held on Saturday in the rain.'])];
const fps = docs.map(fingerprint);
const ids = ['id-a', 'id-b', 'id-c'];
const copyEdge = [{ a: 0, b: 1, relation: 'near-duplicate' as const }];
const fresh = chooseCanonical([0, 1], docs, fps, copyEdge);

describe('ChoiceMemo', () => {
  it('makes a choice it does not hold, notes it, and gives it back the next run without running the rules', () => {
    const first = ChoiceMemo.decode(undefined);
    expect(first.chooser(ids, docs, fps)([0, 1], copyEdge)).toEqual(fresh);
    expect(first.changed()).toBe(true);
    const bytes = first.encode();
    // the next run: documents with those keys and paths get the choice (the fingerprints are not looked at)
    const empty = docs.map((d) => fingerprint(makeDoc(d.path, [])));
    const next = ChoiceMemo.decode(bytes);
    expect(next.changed()).toBe(true); // asked for nothing yet: would encode none
    expect(next.chooser(ids, docs, empty)([1, 0], copyEdge)).toEqual(fresh);
    expect(Buffer.from(next.encode())).toEqual(Buffer.from(bytes));
    expect(next.changed()).toBe(false);
  });

  it('gives the choice by position: the same documents at other indices (an article added before them) get it too', () => {
    const memo = ChoiceMemo.decode(undefined);
    memo.chooser(ids, docs, fps)([0, 1], copyEdge);
    const moved = [docs[2], docs[0], docs[1]];
    const choice = ChoiceMemo.decode(memo.encode()).chooser([ids[2], ids[0], ids[1]], moved, moved.map(fingerprint))([1, 2], [{ a: 1, b: 2, relation: 'near-duplicate' }]);
    expect(choice).toEqual({ ...fresh, index: fresh.index + 1 });
  });

  it('makes the choice again when a member, a path or a copy edge is not the last run\'s', () => {
    const memo = ChoiceMemo.decode(undefined);
    memo.chooser(ids, docs, fps)([0, 1], copyEdge);
    const held = memo.encode();
    // a result that changed: b's text edited so that it is the copy now
    const edited = [makeDoc('x/a.txt', base), makeDoc('x/b.txt', base.slice(0, 2))];
    const editedFps = edited.map(fingerprint);
    const next = ChoiceMemo.decode(held);
    expect(next.chooser(['id-a2', 'id-b2'], edited, editedFps)([0, 1], copyEdge)).toEqual(chooseCanonical([0, 1], edited, editedFps, copyEdge));
    expect(next.changed()).toBe(true);
    // a path renamed: its reasons name the file
    const renamed = [makeDoc('x/z.txt', base.slice(0, 2)), docs[1]];
    const choice = ChoiceMemo.decode(held).chooser(ids, renamed, renamed.map(fingerprint))([0, 1], copyEdge);
    expect(choice.why.join(' ')).toMatch(/z\.txt/);
    // the copy edge gone (only a same-event edge): no original, the longer member by its words
    const sameEvent = [{ a: 0, b: 1, relation: 'same-event' as const }];
    expect(ChoiceMemo.decode(held).chooser(ids, docs, fps)([0, 1], sameEvent)).toEqual(chooseCanonical([0, 1], docs, fps, sameEvent));
  });

  it('keys by cache key, path and copy edges by position; none for a member without a cache key', () => {
    expect(choiceKey([0, 1], copyEdge, ids, docs)).toBe('id-a\0x/a.txt\0id-b\0x/b.txt\x000 1,');
    expect(choiceKey([0, 1], [{ a: 0, b: 1, relation: 'same-event' }], ids, docs)).toBe('id-a\0x/a.txt\0id-b\0x/b.txt\0');
    expect(choiceKey([0, 1], copyEdge, [undefined, 'id-b'], docs)).toBeNull();
  });

  it('makes every choice from bytes that do not parse or do not add up, and for documents without a cache key', () => {
    const key = choiceKey([0, 1], copyEdge, ids, docs)!;
    const wrong = 1 - fresh.index; // the other member (indices are positions here)
    for (const bad of ['not json', '{}', JSON.stringify([[key, 'x', []]]), JSON.stringify([[key, 0, [1]]]), JSON.stringify([[key, -1, []]]), JSON.stringify([[key, 5, ['x']]]), JSON.stringify([[key, wrong, ['x']], 'extra'])]) {
      expect(ChoiceMemo.decode(Buffer.from(bad)).chooser(ids, docs, fps)([0, 1], copyEdge)).toEqual(fresh);
    }
    const memo = ChoiceMemo.decode(Buffer.from(JSON.stringify([[key, wrong, ['held']]])));
    expect(memo.chooser([undefined, 'id-b', 'id-c'], docs, fps)([0, 1], copyEdge)).toEqual(fresh);
    expect(JSON.parse(Buffer.from(memo.encode()).toString())).toEqual([]);
  });

  it('does not keep groups of one', () => {
    const memo = ChoiceMemo.decode(undefined);
    expect(memo.chooser(ids, docs, fps)([2], [])).toEqual({ index: 2, why: ['only member of its cluster'] });
    expect(JSON.parse(Buffer.from(memo.encode()).toString())).toEqual([]);
  });
});
