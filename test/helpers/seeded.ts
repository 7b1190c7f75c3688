// A small seeded random source for tests: the same numbers on every run and machine (a linear congruential generator,
// the constants of the C standard's example), so that a randomized test fails the same way each time.

export interface Seeded {
  /** The next 32-bit state. */
  word(): number;
  /** The next number in [0, 1). */
  unit(): number;
  /** The next integer in [0, k), from the state's high bits. */
  below(k: number): number;
}

export function seeded(seed: number): Seeded {
  let state = seed >>> 0;
  const word = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  return { word, unit: () => word() / 2 ** 32, below: (k) => (word() >>> 8) % k };
}
