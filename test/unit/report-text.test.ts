import { describe, expect, it } from 'vitest';
import { truncatePath } from '../../src/report/text.js';

describe('truncatePath', () => {
  it('cuts the folders first, so the file name that tells members apart stays whole', () => {
    expect(truncatePath('long/a very long folder name for the scrape/2024/a.txt', 30)).toBe('long/a very long folder…/a.txt');
    expect(truncatePath('abc/def.txt', 11)).toBe('abc/def.txt');
    expect(truncatePath('fixtures/001_a.txt', 15)).toBe('fixt…/001_a.txt');
    expect(truncatePath('fixtures/001_a.txt', 13)).toBe('…/001_a.txt'); // not "f…/001_a.txt"
  });
  it('a file name longer than the room loses its middle, keeping its start and its end', () => {
    const cut = truncatePath('fixtures/001_meridian-wire-porthaven-dock-deal.txt', 40);
    expect(cut).toBe('001_meridian-wire-p…thaven-dock-deal.txt');
    expect(cut).toHaveLength(40);
    expect(truncatePath('a/b', 2)).toBe('…b');
  });
});
