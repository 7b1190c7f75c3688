// Everything done to one document on its own: decode → extract HTML → clean → fingerprint.
// Pure and self-contained so it can run in a worker thread and be cached by content hash.
import type { CleanDoc, InputError } from './types.js';
import { decodeSource, isInputError } from './read/index.js';
import { cleanText } from './clean/index.js';
import { keyHashes, type KeyHashes } from './clean/template-lines.js';
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

/** Where a document's paragraphs, and its template keys, can be read from when they are not held in memory. */
export interface TextSource {
  paragraphs(): string[];
  /** The removed lines, when the source holds them too (a page whose boilerplate is most of it). */
  removed?(): CleanDoc['removed'];
  /** The repairs, when the source holds them too (given with `removed`). */
  repairs?(): CleanDoc['repairs'];
}

export interface KeysSource {
  /** [templateKeys, openTemplateKeys] */
  keys(): [string[], string[]];
  /** keyHashes of the keys and the open keys, where they lie, into `into`: when the source holds them (the cache does). */
  hashesInto?(into: KeyHashes): void;
}

/**
 * A result whose template keys are read from a source (the spill, the cache's bytes) when the template pass asks for
 * them. They are own enumerable properties with one shared getter each, like LazyTextDoc's paragraphs, so copies and
 * JSON of the result are those of one held in memory.
 */
export class LazyKeysAnalysis implements DocAnalysis {
  declare readonly doc: CleanDoc;
  declare readonly fp: DocFingerprint;
  declare readonly templateKeys: string[];
  declare readonly openTemplateKeys: string[];
  readonly #source: KeysSource;

  // One descriptor object for all instances (a warm run makes 10,000 of them).
  static readonly #templateKeys: PropertyDescriptor = {
    get(this: LazyKeysAnalysis): string[] {
      return this.#source.keys()[0];
    },
    enumerable: true,
    configurable: true,
  };
  static readonly #openTemplateKeys: PropertyDescriptor = {
    get(this: LazyKeysAnalysis): string[] {
      return this.#source.keys()[1];
    },
    enumerable: true,
    configurable: true,
  };

  constructor(doc: CleanDoc, fp: DocFingerprint, source: KeysSource) {
    this.doc = doc;
    this.fp = fp;
    Object.defineProperty(this, 'templateKeys', LazyKeysAnalysis.#templateKeys);
    Object.defineProperty(this, 'openTemplateKeys', LazyKeysAnalysis.#openTemplateKeys);
    this.#source = source;
  }

  /** [templateKeys, openTemplateKeys] from one read of the source (each property alone reads it whole). */
  keys(): [string[], string[]] {
    return this.#source.keys();
  }

  /** keyHashes of [templateKeys, openTemplateKeys] into `into`: where the source holds them, else made from the keys. */
  keyHashesInto(into: KeyHashes): void {
    if (this.#source.hashesInto) this.#source.hashesInto(into);
    else {
      const [keys, open] = this.#source.keys();
      Object.assign(into, keyHashes(keys, open));
    }
  }
}

/** A result's [templateKeys, openTemplateKeys], read once when they are read from a source. */
export function templateKeysOf(a: DocAnalysis): [string[], string[]] {
  return a instanceof LazyKeysAnalysis ? a.keys() : [a.templateKeys, a.openTemplateKeys];
}

/** keyHashes of a result's template keys and open keys, into `into`: a cached result's where they lie in the cache's bytes. */
export function templateKeyHashesInto(a: DocAnalysis, into: KeyHashes): void {
  if (a instanceof LazyKeysAnalysis) a.keyHashesInto(into);
  else Object.assign(into, keyHashes(a.templateKeys, a.openTemplateKeys));
}

/**
 * A document whose paragraphs are read from a source (the run's spill file, the cache's bytes) each time they are
 * asked for, so a run holds where the text is instead of the text. `paragraphs` is an own enumerable property, so
 * copies (`{ ...doc }`) and JSON carry the text; its getter is one function for all documents (a getter made per
 * document would put every document object in V8's slow dictionary mode).
 */
export class LazyTextDoc implements CleanDoc {
  // Declared, not defined as class fields: the constructor sets them, in CleanDoc's order.
  declare readonly path: string;
  declare readonly format: CleanDoc['format'];
  declare readonly meta: CleanDoc['meta'];
  declare readonly paragraphs: string[];
  declare readonly removed: CleanDoc['removed'];
  declare readonly repairs: CleanDoc['repairs'];
  declare readonly words: number;
  readonly #source: TextSource;

  // One descriptor object for all instances (a warm run makes 10,000 of them).
  static readonly #paragraphs: PropertyDescriptor = {
    get(this: LazyTextDoc): string[] {
      return this.#source.paragraphs();
    },
    enumerable: true,
    configurable: true,
  };
  static readonly #removed: PropertyDescriptor = {
    get(this: LazyTextDoc): CleanDoc['removed'] {
      return this.#source.removed!();
    },
    enumerable: true,
    configurable: true,
  };
  static readonly #repairs: PropertyDescriptor = {
    get(this: LazyTextDoc): CleanDoc['repairs'] {
      return this.#source.repairs!();
    },
    enumerable: true,
    configurable: true,
  };

  /** `removed` and `repairs` too are read from the source when it has them (else the document's own are kept). */
  constructor(doc: Omit<CleanDoc, 'paragraphs'>, source: TextSource) {
    this.path = doc.path;
    this.format = doc.format;
    this.meta = doc.meta;
    Object.defineProperty(this, 'paragraphs', LazyTextDoc.#paragraphs);
    if (source.removed) Object.defineProperty(this, 'removed', LazyTextDoc.#removed);
    else this.removed = doc.removed;
    if (source.repairs) Object.defineProperty(this, 'repairs', LazyTextDoc.#repairs);
    else this.repairs = doc.repairs;
    this.words = doc.words;
    this.#source = source;
  }
}

const SOURCE_DOC = Symbol('document');
const forwardRemoved = function (this: { [SOURCE_DOC]: CleanDoc }): CleanDoc['removed'] {
  return this[SOURCE_DOC].removed;
};

/**
 * `fields` with the document's removed lines as a last property `removed`. When the document reads them from the
 * spill, so does this object, each time it is serialised or asked (the report and the manifest would otherwise hold
 * every removed line of the corpus at once); otherwise they are the document's array.
 */
export function withRemoved<T extends object>(fields: T, doc: CleanDoc): T & { removed: CleanDoc['removed'] } {
  if (!Object.getOwnPropertyDescriptor(doc, 'removed')?.get) return Object.assign(fields, { removed: doc.removed });
  Object.defineProperty(fields, SOURCE_DOC, { value: doc });
  Object.defineProperty(fields, 'removed', { get: forwardRemoved, enumerable: true, configurable: true });
  return fields as T & { removed: CleanDoc['removed'] };
}

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

type HtmlExtractor = typeof import('./extract-html/index.js').extractHtml;
let extractHtml: HtmlExtractor | undefined;

/**
 * Loads the HTML stage (cheerio and its parsers, about 50 ms) the first time a page needs it: a run over plain text,
 * a warm run that finds every page in the cache, or `clean --help` never loads it.
 */
export async function loadHtmlSupport(): Promise<void> {
  extractHtml ??= (await import('./extract-html/index.js')).extractHtml;
}

/**
 * One document, bytes to fingerprint. `written`: the file is an article `clean` wrote (its folder's manifest lists it),
 * so its first line is its title. An HTML page needs loadHtmlSupport() first (analyzeSourceLoading does that).
 */
export function analyzeSource(path: string, bytes: Uint8Array, settings: DocSettings, templateLines?: ReadonlySet<string>, written = false): DocResult {
  return analyzeDecoded(path, decodeSource(path, bytes), settings, templateLines, written);
}

/** analyzeSource, loading the HTML stage first when the document is a page. */
export async function analyzeSourceLoading(path: string, bytes: Uint8Array, settings: DocSettings, templateLines?: ReadonlySet<string>, written = false): Promise<DocResult> {
  const source = decodeSource(path, bytes);
  if (!isInputError(source) && source.format === 'html') await loadHtmlSupport();
  return analyzeDecoded(path, source, settings, templateLines, written);
}

function analyzeDecoded(path: string, source: ReturnType<typeof decodeSource>, settings: DocSettings, templateLines: ReadonlySet<string> | undefined, written: boolean): DocResult {
  if (isInputError(source)) return source;
  let text = source.text;
  let htmlMeta;
  if (source.format === 'html') {
    if (!extractHtml) throw new Error(`${path}: the HTML stage is not loaded (await loadHtmlSupport() first)`);
    const extracted = extractHtml(source.text);
    text = extracted.text;
    htmlMeta = extracted.meta;
  }
  const { disabled, rules } = compile(settings);
  // The first pass collects template candidates; the second (with templateLines) does not need them.
  const keys = templateLines ? undefined : { all: new Set<string>(), open: new Set<string>() };
  const doc = cleanText(path, text, source.format, { htmlMeta, templateLines, disabledRules: disabled, extraRules: rules, templateKeys: keys, writtenTitle: written });
  return { doc, fp: fingerprint(doc), templateKeys: keys ? [...keys.all] : [], openTemplateKeys: keys ? [...keys.open] : [] };
}
