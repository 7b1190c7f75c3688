// The human summary: clusters as a compact table, removed lines by rule, errors, where output went.
// With --explain: why each member joined, why the canonical won, and each removed line.
import type { ChalkInstance } from 'chalk';
import type { CorpusAnalysis } from '../pipeline.js';
import type { Relation } from '../types.js';

export interface TextOptions {
  chalk: ChalkInstance;
  explain?: boolean;
  /** Where the articles went: a folder, "stdout", or null when nothing was written. */
  destination?: string | null;
  /** Terminal width for truncating titles and paths; undefined (a pipe or file) truncates nothing. */
  width?: number;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}

/**
 * A path cut to n characters in its folders, so the file name, which tells members apart, stays whole
 * (`long/folder…/002_name.txt`); a file name longer than that loses its middle (`002_mer…deal.txt`).
 */
export function truncatePath(p: string, n: number): string {
  if (p.length <= n) return p;
  const slash = p.lastIndexOf('/');
  const tail = p.slice(slash + 1);
  const room = n - 2 - tail.length; // characters of the folders that fit
  if (slash > 0 && room >= 4) return `${p.slice(0, room)}…/${tail}`;
  if (slash > 0 && room >= 0) return `…/${tail}`;
  const keep = Math.max(1, n - 1);
  return `${tail.slice(0, Math.floor(keep / 2))}…${tail.slice(tail.length - Math.ceil(keep / 2))}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function relationColour(chalk: ChalkInstance, r: Relation): (s: string) => string {
  switch (r) {
    case 'canonical':
      return chalk.green;
    case 'exact':
      return chalk.red;
    case 'near-duplicate':
      return chalk.yellow;
    default:
      return chalk.cyan;
  }
}

export function formatSummary(analysis: CorpusAnalysis, opts: TextOptions): string {
  const { chalk } = opts;
  const width = opts.width === undefined ? Infinity : Math.max(60, opts.width);
  const { summary } = analysis.report;
  const out: string[] = [];
  out.push(
    chalk.bold(
      `${plural(summary.documents, 'document')} → ${plural(summary.clusters, 'article')}` +
        ` (${plural(summary.duplicates, 'duplicate')}), ${plural(summary.removedLines, 'line')} removed, ${plural(summary.errors, 'error')}`,
    ),
  );
  out.push('');

  const pathWidth = Math.min(
    Math.max(...analysis.clusters.flatMap((c) => c.cluster.members.map((m) => m.path.length)), 10),
    width === Infinity ? Infinity : Math.floor(width * 0.55),
  );
  for (const { cluster } of analysis.clusters) {
    out.push(`${chalk.bold(pad(cluster.id, 4))}${truncate(cluster.title ?? '(untitled)', width - 4)}`);
    for (const m of cluster.members) {
      const mark = m.relation === 'canonical' ? chalk.green('★ ') : '  ';
      const colour = relationColour(chalk, m.relation);
      const score = m.relation === 'canonical' ? '' : m.score.toFixed(2);
      out.push(`  ${mark}${pad(truncatePath(m.path, pathWidth), pathWidth)}  ${colour(pad(m.relation, 14))} ${score}`.trimEnd());
      if (opts.explain && m.relation !== 'canonical') for (const w of m.why) out.push(chalk.dim(`        · ${w}`));
    }
    if (opts.explain && cluster.canonicalWhy.length) {
      out.push(chalk.dim(`      canonical: ${cluster.canonicalWhy.join('; ')}`));
    }
  }

  const byRule = new Map<string, number>();
  for (const d of analysis.docs) for (const r of d.removed) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1);
  if (byRule.size) {
    out.push('');
    out.push(chalk.bold('Removed lines by rule'));
    const rules = [...byRule.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const w = Math.max(...rules.map(([r]) => r.length));
    for (const [rule, n] of rules) out.push(`  ${pad(rule, w)}  ${String(n).padStart(5)}`);
  }

  if (opts.explain) {
    const withRemovals = analysis.docs.filter((d) => d.removed.length > 0);
    if (withRemovals.length) {
      out.push('');
      out.push(chalk.bold('Removed lines by document'));
      for (const d of withRemovals) {
        out.push(`  ${d.path}`);
        for (const r of d.removed) out.push(`    ${chalk.dim(`${String(r.line).padStart(4)}`)} ${chalk.yellow(pad(r.rule, 18))} ${truncate(r.text.trim(), width - 30)}`);
      }
    }
  }

  if (analysis.report.errors.length) {
    out.push('');
    out.push(chalk.bold.red('Errors'));
    for (const e of analysis.report.errors) out.push(`  ${e.path}: ${e.message}`);
  }

  if (opts.destination !== undefined) {
    out.push('');
    if (opts.destination === null) out.push('Nothing written.');
    else if (opts.destination === 'stdout') out.push('Articles written to stdout.');
    else out.push(`Wrote ${plural(analysis.clusters.length, 'article')} and manifest.json to ${opts.destination}`);
  }
  return out.join('\n') + '\n';
}
