// Property tests (fast-check): arbitrary bytes and generated article-like texts. Runs are bounded
// (numRuns modest, small inputs) so that CI time stays small; a failure prints a shrunk counterexample.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSource, isInputError } from '../../src/read/index.js';
import { cleanText, renderArticle } from '../../src/clean/index.js';
import { repairEntities, repairMojibake } from '../../src/clean/repairs.js';
import { extractHtml } from '../../src/extract-html/index.js';
import { analyzeCorpus } from '../../src/pipeline.js';
import { writeOutputs } from '../../src/write/index.js';
import { readTree, tempDir } from '../helpers/cli.js';

const SEED = Number(process.env.FC_SEED ?? 20261123);
const runs = (n: number) => ({ numRuns: Number(process.env.FC_RUNS ?? n), seed: SEED });

// ------------------------------------------------------------------ generators
const WORDS = 'harbour ferry council trust quay timetable storm winter bridge school market festival mayor minister port union strike fire depot warehouse owner police river canal library museum station garden choir pier toll fare deal talks agreement'.split(' ');
const NAMES = ['Porthaven', 'Inchcallow', 'Hartwell', 'Brightwater', 'Agnes Pellow', 'Nordkyst', 'Arlenbury', 'São Tomé', 'Zürich', 'Łódź'];
const BOILER = ['Share this article', 'Leave a Reply', 'READ ALSO: Ferry fares to rise in spring', 'Subscribe to our newsletter', '© 2024 Harbour Herald. All rights reserved.', 'Advertisement', 'The post Quay Works Begin appeared first on Harbour Herald.', 'Photo: Jane Roe/Harbour Herald', 'Tags: harbour, ferry'];

const word = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2030 }).map(String) });
const sentence = fc.array(word, { minLength: 3, maxLength: 16 }).map((ws) => {
  const s = ws.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
});
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((ss) => ss.join(' '));
/** A line a scraper might leave: a paragraph, a boilerplate line, or a paragraph with a repairable defect. */
const bodyLine = fc.oneof(
  { weight: 6, arbitrary: paragraph },
  { weight: 2, arbitrary: fc.constantFrom(...BOILER) },
  { weight: 1, arbitrary: paragraph.map((p) => p.replace(/ the /, ' the&nbsp;').replace(/\./, ' .')) },
  { weight: 1, arbitrary: paragraph.map((p) => p + ' â€œQuoted wordsâ€\u009d, it said.') },
  { weight: 1, arbitrary: paragraph.map((p) => p.replace('. ', '.\u200b ')) },
);
const title = fc.array(fc.constantFrom(...WORDS, ...NAMES), { minLength: 3, maxLength: 9 }).map((ws) => ws.map((w) => w[0].toUpperCase() + w.slice(1)).join(' '));
const articleText = fc
  .record({ title, lines: fc.array(bodyLine, { minLength: 1, maxLength: 10 }), eol: fc.constantFrom('\n', '\r\n', '\r'), wrap: fc.boolean() })
  .map(({ title: t, lines, eol, wrap }) => {
    const body = lines.map((l) => (wrap && l.length > 70 ? l.replace(/(.{50,70}?) /g, '$1\n') : l));
    return [t, '', ...body.flatMap((l) => [l, ''])].join('\n').replace(/\n/g, eol);
  });

// ------------------------------------------------------------------ helpers
/** Word tokens, normalised the way the documented repairs may legitimately change them. */
function tokens(s: string): string[] {
  return s.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
/** Every token the input offers: as written, and after the documented repairs (entities, mojibake). */
function inputTokens(input: string): Set<string> {
  const out = new Set<string>();
  const variants = [input, ...input.split('\n').map((l) => repairMojibake(repairEntities(l))), ...input.split('\n').map((l) => repairEntities(repairMojibake(l)))];
  for (const v of variants) for (const t of tokens(v)) out.add(t);
  // Hard-wrapped lines joined, and words glued or split at line ends.
  for (const t of tokens(input.replace(/\s*\n\s*/g, ''))) out.add(t);
  return out;
}

function clean(text: string, file = 'doc.txt') {
  const src = decodeSource(file, new TextEncoder().encode(text));
  if (isInputError(src)) return null;
  return cleanText(file, src.text, src.format);
}

// ------------------------------------------------------------------ properties
describe('properties', () => {
  it('arbitrary bytes: decoding, HTML extraction and cleaning never throw and finish quickly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.constantFrom('a.txt', 'a.html'), (bytes, name) => {
        const t = performance.now();
        const src = decodeSource(name, bytes);
        if (!isInputError(src)) {
          const text = src.format === 'html' ? extractHtml(src.text).text : src.text;
          const doc = cleanText(name, text, src.format);
          const out = renderArticle(doc);
          expect(out).not.toMatch(/\r/);
        }
        expect(performance.now() - t).toBeLessThan(2000);
      }),
      runs(300),
    );
  });

  it('arbitrary strings (full Unicode, lone surrogates, controls): cleaning never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        const doc = cleanText('a.txt', s, 'text');
        renderArticle(doc);
      }),
      runs(300),
    );
  });

  // Found, with FC_RUNS=1500: a short line under the title, or a hard-wrapped first paragraph, lifted as a dek
  // only by the second pass; a " ." or a notice split over a line break; lifting the dek moving a dek-like
  // paragraph into first place. Cleaning now makes those decisions on the article as written (src/clean
  // settle()), and passes 1,500 runs at several seeds; unit tests: test/unit/clean-idempotence.test.ts.
  it('cleaning is idempotent: cleanText → renderArticle → cleanText gives the same text', () => {
    fc.assert(
      fc.property(articleText, (text) => {
        const once = clean(text);
        if (!once) return;
        const rendered = renderArticle(once);
        const twice = clean(rendered);
        expect(twice ? renderArticle(twice) : '').toBe(rendered);
      }),
      runs(500),
    );
  });

  it('the output holds no word that is not in the input (after the documented repairs)', () => {
    fc.assert(
      fc.property(articleText, (text) => {
        const doc = clean(text);
        if (!doc) return;
        const have = inputTokens(text);
        const novel = tokens(renderArticle(doc)).filter((t) => !have.has(t));
        expect(novel).toEqual([]);
      }),
      runs(150),
    );
  });
});

describe('corpus properties', () => {
  const corpusArb = fc.array(articleText, { minLength: 2, maxLength: 7 }).chain((texts) =>
    fc.record({
      // Some exact copies, so that clusters have several members.
      texts: fc.constant(texts),
      copies: fc.array(fc.nat({ max: texts.length - 1 }), { maxLength: 3 }),
      order: fc.shuffledSubarray([...Array(texts.length + 3).keys()], { minLength: texts.length + 3, maxLength: texts.length + 3 }),
    }),
  );

  it('every input is in exactly one cluster, and permuting the inputs never changes the output bytes', async () => {
    await fc.assert(
      fc.asyncProperty(corpusArb, async ({ texts, copies, order }) => {
        const files = [...texts, ...copies.map((i) => texts[i])].map((t, i) => [`f${String(i).padStart(2, '0')}.txt`, t] as const);
        const dir = tempDir('clean-prop-');
        // Create the files in a shuffled order (directory order differs) and pass them in two argument orders.
        const idx = order.filter((i) => i < files.length);
        for (const i of idx) fs.writeFileSync(path.join(dir, files[i][0]), files[i][1]);
        const outputs: Map<string, Buffer>[] = [];
        for (const args of [files.map((f) => f[0]), idx.map((i) => files[i][0]).reverse(), ['.']]) {
          const analysis = await analyzeCorpus(args, { cwd: dir });
          const members = analysis.clusters.flatMap((c) => c.cluster.members.map((m) => m.path.replace(/^\.\//, '')));
          const readable = analysis.docs.map((d) => d.path.replace(/^\.\//, ''));
          expect([...members].sort()).toEqual([...readable].sort()); // each exactly once
          expect(readable.length + analysis.report.errors.length).toBe(files.length);
          const out = tempDir('clean-prop-out-');
          await writeOutputs(analysis, { outDisplay: 'out', outAbs: out });
          outputs.push(readTree(out));
        }
        expect(outputs[1]).toEqual(outputs[0]);
        expect([...outputs[2].keys()]).toEqual([...outputs[0].keys()]);
        for (const [k, v] of outputs[0]) if (k !== 'manifest.json') expect(outputs[2].get(k)).toEqual(v);
      }),
      runs(25),
    );
  }, 120_000);
});
