// The V8 flags the CLI runs under, process-wide. The executable sets them before it compiles the bundle (a code cache
// is accepted only under the flags it was made with: bundle-loader.ts), and main() sets them again for a caller that
// runs the CLI without the executable (setting a flag to the value it has changes nothing).
import v8 from 'node:v8';

export const ENGINE_FLAGS = [
  // Defence in depth against catastrophic backtracking in any regular expression: after too many backtracks V8
  // re-runs the match on its linear-time engine (same result, bounded time). Set before any worker starts.
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  // A larger young generation on the main thread, which takes in every document's results: fewer minor collections
  // (10,000 articles: reading and cleaning 5.5 s → 4.9 s). Set before the heap grows.
  '--max-semi-space-size=32',
  // Each regular expression compiled to machine code when first run, not interpreted first and compiled again on its
  // second run: a warm run that cleans one changed article runs each of the rules' 100-odd expressions a few dozen
  // times, and compiling them twice was most of its 60-80 ms (35-41 ms so).
  '--no-regexp-tier-up',
] as const;

/** Sets ENGINE_FLAGS; an engine without one of them runs without it (slower or less guarded, same results). */
export function setEngineFlags(): void {
  for (const flag of ENGINE_FLAGS) {
    try {
      v8.setFlagsFromString(flag);
    } catch {
      /* not this engine's flag */
    }
  }
}
