// Cooperative time slicing for the cluster stage. The stage is written once, as generator functions that `yield`
// between pieces of work when their time slice is used up; a sync driver runs them straight through (its slicer is
// never due), an async driver gives the event loop a turn at each yield (so Ctrl-C, timers and progress stay live).
//
// The loops themselves stay in plain functions (`loop` bodies): V8 does not optimise a long-running loop inside a
// generator on the spot (no on-stack replacement there), which made the loops several times slower.

/** A computation that may pause at checkpoints (yields nothing) and finally returns a T. */
export type Steps<T> = Generator<void, T, void>;

/** Checkpoint counter: `due()` is true when the current slice's time is up (the clock is read every `every` units). */
export class Slicer {
  private count = 0;
  private end: number;
  constructor(
    /** Length of a slice in ms; Infinity: never due (the sync driver). */
    readonly sliceMs: number,
    readonly every = 256,
  ) {
    this.end = sliceMs === Infinity ? Infinity : performance.now() + sliceMs;
  }
  /** Count `cost` units of work; true when the slice is over and the caller should yield. */
  due(cost = 1): boolean {
    if ((this.count += cost) < this.every) return false;
    this.count = 0;
    return this.end !== Infinity && performance.now() >= this.end;
  }
  /** Whether this slicer ever asks for a yield (false for the sync driver's). */
  get slicing(): boolean {
    return this.sliceMs !== Infinity;
  }
  /** Start a new slice (after the event loop had its turn). */
  restart(): void {
    this.count = 0;
    if (this.sliceMs !== Infinity) this.end = performance.now() + this.sliceMs;
  }
}

/** A slicer that is never due: for the sync driver and sync helpers. */
export const NEVER = new Slicer(Infinity);

/** Run steps straight through. */
export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Arrays shorter than this are sorted by one native sort (a radix sort's fixed costs would dominate). */
const RADIX_MIN = 1 << 12;
/** Elements moved between two looks at the slicer during a radix pass. */
const RADIX_CHUNK = 1 << 16;
/** Radix digits: 11 bits, three per 32-bit half of a double (bits 0-10, 11-21, 22-31 of each half). */
const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
const SHIFTS = [0, 11, 22];
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Sort a Float64Array ascending in place, like a.sort(), in steps. Numbers have one ascending order, so any correct
 * sort gives the same array: non-negative doubles (all this stage sorts: packed keys) are sorted by an LSD radix sort
 * on their bit patterns (which order like the numbers), in passes that check the slicer as they go; anything else
 * (a negative number or -0, a tiny array, a big-endian machine) by the native sort.
 */
export function* sortSteps(a: Float64Array, slicer: Slicer): Steps<Float64Array> {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  const counts = new Uint32Array(6 * DIGITS);
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let from = 0; from < n; from += RADIX_CHUNK) {
    if (!histogram(words, counts, from, Math.min(n, from + RADIX_CHUNK))) return a.sort(); // a sign bit: not for us
    if (slicer.due(slicer.every)) yield;
  }
  let src: Float64Array = a;
  let srcWords: Uint32Array = words;
  let dst: Float64Array = new Float64Array(n);
  let dstWords: Uint32Array = new Uint32Array(dst.buffer);
  for (let d = 0; d < 6; d++) {
    const base = d * DIGITS;
    if (!prefixSums(counts, base, n)) continue; // every element has the same digit here: nothing to move
    for (let from = 0; from < n; from += RADIX_CHUNK) {
      scatter(src, srcWords, dst, counts, base, d < 3 ? 0 : 1, SHIFTS[d % 3], from, Math.min(n, from + RADIX_CHUNK));
      if (slicer.due(slicer.every)) yield;
    }
    const t = src;
    src = dst;
    dst = t;
    const tw = srcWords;
    srcWords = dstWords;
    dstWords = tw;
  }
  if (src !== a) a.set(src);
  return a;
}

/** Counts the six digits of elements [from, to); false when one has its sign bit set. */
function histogram(words: Uint32Array, counts: Uint32Array, from: number, to: number): boolean {
  const mask = DIGITS - 1;
  for (let i = from; i < to; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    if (hi >>> 31) return false;
    counts[lo & mask]++;
    counts[DIGITS + ((lo >>> 11) & mask)]++;
    counts[2 * DIGITS + (lo >>> 22)]++;
    counts[3 * DIGITS + (hi & mask)]++;
    counts[4 * DIGITS + ((hi >>> 11) & mask)]++;
    counts[5 * DIGITS + (hi >>> 22)]++;
  }
  return true;
}

/** Turns the counts of one digit into start positions; false when all n elements share that digit. */
function prefixSums(counts: Uint32Array, base: number, n: number): boolean {
  let sum = 0;
  for (let k = base; k < base + DIGITS; k++) {
    const c = counts[k];
    if (c === n) return false;
    counts[k] = sum;
    sum += c;
  }
  return true;
}

/** Moves elements [from, to) of src to their places in dst by one digit (stable). */
function scatter(src: Float64Array, srcWords: Uint32Array, dst: Float64Array, counts: Uint32Array, base: number, half: number, shift: number, from: number, to: number): void {
  const mask = DIGITS - 1;
  for (let i = from; i < to; i++) {
    const k = base + ((srcWords[2 * i + half] >>> shift) & mask);
    dst[counts[k]++] = src[i];
  }
}

/**
 * A loop over [0, n) in steps: `body(from)` is a plain function that works from `from` until it is done or the slicer
 * is due, and returns where to go on (always past `from`: check the slicer only after the first item).
 */
export function* loop(n: number, body: (from: number) => number): Steps<void> {
  let i = 0;
  while (i < n) {
    i = body(i);
    if (i < n) yield;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run steps, giving the event loop a turn (setImmediate) at every yield. */
export async function runAsync<T>(steps: Steps<T>, slicer: Slicer): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await turn();
    slicer.restart();
  }
}
