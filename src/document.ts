// Everything done to one document on its own: decode → extract HTML → clean → fingerprint.
// Pure and self-contained so it can run in a worker thread and be cached by content hash.
import type { CleanDoc, InputError } from './types.js';
import { decodeSource, isInputError } from './read/index.js';
import { extractHtml } from './extract-html/index.js';
import { cleanText } from './clean/index.js';
import { fingerprint, type DocFingerprint } from './fingerprint/index.js';

/** Per-document settings, in a form that crosses to worker threads (no RegExp objects, no Sets). */
export interface DocSettings {
  disabledRules: string[];
  extraRules: { id: string; source: string; flags: string }[];
}

export interface DocAnalysis {
  doc: CleanDoc;
  fp: DocFingerprint;
  /** Keys of lines that could be a site's template, for the corpus-level pass. */
  templateKeys: string[];
  /** The subset of templateKeys on lines no rule removed: the second pass matters only if one is a template line. */
  openTemplateKeys: string[];
}

export type DocResult = DocAnalysis | InputError;

export function isDocError(r: DocResult): r is InputError {
  return (r as DocAnalysis).doc === undefined;
}

/** Settings objects are rebuilt per call in workers; compiled forms are cached by identity here. */
const compiled = new WeakMap<DocSettings, { disabled: Set<string>; rules: { id: string; pattern: RegExp }[] }>();

function compile(settings: DocSettings) {
  let c = compiled.get(settings);
  if (!c) {
    c = {
      disabled: new Set(settings.disabledRules),
      rules: settings.extraRules.map((r) => ({ id: r.id, pattern: new RegExp(r.source, r.flags) })),
    };
    compiled.set(settings, c);
  }
  return c;
}

export function analyzeSource(path: string, bytes: Uint8Array, settings: DocSettings, templateLines?: ReadonlySet<string>): DocResult {
  const source = decodeSource(path, bytes);
  if (isInputError(source)) return source;
  let text = source.text;
  let htmlMeta;
  if (source.format === 'html') {
    const extracted = extractHtml(source.text);
    text = extracted.text;
    htmlMeta = extracted.meta;
  }
  const { disabled, rules } = compile(settings);
  // The first pass collects template candidates; the second (with templateLines) does not need them.
  const keys = templateLines ? undefined : { all: new Set<string>(), open: new Set<string>() };
  const doc = cleanText(path, text, source.format, { htmlMeta, templateLines, disabledRules: disabled, extraRules: rules, templateKeys: keys });
  return { doc, fp: fingerprint(doc), templateKeys: keys ? [...keys.all] : [], openTemplateKeys: keys ? [...keys.open] : [] };
}
