#!/usr/bin/env node
// Synthetic planted-relation corpora for the scale benchmark.
//
//   node bench/scale/generate.mjs [--sizes 10k,100k] [--seed 1] [--out bench/out/scale]
//
// Each article is built from ECB+ sentence *skeletons* (read at generation time from
// ../shared/bench/events/ecbplus/articles, CC BY 3.0, Cybulska & Vossen 2014; never copied into the repo):
// the function words and punctuation of a sentence are kept, and every content word, name and number is
// replaced — content words by draws from the empirical (Zipf-like) ECB+ content-word distribution mixed with
// the article's own topic words, names by the article's own synthetic names (syllable-built, a space of
// millions), numbers by random numbers. Two unrelated articles therefore share almost no word 3- to 5-grams
// (measured: see `measureUnrelated`), while planted relations are exact by construction:
//   exact    a byte copy (or the same text with CRLF / extra blank lines / trailing spaces)
//   near     word-level edits (substitute 60%, delete 20%, insert 20%) at rate r of the words
//   partial  a contiguous run of fraction f of the original's sentences plus fresh text of another topic,
//            before, after or around it, under a new title
//   single   an unrelated article
// Every planted (original, derivative) pair is recorded in truth.json with its measured word-3-gram Jaccard and
// containment (share of the original's 3-grams found in the derivative), the product's shingle definition.
// Everything is seeded: the same --seed and size give the same bytes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 3;
const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const SHARED = process.env.CLEAN_SHARED ?? path.resolve(REPO, '../shared');
export const ECB_DIR = path.join(SHARED, 'bench/events/ecbplus/articles');

// ------------------------------------------------------------------------------------------------ PRNG

/** 32-bit mix (murmur3 finaliser). @param {number} h */
export function mix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * sfc32 seeded from (seed, stream): independent deterministic streams, e.g. one per document.
 * @param {number} seed @param {number} [stream]
 * @returns {() => number} uniform in [0, 1)
 */
export function makeRng(seed, stream = 0) {
  let a = mix32(seed ^ 0x9e3779b9);
  let b = mix32(stream ^ 0x243f6a88 ^ a);
  let c = mix32(a ^ Math.imul(stream + 1, 0x85ebca6b));
  let d = 1;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** @param {() => number} rng @param {number} n integer in [0, n) */
const randInt = (rng, n) => Math.floor(rng() * n);
/** @template T @param {() => number} rng @param {readonly T[]} arr @returns {T} */
const pick = (rng, arr) => arr[Math.floor(rng() * arr.length)];

// ------------------------------------------------------------------------------------------------ source

// Function words kept verbatim in skeletons (everything else is a slot).
const FUNCTION_WORDS = new Set(
  ('a about above after again against all also although am among an and another any are as at be because been before ' +
    'being below between both but by can could did do does during each either even every few for from had has have having ' +
    'he her here him his how however i if in into is it its just least less may me might more most much must my neither no ' +
    'nor not now of off on once one only or other our out over own per rather said says same she should since so some still ' +
    'such than that the their them then there these they this those though through to too under until up upon us very was ' +
    'we were what when where whether which while who whom whose why will with within without would yet you your ' +
    'told according added two three four five first second last next').split(' '),
);

/**
 * @typedef {{ k: 'w' | 'p' | 'W' | 'C' | 'N' | 'D', s?: string, n?: number }} Tok
 *   w = kept function word, p = punctuation, W = content slot, C = capitalised content slot (sentence start),
 *   N = name slot, D = number slot (n digits)
 * @typedef {{ skeletons: Tok[][], vocab: string[], cum: Float64Array, topicFrom: number }} Source
 */

/**
 * Build the sentence skeletons and the content-word distribution from ECB+ (one sentence per line).
 * @param {string} [dir]
 * @returns {Source}
 */
export function loadSource(dir = ECB_DIR) {
  if (!fs.existsSync(dir)) throw new Error(`ECB+ articles not found at ${dir} (set CLEAN_SHARED)`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  /** @type {Tok[][]} */
  const skeletons = [];
  /** @type {Map<string, number>} */
  const freq = new Map();
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const raw = line.trim().split(/\s+/).filter(Boolean);
      /** @type {Tok[]} */
      const toks = [];
      let slots = 0;
      for (let i = 0; i < raw.length; i++) {
        const t = raw[i];
        const first = toks.length === 0;
        if (/^[,.;:?!]$/.test(t)) {
          if (toks.length && toks[toks.length - 1].k !== 'p') toks.push({ k: 'p', s: t });
        } else if (/^[a-z]+$/.test(t)) {
          if (FUNCTION_WORDS.has(t)) toks.push({ k: 'w', s: t });
          else {
            toks.push({ k: 'W' });
            slots++;
            if (t.length >= 3) freq.set(t, (freq.get(t) ?? 0) + 1);
          }
        } else if (/^[A-Z][a-z]+$/.test(t) && first) {
          const low = t.toLowerCase();
          if (FUNCTION_WORDS.has(low)) toks.push({ k: 'w', s: t });
          else { toks.push({ k: 'C' }); slots++; }
        } else if (/^[A-Z][A-Za-z]+$/.test(t)) {
          toks.push({ k: 'N' });
          slots++;
        } else if (/^\d+$/.test(t) && t.length <= 6) {
          toks.push({ k: 'D', n: t.length });
          slots++;
        }
        // anything else (quotes, hyphens, currency, clitics, mixed tokens) is dropped
      }
      while (toks.length && toks[toks.length - 1].k === 'p') toks.pop();
      const words = toks.filter((t) => t.k !== 'p').length;
      if (words < 8 || words > 45 || slots < 3) continue;
      if (toks[0].k === 'w') toks[0] = { k: 'w', s: cap(/** @type {string} */ (toks[0].s)) };
      const end = raw[raw.length - 1];
      toks.push({ k: 'p', s: end === '?' || end === '!' ? end : '.' });
      skeletons.push(toks);
    }
  }
  const vocab = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const cum = new Float64Array(vocab.length);
  let s = 0;
  for (let i = 0; i < vocab.length; i++) cum[i] = s += vocab[i][1];
  for (let i = 0; i < cum.length; i++) cum[i] /= s;
  return { skeletons, vocab: vocab.map((v) => v[0]), cum, topicFrom: Math.min(300, vocab.length >> 2) };
}

/** @param {string} s */
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** Draw from the empirical content-word distribution. @param {Source} src @param {() => number} rng */
function zipfWord(src, rng) {
  const u = rng();
  const cum = src.cum;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return src.vocab[lo];
}

const ONSETS = 'b br c ch d dr f g gr h j k l m n p pr r s sh st t tr v w z'.split(' ');
const VOWELS = 'a e i o u ai ei ou ia'.split(' ');
const CODAS = ['', '', 'n', 'r', 'l', 's', 'm', 'k', 'th', 'nd'];
/** A synthetic proper name of 2-3 syllables (millions possible). @param {() => number} rng */
function syntheticName(rng) {
  const n = 2 + (rng() < 0.35 ? 1 : 0);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rng, ONSETS) + pick(rng, VOWELS) + pick(rng, CODAS);
  return cap(s);
}

// ------------------------------------------------------------------------------------------------ articles

/** @typedef {{ names: string[][], words: string[] }} Topic  names: entities of 1-2 words */
/** @typedef {{ title: string[], sentences: string[][], paraLens: number[] }} Article  word/punct tokens */

/** @param {Source} src @param {() => number} rng @returns {Topic} */
export function makeTopic(src, rng) {
  const names = [];
  const nn = 6 + randInt(rng, 4);
  for (let i = 0; i < nn; i++) names.push(rng() < 0.5 ? [syntheticName(rng), syntheticName(rng)] : [syntheticName(rng)]);
  const words = [];
  const span = src.vocab.length - src.topicFrom;
  for (let i = 0; i < 10; i++) words.push(src.vocab[src.topicFrom + randInt(rng, span)]);
  return { names, words };
}

/** @param {Source} src @param {Topic} topic @param {() => number} rng */
function contentWord(src, topic, rng) {
  return rng() < 0.25 ? pick(rng, topic.words) : zipfWord(src, rng);
}

/** An entity (1-2 name words). @param {Topic} topic @param {() => number} rng @returns {string[]} */
function nameWord(topic, rng) {
  if (rng() < 0.1) return [syntheticName(rng)];
  // Zipf over the article's names: the protagonist recurs most.
  const r = rng();
  const i = Math.min(topic.names.length - 1, Math.floor(topic.names.length * r * r));
  return topic.names[i];
}

/** @param {() => number} rng @param {number} n */
function number(rng, n) {
  if (n === 4 && rng() < 0.5) return String(1990 + randInt(rng, 36));
  let s = String(1 + randInt(rng, 9));
  for (let i = 1; i < n; i++) s += String(randInt(rng, 10));
  return s;
}

/** Fill one skeleton. @param {Source} src @param {Topic} topic @param {() => number} rng @returns {string[]} */
export function sentence(src, topic, rng, filled = /** @type {boolean[] | null} */ (null)) {
  const sk = src.skeletons[randInt(rng, src.skeletons.length)];
  const out = [];
  /** @type {string[]} */
  let entity = [];
  for (const t of sk) {
    if (t.k !== 'N') entity = [];
    switch (t.k) {
      case 'w': case 'p': out.push(/** @type {string} */ (t.s)); break;
      case 'W': out.push(contentWord(src, topic, rng)); break;
      case 'C': out.push(cap(contentWord(src, topic, rng))); break;
      case 'N':
        // a run of name slots ("Mark Teixeira", "Boston Red Sox") is filled by one entity's words
        if (entity.length === 0) entity = nameWord(topic, rng).slice();
        out.push(/** @type {string} */ (entity.shift()));
        break;
      case 'D': out.push(number(rng, /** @type {number} */ (t.n))); break;
    }
    filled?.push(t.k === 'W' || t.k === 'C' || t.k === 'N');
  }
  return out;
}

/**
 * A title: the first 6-12 words of a filled skeleton with at least 3 words (not numbers) filled in among them. Headlines are
 * mostly content words; a title of function words only ("said to be one of the most") would recur by chance
 * across unrelated articles of a large corpus, which real headlines do not.
 * @param {Source} src @param {Topic} topic @param {() => number} rng
 */
function title(src, topic, rng) {
  for (let attempt = 0; ; attempt++) {
    /** @type {boolean[]} */
    const filled = [];
    const s = sentence(src, topic, rng, filled);
    const words = s.map((t, i) => [t, filled[i]]).filter(([t]) => !/^[,.;:?!]$/.test(/** @type {string} */ (t)));
    const n = Math.min(words.length, 6 + randInt(rng, 7));
    const head = words.slice(0, n);
    if (head.filter(([, f]) => f).length < 3 && attempt < 20) continue;
    const out = head.map(([t]) => /** @type {string} */ (t));
    out[0] = cap(out[0]);
    return out;
  }
}

/** Fresh sentences of a topic until about `bytes` characters. @param {Source} src @param {Topic} topic @param {() => number} rng @param {number} bytes */
function sentences(src, topic, rng, bytes) {
  const out = [];
  let size = 0;
  while (size < bytes) {
    const s = sentence(src, topic, rng);
    out.push(s);
    size += s.join(' ').length + 1;
  }
  return out;
}

/** Paragraph lengths (2-5 sentences) covering n sentences. @param {() => number} rng @param {number} n */
function paragraphing(rng, n) {
  const lens = [];
  let left = n;
  while (left > 0) {
    const k = Math.min(left, 2 + randInt(rng, 4));
    lens.push(k);
    left -= k;
  }
  return lens;
}

/** @param {Source} src @param {() => number} rng @returns {{ article: Article, topic: Topic }} */
export function makeArticle(src, rng) {
  const topic = makeTopic(src, rng);
  const bytes = 2000 + randInt(rng, 2000);
  const sents = sentences(src, topic, rng, bytes);
  return { topic, article: { title: title(src, topic, rng), sentences: sents, paraLens: paragraphing(rng, sents.length) } };
}

const NO_SPACE_BEFORE = /^[,.;:?!]$/;
/** @param {string[]} toks */
function detok(toks) {
  let s = '';
  for (const t of toks) s += s && !NO_SPACE_BEFORE.test(t) ? ' ' + t : t;
  return s;
}

/** Plain text: title line, blank line, paragraphs separated by blank lines. @param {Article} a */
export function render(a) {
  const paras = [];
  let i = 0;
  for (const n of a.paraLens) {
    const p = a.sentences.slice(i, i + n);
    i += n;
    paras.push(p.map(detok).join(' '));
  }
  return detok(a.title) + '\n\n' + paras.join('\n\n') + '\n';
}

// ------------------------------------------------------------------------------------------------ derivatives

const isWord = (/** @type {string} */ t) => !NO_SPACE_BEFORE.test(t);

/**
 * Word-level edits at rate r: each word is, with probability r, substituted (60%), deleted (20%) or followed by an
 * inserted word (20%). At least one edit. Title edited too.
 * @param {Source} src @param {Article} a @param {number} r @param {() => number} rng @returns {Article}
 */
export function nearCopy(src, a, r, rng) {
  let edits = 0;
  /** @param {string[]} toks */
  const edit = (toks) => {
    const out = [];
    for (const t of toks) {
      if (!isWord(t) || rng() >= r) { out.push(t); continue; }
      edits++;
      const u = rng();
      const w = zipfWord(src, rng);
      const c = t.charAt(0) !== t.charAt(0).toLowerCase();
      if (u < 0.6) out.push(c ? cap(w) : w);
      else if (u < 0.8) { /* delete */ }
      else out.push(t, w);
    }
    if (!out.some(isWord)) return toks;
    if (out[0] && isWord(out[0])) out[0] = cap(out[0]);
    return out;
  };
  const b = { title: edit(a.title), sentences: a.sentences.map(edit), paraLens: a.paraLens.slice() };
  if (edits === 0) {
    const s = b.sentences[randInt(rng, b.sentences.length)];
    const wi = s.findIndex((t, i) => i > 0 && isWord(t));
    s[wi >= 0 ? wi : 0] = zipfWord(src, rng);
  }
  return b;
}

/**
 * A contiguous run of about fraction f of the original's words (whole sentences) plus fresh text of a new topic
 * (about as long as the part left out), before, after or on both sides; new title.
 * @param {Source} src @param {Article} a @param {number} f @param {() => number} rng @returns {Article}
 */
export function partialCopy(src, a, f, rng) {
  const lens = a.sentences.map((s) => s.length);
  const total = lens.reduce((x, y) => x + y, 0);
  const want = total * f;
  // choose a start so that a run of ~want words fits
  const starts = [];
  for (let i = 0; i < lens.length; i++) {
    let w = 0;
    let j = i;
    while (j < lens.length && w < want) w += lens[j++];
    if (w >= want * 0.95) starts.push([i, j]);
  }
  const [i0, i1] = starts.length ? pick(rng, starts) : [0, lens.length];
  const copied = a.sentences.slice(i0, i1).map((s) => s.slice());
  const topic = makeTopic(src, rng);
  const bytes = render(a).length * (1 - f);
  const u = rng();
  let sents;
  if (u < 0.5) sents = [...sentences(src, topic, rng, bytes), ...copied];
  else if (u < 0.75) sents = [...copied, ...sentences(src, topic, rng, bytes)];
  else sents = [...sentences(src, topic, rng, bytes / 2), ...copied, ...sentences(src, topic, rng, bytes / 2)];
  return { title: title(src, topic, rng), sentences: sents, paraLens: paragraphing(rng, sents.length) };
}

/** Same text after normalisation: line endings / blank lines / trailing spaces vary. @param {string} text @param {() => number} rng */
export function exactVariant(text, rng) {
  const u = rng();
  if (u < 0.5) return text;
  if (u < 0.75) return text.replace(/\n/g, '\r\n');
  return text.replace(/\n\n/g, '\n  \n\n').replace(/\.\n/g, '.  \n');
}

// Typical page furniture that the cleaner's rules name; appended to some documents so cleaning does real work.
const BOILERPLATE = [
  'Share this article',
  'Sign up for our newsletter',
  'Advertisement',
  'Leave a Reply',
  'Follow us on Twitter',
  'Click here to subscribe',
  'All rights reserved.',
  'Please enable JavaScript to view the comments.',
];
/** @param {string} text @param {() => number} rng @param {number} p */
function withBoilerplate(text, rng, p) {
  if (rng() >= p) return text;
  const n = 1 + randInt(rng, 2);
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(pick(rng, BOILERPLATE));
  return text + '\n' + lines.join('\n\n') + '\n';
}

// ------------------------------------------------------------------------------------------------ similarity

const MARKS = /\p{M}+/gu;
const SPLIT = /[^\p{L}\p{N}]+/u;
/** The product's normalised word sequence (src/fingerprint/tokenize.ts plainWords). @param {string} text */
export function plainWords(text) {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().split(SPLIT).filter(Boolean);
}
/** Word n-gram set. @param {string} text @param {number} [n] */
export function shingles(text, n = 3) {
  const w = plainWords(text);
  const s = new Set();
  if (w.length < n) { s.add(w.join(' ')); return s; }
  for (let i = 0; i + n <= w.length; i++) s.add(w.slice(i, i + n).join(' '));
  return s;
}
/** @param {Set<string>} a @param {Set<string>} b */
export function overlap(a, b) {
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return { jaccard: inter / (a.size + b.size - inter || 1), containment: inter / (a.size || 1) };
}

// ------------------------------------------------------------------------------------------------ plan + corpus

export const NEAR_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2];
export const PARTIAL_FRACTIONS = [0.3, 0.5, 0.6, 0.75];
/** Share of new units that are unrelated single articles (rest: an original with 1-3 derivatives). */
const P_SINGLE = 0.7;

/**
 * @typedef {{ a: string, b: string, type: 'exact' | 'near' | 'partial', param: number, jaccard: number, containment: number }} PlantedPair
 *   a = the original, b = the derivative; param = edit rate (near) or copied fraction (partial), 0 for exact
 * @typedef {{ version: number, generator: number, seed: number, size: number, groups: Record<string, number>, pairs: PlantedPair[] }} Truth
 *   groups: document path (relative, "0000/d0000000.txt") → planted group id (an original and its derivatives)
 */

/** "0012/d0012345.txt" @param {number} id */
export function docPath(id) {
  return `${String(Math.floor(id / 1000)).padStart(4, '0')}/d${String(id).padStart(7, '0')}.txt`;
}

/** @param {string} s "10k", "1m", "2000" */
export function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
}
/** @param {number} n */
export function sizeLabel(n) {
  return n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

/**
 * Generate a planted corpus, handing each document to `emit` (path, text). Deterministic in (seed, size).
 * @param {{ size: number, seed: number, src?: Source, boilerplate?: number, emit: (p: string, text: string) => void }} opts
 * @returns {Truth}
 */
export function generate({ size, seed, src = loadSource(), boilerplate = 0.3, emit }) {
  const plan = makeRng(seed, 0);
  // random doc ids so that copies land in different folders
  const ids = new Uint32Array(size);
  for (let i = 0; i < size; i++) ids[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = randInt(plan, i + 1);
    const t = ids[i]; ids[i] = ids[j]; ids[j] = t;
  }
  /** @type {Record<string, number>} */
  const groups = {};
  /** @type {PlantedPair[]} */
  const pairs = [];
  let seq = 0;
  let group = 0;
  while (seq < size) {
    const g = group++;
    const rng = makeRng(seed, 1 + seq);
    const { article } = makeArticle(src, rng);
    const text = render(article);
    const origPath = docPath(ids[seq++]);
    groups[origPath] = g;
    const origOut = withBoilerplate(text, rng, boilerplate);
    emit(origPath, origOut);
    if (plan() < P_SINGLE) continue;
    const k = Math.min(size - seq, (() => { const u = plan(); return u < 0.6 ? 1 : u < 0.9 ? 2 : 3; })());
    const origSh = shingles(text);
    for (let d = 0; d < k; d++) {
      const drng = makeRng(seed, 1 + seq);
      const u = plan();
      /** @type {PlantedPair['type']} */
      let type;
      let param = 0;
      let out;
      let body;
      if (u < 0.2) {
        type = 'exact';
        body = text;
        out = exactVariant(origOut, drng);
      } else if (u < 0.75) {
        type = 'near';
        param = pick(plan, NEAR_RATES);
        body = render(nearCopy(src, article, param, drng));
        out = withBoilerplate(body, drng, boilerplate);
      } else {
        type = 'partial';
        param = pick(plan, PARTIAL_FRACTIONS);
        body = render(partialCopy(src, article, param, drng));
        out = withBoilerplate(body, drng, boilerplate);
      }
      const p = docPath(ids[seq++]);
      groups[p] = g;
      const o = overlap(origSh, shingles(body));
      pairs.push({ a: origPath, b: p, type, param, jaccard: round4(o.jaccard), containment: round4(o.containment) });
      emit(p, out);
    }
  }
  return { version: 1, generator: GENERATOR_VERSION, seed, size, groups, pairs };
}
const round4 = (/** @type {number} */ x) => Math.round(x * 1e4) / 1e4;

/**
 * In memory (for the naive baseline and tests). @param {{ size: number, seed: number, src?: Source, boilerplate?: number }} opts
 * @returns {{ docs: { path: string, text: string }[], truth: Truth }}
 */
export function generateInMemory(opts) {
  /** @type {{ path: string, text: string }[]} */
  const docs = [];
  const truth = generate({ ...opts, emit: (p, text) => docs.push({ path: p, text }) });
  docs.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { docs, truth };
}

/**
 * Write a corpus to `root/docs/NNNN/dNNNNNNN.txt` with `root/truth.json` and `root/stamp.json` (written last).
 * Skipped when the stamp matches (same generator version, seed and size).
 * @param {{ root: string, size: number, seed: number, src?: Source, boilerplate?: number, log?: (s: string) => void }} opts
 * @returns {{ docsDir: string, truthFile: string, bytes: number, files: number, reused: boolean, seconds: number }}
 */
export function writeCorpus({ root, size, seed, src, boilerplate = 0.3, log = () => {} }) {
  const docsDir = path.join(root, 'docs');
  const truthFile = path.join(root, 'truth.json');
  const stampFile = path.join(root, 'stamp.json');
  const stamp = { generator: GENERATOR_VERSION, seed, size, boilerplate };
  if (fs.existsSync(stampFile)) {
    const old = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (old.generator === stamp.generator && old.seed === seed && old.size === size && old.boilerplate === boilerplate) {
      return { docsDir, truthFile, bytes: old.bytes, files: old.files, reused: true, seconds: 0 };
    }
  }
  const t0 = performance.now();
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(docsDir, { recursive: true });
  for (let f = 0; f * 1000 < size; f++) fs.mkdirSync(path.join(docsDir, String(f).padStart(4, '0')));
  let bytes = 0;
  let files = 0;
  const truth = generate({
    size,
    seed,
    src: src ?? loadSource(),
    boilerplate,
    emit: (p, text) => {
      const buf = Buffer.from(text, 'utf8');
      fs.writeFileSync(path.join(docsDir, p), buf);
      bytes += buf.length;
      if (++files % 50_000 === 0) log(`  generated ${files}/${size}`);
    },
  });
  fs.writeFileSync(truthFile, JSON.stringify(truth));
  const seconds = (performance.now() - t0) / 1000;
  fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, bytes, files, seconds }, null, 2) + '\n');
  return { docsDir, truthFile, bytes, files, reused: false, seconds };
}

/**
 * How unrelated two unrelated articles are: mean and max shared word n-grams (n = 3 and 5) over sampled pairs of
 * single articles. @param {{ docs: { path: string, text: string }[], truth: Truth }} corpus @param {number} [samples]
 */
export function measureUnrelated(corpus, samples = 2000) {
  const rng = makeRng(12345);
  const docs = corpus.docs;
  /** @type {Record<string, { mean: number, max: number, maxJaccard: number, pairs: number }>} */
  const res = {};
  for (const n of [3, 5]) {
    const sets = new Map();
    const get = (/** @type {number} */ i) => {
      if (!sets.has(i)) sets.set(i, shingles(docs[i].text, n));
      return sets.get(i);
    };
    let sum = 0;
    let max = 0;
    let maxJ = 0;
    let m = 0;
    for (let s = 0; s < samples; s++) {
      const i = randInt(rng, docs.length);
      const j = randInt(rng, docs.length);
      if (corpus.truth.groups[docs[i].path] === corpus.truth.groups[docs[j].path]) continue;
      const a = get(i);
      const b = get(j);
      let inter = 0;
      for (const x of a) if (b.has(x)) inter++;
      sum += inter;
      max = Math.max(max, inter);
      maxJ = Math.max(maxJ, inter / (a.size + b.size - inter));
      m++;
    }
    res[`shared${n}grams`] = { mean: sum / m, max, maxJaccard: maxJ, pairs: m };
  }
  return res;
}

// ------------------------------------------------------------------------------------------------ CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (/** @type {string} */ name, /** @type {string} */ def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  if (args.includes('--help')) {
    console.log('node bench/scale/generate.mjs [--sizes 10k,100k] [--seed 1] [--out bench/out/scale] [--measure]');
    process.exit(0);
  }
  const seed = Number(opt('--seed', '1'));
  const out = path.resolve(opt('--out', path.join(REPO, 'bench/out/scale')));
  const src = loadSource();
  console.error(`source: ${src.skeletons.length} sentence skeletons, ${src.vocab.length} content words`);
  if (args.includes('--measure')) {
    const c = generateInMemory({ size: 2000, seed, src });
    console.log(JSON.stringify(measureUnrelated(c), null, 2));
  }
  for (const s of opt('--sizes', '10k,100k').split(',')) {
    const size = parseSize(s);
    const root = path.join(out, `n${sizeLabel(size)}-s${seed}`);
    const r = writeCorpus({ root, size, seed, src, log: (m) => console.error(m) });
    console.error(`${sizeLabel(size)}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.docsDir}` +
      (r.reused ? ' (existing, same stamp)' : ` (${r.seconds.toFixed(1)} s)`));
  }
}
