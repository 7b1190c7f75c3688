// A progress bar on stderr for long runs, for a person at a terminal only: never in a pipe, in CI, on a
// TERM=dumb terminal, or with --quiet. It appears after the first second, redraws at most ten times a second, and
// erases itself at the end so the summary starts on a clean line.
import type { OutStream } from './run.js';

const DELAY_MS = 1000;
const FRAME_MS = 100;

export interface Progress {
  update(done: number, total: number): void;
  /** A stage with no count (clustering, writing): shown as a label once the bar is visible. */
  phase(label: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, phase() {}, stop() {} };

/** CI=1, CI=true…, as CI services set it; CI=false or CI=0 (set to turn it off) is not CI. */
export function isCi(env: Record<string, string | undefined>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export function progressEnabled(stderr: OutStream, env: Record<string, string | undefined>, quiet: boolean | undefined): boolean {
  return Boolean(stderr.isTTY) && !quiet && !isCi(env) && env.TERM !== 'dumb';
}

export function createProgress(stderr: OutStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled) return silent;
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - start < DELAY_MS || (t - last < FRAME_MS && done < total)) return;
      last = t;
      const width = Math.max(10, Math.min(40, (stderr.columns ?? 80) - 40));
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const rate = done / Math.max(0.001, (t - start) / 1000);
      const speed = done > 0 ? `, ${Math.round(rate)}/s` : '';
      stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} documents${speed}`);
      drawn = true;
    },
    phase(label) {
      if (now() - start < DELAY_MS) return;
      stderr.write(`\r\x1b[K${label}…`);
      drawn = true;
    },
    stop() {
      if (drawn) stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}
