// Shared data shapes passed between pipeline stages.
// Each stage folder (read, extract-html, clean, fingerprint, cluster, canonical, write, report)
// takes and returns these plain objects; nothing here does work.

/** How the bytes of an input were decoded: a BOM, UTF-8, a page's declared legacy charset (its WHATWG name), else windows-1252. */
export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | (string & {});

/** One input after reading and decoding, before any cleaning. */
export interface SourceDoc {
  /** The path as the user gave it (or as found under a folder they gave); `-` for stdin. */
  path: string;
  /** Decoded text with line endings normalised to \n. */
  text: string;
  format: 'text' | 'html';
  encoding: Encoding;
  /** Bytes read, for throughput and the report. */
  bytes: number;
}

/** A file we could not use, reported on stderr and under `errors`. */
export interface InputError {
  path: string;
  message: string;
}

/** Metadata found in an HTML page's head and markup. */
export interface HtmlMeta {
  title: string | null;
  byline: string | null;
  date: string | null;
  url: string | null;
  source: string | null;
  description: string | null;
}

/** What the HTML extractor hands on: article text (paragraphs separated by blank lines) and metadata. */
export interface HtmlExtraction {
  text: string;
  meta: HtmlMeta;
}

/** One line the cleaner removed, with the rule that removed it. Line numbers are 1-based in the decoded input text (for HTML: in the extracted text). */
export interface RemovedLine {
  line: number;
  rule: string;
  text: string;
}

/** One repair applied to a line: the words stay, only characters around them change. */
export interface RepairRecord {
  line: number;
  repair: string;
  from: string;
  to: string;
}

/** Metadata lifted out of an article body (never lost, only moved). */
export interface DocMeta {
  title: string | null;
  dek: string | null;
  byline: string | null;
  credits: string[];
  source: string | null;
  dateline: string | null;
  date: string | null;
  url: string | null;
}

/** A document after cleaning. */
export interface CleanDoc {
  path: string;
  format: 'text' | 'html';
  meta: DocMeta;
  /**
   * The article body: one string per paragraph, repaired, boilerplate removed, title not included. In the
   * documents of a CorpusAnalysis this is read from a temporary file when asked for (a new array each time,
   * until the analysis is released), so that a corpus's texts are not all held in memory.
   */
  readonly paragraphs: string[];
  removed: RemovedLine[];
  repairs: RepairRecord[];
  /** Word count of the body. */
  words: number;
}

/** How a member relates to its cluster. */
export type Relation = 'canonical' | 'exact' | 'near-duplicate' | 'same-event';

export interface ClusterMember {
  path: string;
  relation: Relation;
  /** 1 for the canonical member; otherwise the similarity that joined it (0..1, 3 decimals). */
  score: number;
  /** Human-readable reasons this member joined (for --explain). */
  why: string[];
}

export interface Cluster {
  id: string;
  title: string | null;
  canonical: string;
  /** Where the canonical article was written, or null when nothing was written. */
  output: string | null;
  members: ClusterMember[];
  /** Why the canonical member was chosen (for --explain and the manifest). */
  canonicalWhy: string[];
}

export interface ReportSummary {
  documents: number;
  clusters: number;
  duplicates: number;
  removedLines: number;
  errors: number;
}

export interface ReportDocument {
  path: string;
  title: string | null;
  source: string | null;
  words: number;
  removed: RemovedLine[];
}

/** The JSON report of PRODUCT.md (`--format json`). */
export interface Report {
  version: 1;
  summary: ReportSummary;
  clusters: Cluster[];
  documents: ReportDocument[];
  errors: InputError[];
}
