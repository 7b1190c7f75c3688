import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched, byteChunks, jsonChunks } from '../../src/json-chunks.js';

describe('jsonChunks', () => {
  it('gives exactly the bytes of JSON.stringify(value, null, 2), for any object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()), fc.constant(undefined))), (obj) => {
        expect([...jsonChunks(obj)].join('')).toBe(JSON.stringify(obj, null, 2));
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('serialises a top-level array a few hundred elements at a time (no piece holds the whole array)', () => {
    const big = { items: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(100), nested: [i, { deep: [i] }] })) };
    const pieces = [...jsonChunks(big)];
    const whole = JSON.stringify(big, null, 2);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 3);
    expect(pieces.join('')).toBe(whole);
  });

  it('serialises large elements (thousands of removed lines each) a few at a time: no piece is much over 1 MB', () => {
    const removed = (i: number) => Array.from({ length: 2000 }, (_, k) => ({ line: k + 1, rule: 'template-line', text: `line ${k} of article ${i} ${'y'.repeat(200)}` }));
    const big = { articles: Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, removed: removed(i) })), files: ['a.txt'] };
    const pieces = [...jsonChunks(big)];
    const whole = JSON.stringify(big, null, 2);
    expect(whole.length).toBeGreaterThan(100 * (1 << 20));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(2.5 * (1 << 20));
    expect(pieces.join('')).toBe(whole);
  });

  it('the same bytes across batch boundaries, with undefined, functions, nulls and empty values inside arrays', () => {
    const odd = [undefined, () => 1, null, [], {}, '', 0, 'line\nbreak', { a: undefined, b: [undefined] }];
    const value = { list: Array.from({ length: 777 }, (_, i) => odd[i % odd.length]), tail: [undefined], empty: [] };
    expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
  });
});

describe('batched', () => {
  it('joins small pieces into chunks of about the given size, losing nothing', () => {
    const pieces = Array.from({ length: 100 }, (_, i) => `piece ${i};`);
    const chunks = [...batched(pieces, 64)];
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.slice(0, -1).every((c) => c.length >= 64)).toBe(true);
  });
});

describe('byteChunks', () => {
  it('puts text (as UTF-8) and bytes one after another into chunks of at most the given size, losing nothing', () => {
    const pieces: (string | Uint8Array)[] = [];
    for (let i = 0; i < 200; i++) pieces.push(i % 3 === 0 ? Buffer.from(`bytes ${i} `) : `text ${i} “é” `);
    const sizes: number[] = [];
    const out: Buffer[] = [];
    // each chunk is a view of one reused buffer: copied here before the next is asked for
    for (const c of byteChunks(pieces, 64)) {
      sizes.push(c.length);
      out.push(Buffer.from(c));
    }
    const whole = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    expect(Buffer.concat(out).equals(whole)).toBe(true);
    expect(sizes.every((n) => n > 0 && n <= 64)).toBe(true);
    // fewer chunks than pieces: each is filled until the next piece might not fit (3 bytes a character at most)
    expect(sizes.length).toBeLessThan(pieces.length / 2);
  });
  it('gives a piece larger than the buffer on its own, text or bytes', () => {
    const big = 'x'.repeat(100);
    const bytes = Buffer.alloc(80, 0x79);
    const chunks: string[] = [];
    for (const c of byteChunks(['a', big, bytes, 'b'], 64)) chunks.push(Buffer.from(c).toString());
    expect(chunks).toEqual(['a', big, 'y'.repeat(80), 'b']);
  });
});
