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

/** Entries sorted by one native sort each; runs of them are then merged in steps. */
const SORT_CHUNK = 1 << 18;

/**
 * Sort a Float64Array ascending in place, like a.sort(), in steps: under a slicing slicer a large array is sorted in
 * chunks, natively, and the chunks are merged bottom-up with checkpoints (the same order: numbers have one sort).
 */
export function* sortSteps(a: Float64Array, slicer: Slicer): Steps<Float64Array> {
  const n = a.length;
  if (!slicer.slicing || n <= SORT_CHUNK) return a.sort();
  for (let s = 0; s < n; s += SORT_CHUNK) {
    a.subarray(s, Math.min(n, s + SORT_CHUNK)).sort();
    if (slicer.due(slicer.every)) yield;
  }
  let src: Float64Array = a;
  let dst: Float64Array = new Float64Array(n);
  for (let width = SORT_CHUNK; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      // merged in pieces of SORT_CHUNK outputs; after k outputs, k - lo = (i - lo) + (j - mid)
      let i = lo;
      for (let k = lo; k < hi; k += SORT_CHUNK) {
        const end = Math.min(hi, k + SORT_CHUNK);
        i = merge(src, dst, i, mid + (k - lo) - (i - lo), mid, hi, k, end);
        if (slicer.due(slicer.every)) yield;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src);
  return a;
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

/** Merge src[i..mid) and src[j..hi) into dst[k..end); returns the new i. */
function merge(src: Float64Array, dst: Float64Array, i: number, j: number, mid: number, hi: number, k: number, end: number): number {
  while (k < end) dst[k++] = j >= hi || (i < mid && src[i] <= src[j]) ? src[i++] : src[j++];
  return i;
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
