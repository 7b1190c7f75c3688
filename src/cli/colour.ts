// Colour only where a person reads it: a TTY (not TERM=dumb), unless NO_COLOR or --no-color; FORCE_COLOR forces it.
// chalk alone ignores NO_COLOR, so the level is decided here.
import { Chalk, type ChalkInstance } from 'chalk';
import type { OutStream } from './run.js';

/** The colour level for one stream: each of stdout and stderr decides for itself (`2> errors.log` stays plain). */
export function colourLevel(stream: OutStream, env: Record<string, string | undefined>, flag: boolean | undefined): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  const { NO_COLOR, FORCE_COLOR } = env;
  if (NO_COLOR !== undefined && NO_COLOR !== '') return 0;
  if (FORCE_COLOR !== undefined) {
    if (FORCE_COLOR === 'false' || FORCE_COLOR === '0') return 0;
    const n = Number(FORCE_COLOR);
    return n === 2 || n === 3 ? n : 1;
  }
  // TERM=dumb: a terminal that shows escape codes as text (an editor's shell buffer)
  return stream.isTTY && env.TERM !== 'dumb' ? 1 : 0;
}

export function makeChalk(stream: OutStream, env: Record<string, string | undefined>, flag: boolean | undefined): ChalkInstance {
  return new Chalk({ level: colourLevel(stream, env, flag) });
}
