// A real terminal for end-to-end tests: a private tmux server (its own socket, no user config) running
// an interactive bash, driven with send-keys and read with capture-pane, as a person would see it.
// Also: invented corpora big enough for long runs (progress output, closed pipes).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** True when a tmux binary is on PATH. `.ci/run` installs it; locally: `apt-get install -y tmux`. */
export function hasTmux(): boolean {
  const r = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

export const NO_TMUX_MESSAGE = 'tmux is not installed, so the terminal tests are skipped (apt-get install -y tmux; .ci/run installs it)';

/** Quote one word for a POSIX shell. */
export function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TerminalOptions {
  /** Working folder of the shell. */
  cwd: string;
  width?: number;
  height?: number;
  /** Extra environment for the shell (the base is minimal: no CI, NO_COLOR or FORCE_COLOR). */
  env?: Record<string, string>;
}

export interface CommandRun {
  /** Exit status of the command, as the shell saw it. */
  code: number;
  /** Everything the command printed (stdout and stderr as the terminal shows them), one entry a line. */
  lines: string[];
  /** The visible screen each time it was polled while the command ran. */
  frames: string[];
  /** The visible screen once it finished. */
  finalScreen: string;
  elapsedMs: number;
}

let counter = 0;

export class Terminal {
  private constructor(
    private readonly socket: string,
    private readonly dir: string,
  ) {}

  /** Start a detached tmux session of the given size running `bash --noprofile --norc`, and wait for its prompt. */
  static async open(opts: TerminalOptions): Promise<Terminal> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-tmux-'));
    const conf = path.join(dir, 'tmux.conf');
    fs.writeFileSync(conf, 'set -g history-limit 100000\nset -g status off\n');
    const socket = path.join(dir, 'S');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: dir,
      TMPDIR: os.tmpdir(),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TERM: 'xterm-256color',
      PS1: '$ ',
      ...opts.env,
    };
    execFileSync(
      'tmux',
      ['-u', '-S', socket, '-f', conf, 'new-session', '-d', '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 50), '-c', opts.cwd, 'bash', '--noprofile', '--norc'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const t = new Terminal(socket, dir);
    try {
      await t.waitFor((s) => /^\$ $/m.test(s), { timeoutMs: 20_000, what: 'the shell prompt' });
    } catch (e) {
      t.close();
      throw e;
    }
    return t;
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** What the pane shows: wrapped lines joined; `history` includes the scrollback, `escapes` keeps colours (SGR codes). */
  capture(opts: { history?: boolean; escapes?: boolean } = {}): string {
    const args = ['capture-pane', '-p', '-J'];
    if (opts.escapes) args.push('-e');
    if (opts.history) args.push('-S', '-', '-E', '-');
    return this.tmux(...args);
  }

  async waitFor(test: (screen: string) => boolean, opts: { timeoutMs?: number; what?: string; history?: boolean } = {}): Promise<string> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      const screen = this.capture({ history: opts.history });
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'the screen'}; the pane shows:\n${screen}`);
      await sleep(50);
    }
  }

  /**
   * Type a command line and Enter, poll the screen until the command ends, and return what it printed.
   * A marker echoed after the command carries its exit status; the typed line itself never matches it.
   */
  async run(command: string, opts: { timeoutMs?: number; escapes?: boolean; pollMs?: number } = {}): Promise<CommandRun> {
    const id = `__CLEAN_DONE_${++counter}__`;
    const done = new RegExp(`^${id}:(\\d+)$`, 'm');
    const typedEnd = `; printf '\\n${id}:%d\\n' $?`;
    this.tmux('send-keys', '-l', command + typedEnd);
    const start = Date.now();
    this.tmux('send-keys', 'Enter');
    const frames: string[] = [];
    const deadline = start + (opts.timeoutMs ?? 45_000);
    for (;;) {
      const screen = this.capture(); // the marker is the last thing printed, so it shows on the visible screen
      if (done.test(screen)) break;
      frames.push(screen);
      if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs ?? 45_000} ms running: ${command}\nthe pane shows:\n${this.capture()}`);
      await sleep(opts.pollMs ?? 100);
    }
    const elapsedMs = Date.now() - start;
    const all = this.capture({ history: true, escapes: opts.escapes }).split('\n');
    const end = all.findIndex((l) => done.test(l));
    const typed = all.slice(0, end).findLastIndex((l) => l.includes(typedEnd));
    const code = Number(done.exec(all[end])![1]);
    // When the typed line fills the row exactly, readline's wrap makes -J join the first output line onto it.
    const joined = all[typed].slice(all[typed].indexOf(typedEnd) + typedEnd.length);
    // Trailing blanks are invisible on a terminal (tmux keeps the cells a coloured, padded column leaves).
    const lines = [...(joined ? [joined] : []), ...all.slice(typed + 1, end)].map((l) => l.trimEnd());
    if (lines.length && lines[lines.length - 1] === '') lines.pop(); // the marker's own leading newline
    return { code, lines, frames, finalScreen: this.capture(), elapsedMs };
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    // A program the killed shell was running may still be finishing its writes in here: retry, and
    // never fail a test over a temporary folder left behind.
    try {
      fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // left for the system's temp cleaning
    }
  }
}

/**
 * Write `count` small invented news articles (made-up words for names and places, so each story is its
 * own) into `dir`, as `a00000.txt`, …: a title line, a blank line, `paragraphs` paragraphs.
 */
export function writeInventedArticles(dir: string, count: number, paragraphs = 3): void {
  fs.mkdirSync(dir, { recursive: true });
  let seed = 20251123;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const syllables = ['ka', 'lo', 'mer', 'tin', 'dra', 'vel', 'os', 'quin', 'bar', 'ret', 'sul', 'ham', 'pri', 'zo', 'gul', 'nev', 'tor', 'ash', 'bel', 'cor'];
  const word = () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(syllables)).join('');
  const Name = () => {
    const w = word();
    return w[0].toUpperCase() + w.slice(1);
  };
  const verbs = ['opened', 'closed', 'repaired', 'sold', 'painted', 'visited', 'rebuilt', 'inspected', 'moved', 'renamed'];
  const things = ['bridge', 'library', 'market hall', 'ferry pier', 'school', 'bakery', 'clock tower', 'depot', 'orchard', 'footpath'];
  const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const sentence = () =>
    `${Name()} ${Name()} ${pick(verbs)} the ${word()} ${pick(things)} near ${Name()} on ${pick(days)} for ${Math.floor(rnd() * 9000) + 100} ${word()}s.`;
  for (let i = 0; i < count; i++) {
    const title = `${Name()} ${pick(things)} ${pick(verbs)} in ${Name()} after ${Math.floor(rnd() * 90) + 2} days`;
    const body = Array.from({ length: paragraphs }, () => [sentence(), sentence(), sentence()].join(' '));
    fs.writeFileSync(path.join(dir, `a${String(i).padStart(5, '0')}.txt`), `${title}\n\n${body.join('\n\n')}\n`);
  }
}
