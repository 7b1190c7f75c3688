// --check: every problem as `path:line rule message` (like grep or eslint), then one summary line.
import type { CorpusAnalysis } from '../pipeline.js';
import { printablePath } from './paths.js';

export interface CheckProblem {
  path: string;
  line: number;
  rule: string;
  message: string;
}

const MAX_SHOWN = 80;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SHOWN ? `${oneLine.slice(0, MAX_SHOWN - 1)}…` : oneLine;
}

/**
 * Everything `clean --check` fails on: boilerplate lines, lines that need repair, and documents that duplicate
 * another (exact or near-duplicate copies). A different write-up of the same event is another article, not a
 * duplicate: it is clustered and reported, but it does not fail the check.
 */
export function findProblems(analysis: CorpusAnalysis): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const doc of analysis.docs) {
    for (const r of doc.removed) problems.push({ path: doc.path, line: r.line, rule: r.rule, message: `boilerplate line: "${shorten(r.text)}"` });
    // A joined line break is the whole repair of a hard wrap: show it (⏎) rather than fold it into a space.
    const visible = (t: string) => shorten(t.replace(/\n/g, '⏎'));
    for (const r of doc.repairs) problems.push({ path: doc.path, line: r.line, rule: r.repair, message: `needs repair: "${visible(r.from)}" → "${visible(r.to)}"` });
  }
  for (const { cluster } of analysis.clusters) {
    for (const m of cluster.members) {
      if (m.relation !== 'exact' && m.relation !== 'near-duplicate') continue;
      problems.push({ path: m.path, line: 1, rule: m.relation, message: `duplicates ${cluster.canonical} (score ${m.score})` });
    }
  }
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
}

export function formatProblem(p: CheckProblem): string {
  return `${printablePath(p.path)}:${p.line} ${p.rule} ${p.message}`;
}

export function formatCheckSummary(problems: readonly CheckProblem[], documents: number): string {
  if (problems.length === 0) return `clean: no problems in ${documents} document${documents === 1 ? '' : 's'}`;
  const files = new Set(problems.map((p) => p.path)).size;
  const count = (pred: (p: CheckProblem) => boolean) => problems.filter(pred).length;
  const dup = count((p) => p.rule === 'exact' || p.rule === 'near-duplicate');
  const boiler = count((p) => p.message.startsWith('boilerplate'));
  const repairs = problems.length - dup - boiler;
  return `clean: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} of ${documents} documents (${boiler} boilerplate, ${repairs} repairs, ${dup} duplicates)`;
}
