// Shared pieces of the reliability suite: a good article, corpus builders, and a run that proves the
// inputs are byte-identical afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readTree, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { CLI } from '../helpers/paths.js';

export const ARTICLE = [
  'Lighthouse Keeper Retires After Forty Years on Skerrow Rock',
  '',
  'Agnes Pellow, the last resident keeper of the Skerrow Rock lighthouse, stepped ashore for the final time on Friday after forty years of service on the island.',
  '',
  'The light was automated in 2019, but Ms Pellow stayed on as caretaker under a special arrangement with the harbour trust, which said on Friday that the post would not be filled again.',
  '',
  '“I will miss the gannets more than the people,” she told a small crowd on the quay at Port Ellery, where the trust presented her with a brass barometer.',
  '',
].join('\n');

const PLACES = ['Brackwater', 'Quillon', 'Fenmarsh', 'Tollgate', 'Hesketh', 'Marrow Bay', 'Upper Lint', 'Carrowmore', 'Dunsby', 'Ellery'];
const THINGS = [
  ['library', 'reopened after a flood', 'volunteers dried forty thousand books by hand'],
  ['bus depot', 'closed for repairs', 'drivers will use the old cattle market as a base'],
  ['swimming pool', 'won a design award', 'the judges praised its timber roof'],
  ['footbridge', 'was lifted into place by crane', 'walkers will save a two mile detour'],
  ['orchard', 'produced a record apple harvest', 'the cider press ran for nine days'],
  ['observatory', 'found a new comet', 'an amateur astronomer spotted it at dawn'],
  ['choir', 'sang at the national finals', 'the youngest singer is eleven years old'],
  ['fire station', 'trained twelve new crew members', 'the course lasted fourteen weeks'],
  ['market hall', 'got a new clock', 'the old one had stopped in 1987'],
  ['allotment society', 'planted a seed bank', 'rare bean varieties will be stored there'],
];

/** A distinct short story (different place, subject and words), so that each forms its own cluster. */
export function story(i: number): string {
  const place = PLACES[i % PLACES.length];
  const [thing, event, detail] = THINGS[(i * 7 + Math.floor(i / PLACES.length)) % THINGS.length];
  const title = `${place} ${thing[0].toUpperCase()}${thing.slice(1)} ${event.split(' ')[0]} ${i}`;
  return [title, '', `The ${thing} in ${place} ${event} on Tuesday, officials said.`, '', `${detail[0].toUpperCase()}${detail.slice(1)}, according to the ${place} council, which logged case ${1000 + i}.`, ''].join('\n');
}

export function corpus(files: Record<string, string | Buffer>, prefix = 'clean-hostile-'): string {
  const dir = tempDir(prefix);
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

export interface Report {
  summary: { documents: number; clusters: number; duplicates: number; removedLines: number; errors: number };
  clusters: { id: string; title: string; canonical: string; output: string | null; members: { path: string; relation: string; score: number }[] }[];
  documents: { path: string; title: string | null; words: number; removed: { line: number; rule: string; text: string }[] }[];
  errors: { path: string; message: string }[];
}

export type Run = CliResult & { out: string; report: Report | null };

/** readTree, with each file's bytes as a SHA-256 digest (a 200 MB input stays cheap to compare). */
export function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of readTree(dir)) out.set(k, crypto.createHash('sha256').update(v).digest('hex'));
  return out;
}

/** Run on a corpus folder (cwd = the folder, argument "."); the inputs must be unchanged afterwards. */
export function runOn(dir: string, extraArgs: string[] = [], opts: { input?: string | Buffer; args?: string[] } = {}): Run {
  const before = treeDigest(dir);
  const out = tempDir('clean-hostile-out-');
  const r = runCli([...(opts.args ?? ['.']), '--out', out, '--format', 'json', ...extraArgs], { cwd: dir, input: opts.input });
  expect(treeDigest(dir)).toEqual(before);
  return { ...r, out, report: r.stdout ? (JSON.parse(r.stdout) as Report) : null };
}

export function errorsOf(r: Run): Record<string, string> {
  return Object.fromEntries((r.report?.errors ?? []).map((e) => [e.path, e.message]));
}

/** Every stderr line is one `clean: path: problem` line. */
export function expectErrorLines(stderr: string, count: number): void {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines, stderr).toHaveLength(count);
  for (const line of lines) expect(line).toMatch(/^clean: .+: .+$/);
}

/**
 * Starts the CLI in `cwd` with CLEAN_FAILPOINT=before-rename and resolves once it holds there (every article written
 * as a temporary file, none renamed): the moment the interrupt tests press Ctrl-C.
 */
export async function runToFailpoint(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; exited: Promise<number | null>; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, CLEAN_FAILPOINT: 'before-rename' },
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes('clean: failpoint before-rename')) resolve();
    });
    child.on('exit', () => reject(new Error(`the run ended before the failpoint: ${stderr}`)));
  });
  return { child, exited, stderr: () => stderr };
}

export { readTree, runCli, tempDir };
