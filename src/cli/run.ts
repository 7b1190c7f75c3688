// The command line: parse options, call the library, print. Streams are passed in so tests can run it
// in-process; `main.ts` binds it to the real process.
import path from 'node:path';
import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { analyzeCorpus, discoverCorpus, type AnalyzeOptions, type CorpusAnalysis } from '../pipeline.js';
import { loadConfig, ConfigError, type Config } from '../config/index.js';
import { isInside, outputConflict, prefetchManifest, realpathLoose, sweepDeadTemps, writeOutputs, type ManifestAhead } from '../write/index.js';
import { GLOB_CHARS } from '../read/index.js';
import { formatNdjsonLine, jsonReportChunks } from '../report/json.js';
import { batched } from '../json-chunks.js';
import { findProblems, formatCheckSummary, formatProblem } from '../report/check.js';
import { formatSummary } from '../report/text.js';
import { printablePath } from '../report/paths.js';
import { renderArticle } from '../clean/index.js';
import { makeChalk } from './colour.js';
import { VERSION } from './version.js';
import { createProgress, progressEnabled, type Progress } from './progress.js';
import { CACHE_FILE, CacheDamagedError, DEFAULT_CACHE_DIR, DocCache } from '../cache/index.js';
import { decodeReplay, encodeReplay, outputsInPlace, recordingStream, REPLAY_KEY_STATE, REPLAY_STATE, replayKey, settledOutputs, writeRecorded } from './replay.js';
import { docSettings } from '../pipeline.js';

export interface OutStream {
  write(chunk: string): unknown;
  /**
   * Writes bytes (a report made into UTF-8 piece by piece, see writeChunks); without it, text goes through write().
   * The stream may keep the chunk queued: `holdsBytes` says whether it still does (the next chunk is then not written
   * into the same memory).
   */
  writeBytes?(chunk: Uint8Array): unknown;
  holdsBytes?(): boolean;
  /** For backpressure: when write() returns false, the next chunk waits for 'drain'. */
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
  /** The reader went away (a closed pipe): nothing more needs rendering for it. */
  closed?: boolean;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  readStdin: () => Promise<Uint8Array>;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The heap this process may use, in MB (v8 heap_size_limit); unknown: no check. */
  heapLimitMb?: number;
  /** Runs the same command again in a Node with a heap of `heapMb`; resolves to its exit code. */
  relaunch?: (heapMb: number) => Promise<number>;
}

/** The corpus needs a larger heap than this process has: the run starts again in one that has it. */
class NeedsLargerHeap extends Error {
  constructor(readonly heapMb: number) {
    super(`needs a heap of ${heapMb} MB`);
  }
}

/**
 * Heap a corpus needs, in MB: measured at 100,000 articles of 3 KB, about 8 KB a document plus 1.5 bytes per
 * byte of text (the cleaned text, fingerprints, clustering), with room for the corpus-wide stages.
 */
export function heapNeededMb(files: number, bytes: number): number {
  return Math.ceil((files * 8192 + bytes * 1.5) / (1024 * 1024)) + 512;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** Where the articles go when --out is not given (relative to the working folder). */
export const DEFAULT_OUT = 'cleaned';

class UsageError extends Error {}

function parseThreshold(value: string): number {
  // Number() would take "" (an unset shell variable) as 0 and "0x1" as 1
  const x = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN;
  if (!(x >= 0 && x <= 1)) throw new InvalidArgumentError('expected a decimal number from 0 to 1, such as 0.2.');
  return x;
}

function buildProgram(io: CliIO) {
  return new Command()
    .name('clean')
    .description('Clean a folder of scraped news: strip boilerplate, lift metadata, cluster copies and write-ups of the same event, and keep one canonical article per story.')
    .argument('[paths...]', 'files, folders or globs to read; - reads standard input')
    .option('-o, --out <dir>', `where canonical articles and manifest.json go (default: ./${DEFAULT_OUT})`)
    .option('--all', 'write every cleaned document under its own relative path, not only canonicals')
    .option('--check', 'write nothing; exit 1 if anything would change (pre-commit)')
    .addOption(new Option('--format <fmt>', 'report format').choices(['text', 'json', 'ndjson'] as const).default('text' as const))
    .option('--stdout', 'write the canonical articles to stdout instead of files')
    .option('--explain', 'say why each line was removed and why each document joined its cluster')
    .option('--threshold <x>', 'how similar two write-ups must be to count as one story (0..1)', parseThreshold)
    .option('--config <file>', 'settings file (default: .cleanrc.json, or the "clean" key of package.json)')
    .option('--cache', `reuse per-document results of earlier runs (stored in ./${DEFAULT_CACHE_DIR}/)`)
    .option('--cache-location <path>', 'cache file, or a folder for it (implies --cache)')
    .option('--no-color', 'no colours, even on a terminal')
    .option('-q, --quiet', 'print nothing but requested output and errors')
    .version(VERSION, '-v, --version')
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
}

function inputFolders(args: readonly string[], cwd: string, outAbs: string): { folders: string[]; files: string[] } {
  const folders: string[] = [];
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') continue;
    const abs = path.resolve(cwd, arg);
    try {
      if (fs.statSync(abs).isDirectory()) folders.push(abs);
      else files.push(abs);
    } catch {
      // A missing path reads nothing (discovery says so); a glob reads what it matches under its folder prefix.
      if (!GLOB_CHARS.test(arg)) continue;
      const parts = arg.split(/[\\/]/);
      const fixed = parts.findIndex((p) => GLOB_CHARS.test(p));
      const base = path.resolve(cwd, parts.slice(0, fixed).join('/') || '.');
      if (!globCanReach(parts.slice(fixed), base, outAbs)) continue;
      folders.push(base);
    }
  }
  return { folders, files };
}

/** A path as the user would type it from `cwd`: relative when inside it, else absolute. */
function displayFrom(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/**
 * Whether a glob's pattern segments (after its folder prefix `base`) could match a file inside the folder `outAbs`.
 * Without "**", braces or extglobs a pattern of k segments matches files exactly k levels below `base`, and every
 * file of an output folder d levels below `base` lies at least d + 1 levels down: `clean '*.txt'` is safe with
 * ./cleaned, `clean 'news/**'` is not with ./news/cleaned.
 */
function globCanReach(pattern: readonly string[], base: string, outAbs: string): boolean {
  const realBase = realpathLoose(base);
  const realOut = realpathLoose(outAbs);
  if (!isInside(realOut, realBase)) return false;
  const rel = path.relative(realBase, realOut);
  if (pattern.some((p) => p.includes('**') || /[{}()]/.test(p))) return true;
  const depth = rel === '' ? 0 : rel.split(path.sep).length;
  return pattern.length > depth;
}

/** The cache file: --cache-location names a file, or a folder (ending in / or existing) to hold it. */
function openCache(cwd: string, location: string | undefined, settings: ReturnType<typeof docSettings>, warn: (m: string) => void): DocCache {
  let file = path.resolve(cwd, location ?? DEFAULT_CACHE_DIR);
  const isFolder = location === undefined || location.endsWith('/') || (fs.existsSync(file) && fs.statSync(file).isDirectory());
  if (isFolder) file = path.join(file, CACHE_FILE);
  // read while the inputs are walked (analyzeCorpus waits for it)
  return DocCache.openInBackground(file, VERSION, settings, warn);
}

type Options = ReturnType<ReturnType<typeof buildProgram>['opts']>;
type Chalk = ReturnType<typeof makeChalk>;

/** One run's parsed command line and what follows from it. */
interface Invocation {
  opts: Options;
  args: string[];
  config: Config;
  chalk: Chalk;
  chalkErr: Chalk;
  /** `clean -` alone. */
  onlyStdin: boolean;
  /** The articles go to stdout (--stdout, or `cat page.html | clean -`). */
  toStdout: boolean;
  /** The articles go to the output folder. */
  writeFiles: boolean;
  outDisplay: string;
  outAbs: string;
}

/** A line on stderr, in red, and the usage exit code. */
function fail(io: CliIO, chalkErr: Chalk, message: string): number {
  io.stderr.write(`${chalkErr.red('clean:')} ${message}\n`);
  return EXIT_USAGE;
}

/** Options, configuration and their combinations, checked; or the exit code when the run ends here. */
function parseCommandLine(argv: readonly string[], io: CliIO): Invocation | number {
  const program = buildProgram(io);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    throw e;
  }
  const opts = program.opts();
  const args = program.args;
  const chalk = makeChalk(io.stdout, io.env, opts.color);
  const chalkErr = makeChalk(io.stderr, io.env, opts.color);

  let config: Config;
  try {
    config = loadConfig(io.cwd, opts.config);
    if (args.length === 0) throw new UsageError('no input paths given (try `clean ./corpus`, or `clean -` to read standard input)');
    if (opts.stdout && opts.format !== 'text') throw new UsageError(`--stdout and --format ${opts.format} both write to stdout; choose one`);
    if (opts.check && opts.stdout) throw new UsageError('--check writes nothing; it cannot be combined with --stdout');
    if (opts.stdout && opts.out !== undefined) throw new UsageError('--stdout writes the articles to stdout, not to a folder; it cannot be combined with --out');
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) return fail(io, chalkErr, e.message);
    throw e;
  }

  const onlyStdin = args.length === 1 && args[0] === '-';
  // `cat page.html | clean -` prints the cleaned text unless an output folder is asked for.
  const toStdout = Boolean(opts.stdout) || (onlyStdin && !opts.out && !opts.check && opts.format === 'text');
  const writeFiles = !opts.check && !toStdout;
  // the config's "out" is relative to its file, as its "ignore" patterns are (a run from a subfolder writes to the same place)
  const outDisplay = opts.out ?? (config.out !== undefined && config.dir ? displayFrom(io.cwd, path.resolve(config.dir, config.out)) : (config.out ?? DEFAULT_OUT));
  const outAbs = path.resolve(io.cwd, outDisplay);
  if (writeFiles) {
    const { folders, files } = inputFolders(args, io.cwd, outAbs);
    const conflict = outputConflict(outAbs, folders, files);
    if (conflict) return fail(io, chalkErr, `${conflict}; choose another with --out (nothing was written)`);
  }
  return { opts, args, config, chalk, chalkErr, onlyStdin, toStdout, writeFiles, outDisplay, outAbs };
}

/**
 * The progress bar, and with CLEAN_TIMINGS=1 how long each stage took (on stderr, for benchmarks and
 * profiling): both follow the stages the library announces.
 */
function stageClock(io: CliIO, quiet: boolean | undefined) {
  const shown = createProgress(io.stderr, progressEnabled(io.stderr, io.env, quiet));
  // Each stage's start time, the process's peak resident memory so far (KB) and its minor page faults so far (a page
  // touched for the first time: on some machines the larger part of a warm run's time) when it ended.
  const times: [string, number, number, number][] = [];
  const mark = (label: string) => {
    const usage = process.resourceUsage();
    times.push([label, performance.now(), usage.maxRSS, usage.minorPageFault]);
  };
  // the first stage's parts, told by the library as they start (analyse's onStep)
  mark('walking the inputs');
  const progress: Progress = {
    update: (d, t) => shown.update(d, t),
    phase: (label) => {
      mark(label);
      shown.phase(label);
    },
    stop: () => shown.stop(),
  };
  /** What the write stage said of the manifest (with the cache). */
  let manifest = '';
  const wrote = (entries: { copied: number; total: number }) => {
    manifest = `, manifest entries copied ${entries.copied} of ${entries.total}`;
  };
  const report = (stats: CorpusAnalysis['stats']) => {
    if (!io.env.CLEAN_TIMINGS) return;
    const pairs =
      stats.pairsScored === null
        ? ''
        : `, pair scores reused ${stats.pairsReused} of ${stats.pairsReused + stats.pairsScored}, candidate indexes ${stats.indexesUpdated ? 'updated' : 'built'}, document frequencies ${stats.dfUpdated ? 'updated' : 'counted'}, weights hashed for ${stats.weightsHashed ?? 0} documents${stats.linked ? `, representatives linked ${stats.linked.linked} of ${stats.linked.of}` : ''}${stats.completions?.asked ? `, linkage scores reused ${stats.completions.reused} of ${stats.completions.asked}` : ''}`;
    const groups = stats.clustersReused ? `, clusters of the last run reused (${stats.clustersReused} ${stats.clustersReused === 1 ? 'pass' : 'passes'})` : '';
    const choices = stats.choicesReused ? `, canonical choices reused ${stats.choicesReused.reused} of ${stats.choicesReused.of}` : '';
    io.stderr.write(`clean: ${stats.templateLines} template lines, ${stats.recleaned} documents cleaned again${pairs}${groups}${choices}${manifest}\n`);
    mark('end');
    for (let i = 0; i + 1 < times.length; i++) {
      const seconds = ((times[i + 1][1] - times[i][1]) / 1000).toFixed(2);
      const faults = times[i + 1][3] - (i > 0 ? times[i][3] : 0);
      io.stderr.write(`clean: ${times[i][0]}: ${seconds} s (peak RSS ${Math.round(times[i + 1][2] / 1024)} MB, ${faults} minor page faults)\n`);
    }
  };
  return { progress, mark, report, wrote };
}

/** The library's options for this invocation; `inputError` says an unusable input's message on stderr. */
function analyzeOptions(inv: Invocation, io: CliIO, progress: Progress, mark: (label: string) => void, inputError: (m: string) => void, cache: DocCache | undefined): AnalyzeOptions {
  const { opts, config } = inv;
  return {
    cwd: io.cwd,
    threshold: opts.threshold ?? config.threshold,
    disabledRules: config.disable,
    extraRules: config.rules,
    ignorePatterns: config.ignore,
    ignoreBase: config.dir ?? io.cwd,
    readStdin: io.readStdin,
    cache,
    onError: (e) => {
      progress.stop();
      inputError(`${printablePath(e.path)}: ${e.message}`);
    },
    onProgress: (done, total) => progress.update(done, total),
    onPhase: (label) => progress.phase(label),
    onStep: mark,
    onDiscovered: ({ files, bytes }) => {
      // Without this the run would abort with "heap out of memory" after minutes of work (a million articles
      // under Node's default limit of about 4 GB); standard input can be read only once, so it stays here.
      const need = heapNeededMb(files, bytes);
      if (io.relaunch && io.heapLimitMb && need > io.heapLimitMb && !inv.args.includes('-')) throw new NeedsLargerHeap(need);
    },
  };
}

/** Read, clean and cluster, with the cache when asked for; input errors are shown as they are found. */
async function analyse(inv: Invocation, options: AnalyzeOptions, progress: Progress): Promise<CorpusAnalysis> {
  try {
    return await analyzeCorpus(inv.args, options);
  } catch (e) {
    progress.stop();
    throw e;
  }
}

/** Stores what this run added to the cache; a failure only costs the next run's time. */
function saveCache(cache: DocCache | undefined, warn: (m: string) => void): void {
  try {
    cache?.save();
  } catch (e) {
    warn(`cannot write the cache (${(e as Error).message}); the results are not affected`);
  }
}

/** --check: one line per problem (or the report as asked), exit 1 when there is any. */
async function emitCheck(inv: Invocation, io: CliIO, analysis: CorpusAnalysis, cache: DocCache | undefined): Promise<number> {
  const problems = findProblems(analysis);
  if (inv.opts.format === 'json') await writeChunks(io.stdout, jsonReportChunks(analysis.report, inv.opts.explain, problems));
  else if (inv.opts.format === 'ndjson') {
    textsReadable(analysis, false, cache);
    await writeChunks(io.stdout, ndjsonLines(analysis.clusters, inv.opts.explain));
  }
  else {
    for (const p of problems) io.stdout.write(formatProblem(p) + '\n');
    io.stdout.write(formatCheckSummary(problems, analysis.docs.length) + '\n');
  }
  return problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** The report on stdout (or, with --stdout, the articles there and the summary on stderr). */
async function emitReport(inv: Invocation, io: CliIO, analysis: CorpusAnalysis, cache: DocCache | undefined): Promise<void> {
  const { opts, chalk, chalkErr } = inv;
  if (inv.toStdout) {
    // --all with --stdout: every cleaned document in path order; otherwise the canonical articles.
    textsReadable(analysis, opts.all, cache);
    await writeChunks(io.stdout, articleTexts(analysis, opts.all));
    if (!opts.quiet && (opts.explain || !inv.onlyStdin)) {
      io.stderr.write(formatSummary(analysis, { chalk: chalkErr, explain: opts.explain, destination: 'stdout', width: io.stderr.isTTY ? io.stderr.columns : undefined }));
    }
    return;
  }
  if (opts.format === 'json') await writeChunks(io.stdout, jsonReportChunks(analysis.report, opts.explain));
  else if (opts.format === 'ndjson') {
    textsReadable(analysis, false, cache);
    await writeChunks(io.stdout, ndjsonLines(analysis.clusters, opts.explain));
  } else if (!opts.quiet) {
    io.stdout.write(formatSummary(analysis, { chalk, explain: opts.explain, destination: inv.writeFiles ? inv.outDisplay : null, width: io.stdout.isTTY ? io.stdout.columns : undefined }));
  }
}

/**
 * Reads every text a streamed output holds (the canonical articles, or with `all` every document) before its first
 * byte goes out, when they come from the cache file (checked as they are read there): a damaged one then throws
 * while nothing is printed, and the run can be done again.
 */
function textsReadable(analysis: CorpusAnalysis, all: boolean | undefined, cache: DocCache | undefined): void {
  if (!cache?.readsTexts) return;
  if (all) for (const d of analysis.docs) void d.paragraphs;
  else for (const c of analysis.clusters) void c.text;
}

/** Run `clean` with the given arguments (without "node" and the script). Resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const inv = parseCommandLine(argv, io);
  if (typeof inv === 'number') return inv;
  // Each message once: a run done again without a damaged cache finds the same input errors.
  const said = new Set<string>();
  const warn = (message: string) => {
    if (said.has(message)) return;
    said.add(message);
    io.stderr.write(`${inv.chalkErr.yellow('clean:')} ${message}\n`);
  };
  const { opts, config } = inv;
  const useCache = Boolean(opts.cache || opts.cacheLocation);
  const warnings = () => said.size;
  try {
    return await runOnce(inv, io, warn, useCache ? openCache(io.cwd, opts.cacheLocation, docSettings({ disabledRules: config.disable, extraRules: config.rules }), warn) : undefined, argv, warnings);
  } catch (e) {
    // A cached text found damaged as it was read (nothing was written or printed yet): the file is gone, and the
    // run is done again without it.
    if (!(e instanceof CacheDamagedError)) throw e;
    warn(`${e.message}; the cache is removed and the run done again without it`);
    return runOnce(inv, io, warn, undefined, argv, warnings);
  }
}

/**
 * Everything this invocation's output depends on but its inputs (replay.ts): the command line and working folder, the
 * configuration as loaded, and how each stream is shown (colour level; width on a terminal).
 */
function invocationOf(inv: Invocation, io: CliIO, argv: readonly string[]): unknown {
  const shown = (s: OutStream, level: number) => [level, s.isTTY === true, s.isTTY ? (s.columns ?? null) : null];
  return { argv, cwd: io.cwd, config: inv.config, stdout: shown(io.stdout, inv.chalk.level), stderr: shown(io.stderr, inv.chalkErr.level) };
}

/** One run, with the cache or without it. `warnings`: how many messages were said on stderr so far. */
async function runOnce(inv: Invocation, io: CliIO, warn: (m: string) => void, cache: DocCache | undefined, argv: readonly string[], warnings: () => number): Promise<number> {
  const clock = stageClock(io, inv.opts.quiet);
  let analysis: CorpusAnalysis | undefined;
  let damaged = false;
  // the input errors said on stderr, which a replay says again
  const inputErrors: string[] = [];
  const options = analyzeOptions(inv, io, clock.progress, clock.mark, (m) => {
    inputErrors.push(m);
    warn(m);
  }, cache);
  // the manifest in the output folder is read in the thread pool while the corpus is read and clustered
  const manifestAhead = inv.writeFiles && !inv.opts.check ? prefetchManifest(inv.outAbs) : null;
  // With the cache, the inputs are walked first: a run over what the last run saw, as it left it, prints what it printed.
  // (Not with --stdout: the articles themselves are too large to keep, and the summary goes to stderr.)
  let replayKeyed: string | null = null;
  if (cache && !inv.toStdout) {
    const replay = await replayed(inv, io, options, cache, clock.mark, invocationOf(inv, io, argv), warn, warnings);
    if ('exitCode' in replay) return replay.exitCode;
    replayKeyed = replay.key;
  }
  // what a run over an unchanged corpus prints is kept, for the next one to replay
  const stdout = replayKeyed ? recordingStream(io.stdout) : io.stdout;
  // (the files the write stage leaves, only when this run's output may be kept)
  const written = replayKeyed ? new Map<string, string | null>() : undefined;
  try {
    try {
      analysis = await analyse(inv, options, clock.progress);
    } catch (e) {
      if (e instanceof NeedsLargerHeap && io.relaunch) return io.relaunch(e.heapMb);
      throw e;
    }
    const code = await emit(inv, { ...io, stdout }, analysis, clock, cache, manifestAhead, written);
    // (only input errors were said: they are said again when the output is replayed)
    if (cache) keepForReplay(cache, replayKeyed, code, stdout, written ?? new Map(), warnings() === new Set(inputErrors).size ? inputErrors : null);
    return code;
  } catch (e) {
    damaged = e instanceof CacheDamagedError;
    throw e;
  } finally {
    // After the write stage, which notes in the cache the outputs it found in place.
    if (damaged) cache?.discard();
    else if (analysis) saveCache(cache, warn);
    cache?.close();
    analysis?.release();
  }
}

/**
 * Walks the inputs (into `options.discovery`, for the analysis) and, once the cache is read, replays the last run's
 * output when this run's key is the one it was kept under, nothing was said on stderr yet, and every output file is as
 * that run left it (replay.ts). Returns the exit code when it replayed, else this run's key (null: none).
 */
async function replayed(inv: Invocation, io: CliIO, options: AnalyzeOptions, cache: DocCache, mark: (label: string) => void, invocation: unknown, warn: (m: string) => void, warnings: () => number): Promise<{ exitCode: number } | { key: string | null }> {
  options.discovery = discoverCorpus(inv.args, options);
  mark('waiting for the cache file');
  await cache.ready;
  const key = replayKey(invocation, options.discovery, cache);
  const kept = cache.state(REPLAY_KEY_STATE);
  if (!key || !kept || Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('utf8') !== key || warnings() > 0) return { key };
  const last = decodeReplay(cache.state(REPLAY_STATE));
  if (!last || !outputsInPlace(last.outputs)) return { key };
  mark('replaying the last run');
  // what the write stage does before it writes: temporary files of a run stopped while writing are removed
  if (inv.writeFiles && last.outputs.length > 0) sweepDeadTemps(inv.outAbs, last.outputs.map(([file]) => file));
  for (const m of last.errors) warn(m);
  await writeRecorded(io.stdout, last.stdout);
  if (io.env.CLEAN_TIMINGS) io.stderr.write('clean: nothing changed since the last run: its output replayed\n');
  cache.close();
  return { exitCode: last.exitCode };
}

/**
 * Keeps this run's output in the cache for the next run to replay, when this run's key is known (its inputs are as the
 * cache remembers them), it said nothing on stderr but input errors (`errors`; null: something else), and its outputs
 * are old enough to be trusted by their stat signatures; else drops the last one kept (it can never be replayed now).
 */
function keepForReplay(cache: DocCache, key: string | null, exitCode: number, stdout: OutStream & { recorded?(): Uint8Array[] | null }, written: ReadonlyMap<string, string | null>, errors: string[] | null): void {
  const recorded = key && errors && (exitCode === EXIT_OK || exitCode === EXIT_PROBLEMS) ? stdout.recorded?.() : null;
  const outputs = recorded ? settledOutputs(written) : null;
  if (key && errors && recorded && outputs) {
    cache.setState(REPLAY_KEY_STATE, Buffer.from(key));
    cache.setState(REPLAY_STATE, encodeReplay({ exitCode, errors, outputs, stdout: recorded }), { deferred: true });
    return;
  }
  for (const name of [REPLAY_KEY_STATE, REPLAY_STATE]) if (cache.hasState(name)) cache.setState(name, new Uint8Array(0));
}

/**
 * Everything after the analysis: check, write, report. `written`: when given, filled with every file the write stage
 * leaves in the output folder (articles and manifest) and its stat signature as found and left (null: written now).
 */
async function emit(inv: Invocation, io: CliIO, analysis: CorpusAnalysis, clock: ReturnType<typeof stageClock>, cache: DocCache | undefined, manifestAhead: Promise<ManifestAhead> | null, written?: Map<string, string | null>): Promise<number> {
  if (analysis.docs.length === 0) {
    clock.progress.stop();
    return fail(io, inv.chalkErr, 'nothing readable in the given paths');
  }
  if (inv.opts.check) {
    clock.progress.stop();
    return emitCheck(inv, io, analysis, cache);
  }
  if (inv.writeFiles) {
    try {
      clock.progress.phase(`writing to ${inv.outDisplay}`);
      await writeOutputs(analysis, { outDisplay: inv.outDisplay, outAbs: inv.outAbs, all: inv.opts.all, beforeRename: failpoint(io, 'before-rename'), cache, onManifest: cache && clock.wrote, manifestAhead, outputs: written });
    } catch (e) {
      clock.progress.stop();
      if (e instanceof CacheDamagedError) throw e; // nothing was renamed into place: the run is done again
      const err = e as NodeJS.ErrnoException;
      return fail(io, inv.chalkErr, `cannot write to ${inv.outDisplay}: ${err.code ?? ''} ${err.message}`);
    }
  }
  clock.progress.stop();
  clock.mark('reporting');
  await emitReport(inv, io, analysis, cache);
  clock.report(analysis.stats);
  return EXIT_OK;
}

/**
 * CLEAN_FAILPOINT=before-rename: stop for a minute once the temporary files are written, after saying so on
 * stderr. The interrupt tests use it to press Ctrl-C at a known moment instead of guessing one.
 */
function failpoint(io: CliIO, name: string): (() => Promise<void>) | undefined {
  if (io.env.CLEAN_FAILPOINT !== name) return undefined;
  return async () => {
    io.stderr.write(`clean: failpoint ${name}\n`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  };
}

function* ndjsonLines(clusters: CorpusAnalysis['clusters'], explain: boolean | undefined): Generator<string> {
  for (const c of clusters) yield formatNdjsonLine(c, explain);
}

/**
 * Writes pieces of output in chunks of about 64 KB, waiting for 'drain' when the stream asks to (a pipe to a
 * slow reader), so a large report never sits in memory whole; stops when the reader has gone away (closableStdout
 * in main.ts).
 */
export async function writeChunks(out: OutStream, pieces: Iterable<string>): Promise<void> {
  const room = async (ok: unknown) => {
    if (ok === false && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
  };
  if (!out.writeBytes) {
    for (const chunk of batched(pieces)) {
      if (out.closed) return;
      await room(out.write(chunk));
    }
    return;
  }
  // Each piece encoded into one buffer where it lies: pieces joined into one string first made the whole string
  // two bytes a character as soon as one of them held a character past Latin-1 (a quote mark, a dash), and encoding
  // that is several times slower (ECB+'s 3.9 MB report: 105 ms in Buffer.from).
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  const flush = async (bytes: Uint8Array) => {
    const ok = out.writeBytes!(bytes);
    // still queued (a slow reader): the next chunk goes into other memory
    if (bytes.buffer === buf.buffer && out.holdsBytes?.() !== false) buf = Buffer.allocUnsafe(CHUNK_BYTES);
    await room(ok);
  };
  for (const piece of pieces) {
    // a piece too long for the buffer goes in stretches (a document's list of removed lines can be megabytes)
    for (let at = 0; at < piece.length; ) {
      if (out.closed) return;
      const part = at === 0 && piece.length <= CHUNK_CHARS ? piece : piece.slice(at, stretchEnd(piece, at));
      // a UTF-8 byte count of at most 3 per UTF-16 unit
      if (filled > 0 && filled + part.length * 3 > CHUNK_BYTES) {
        await flush(buf.subarray(0, filled));
        filled = 0;
        if (out.closed) return;
      }
      filled += buf.write(part, filled);
      at += part.length;
    }
  }
  if (filled > 0 && !out.closed) await flush(buf.subarray(0, filled));
}

/** Bytes of a chunk writeChunks gives the stream, and the UTF-16 units that surely fit in it. */
const CHUNK_BYTES = 1 << 16;
const CHUNK_CHARS = Math.floor(CHUNK_BYTES / 3);

/** Where a stretch of `text` from `at` that fits a chunk ends: never between the two halves of a surrogate pair. */
function stretchEnd(text: string, at: number): number {
  const end = Math.min(text.length, at + CHUNK_CHARS);
  const c = text.charCodeAt(end);
  return end < text.length && c >= 0xdc00 && c <= 0xdfff ? end - 1 : end;
}

/** The articles for --stdout, separated by a blank line. */
function* articleTexts(analysis: CorpusAnalysis, all: boolean | undefined): Generator<string> {
  const texts = all ? analysis.docs.map((d) => () => renderArticle(d)) : analysis.clusters.map((c) => () => c.text);
  for (let i = 0; i < texts.length; i++) yield (i > 0 ? '\n' : '') + texts[i]();
}
