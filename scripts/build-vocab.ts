// Builds data/background-df.json: document frequencies of content terms (no text) over a redistributable
// news corpus, by default the hand-annotated article bodies of the Scrapinghub Article Extraction Benchmark
// (MIT License, Copyright (c) 2020 Scrapinghub), found at ../shared/bench/extraction/gold/*.txt.
//
// Run (no tsx needed):
//   npx tsc --outDir /tmp/vocab-build --rootDir . --module NodeNext --moduleResolution NodeNext --target ES2022 \
//     --types node --skipLibCheck scripts/build-vocab.ts
//   node /tmp/vocab-build/scripts/build-vocab.js [GOLD_DIR] [OUT_FILE]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse } from '../src/fingerprint/tokenize.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// works both from scripts/ and from a compiled copy: find the repo by walking up to package.json
function findRepo(dir: string): string {
  let d = dir;
  for (let i = 0; i < 6; i++) {
    try {
      readFileSync(path.join(d, 'package.json'));
      if (readdirSync(d).includes('src')) return d;
    } catch {
      /* keep walking */
    }
    d = path.dirname(d);
  }
  return process.cwd();
}
const repo = findRepo(here);
const goldDir = process.argv[2] ?? path.resolve(repo, '../shared/bench/extraction/gold');
const outFile = process.argv[3] ?? path.join(repo, 'data/background-df.json');

const files = readdirSync(goldDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const df = new Map<string, number>();
for (const f of files) {
  const text = readFileSync(path.join(goldDir, f), 'utf8');
  const paragraphs = text.split(/\n\s*\n|\n/).map((p) => p.trim()).filter(Boolean);
  const seen = new Set<string>();
  for (const t of analyse(paragraphs, null).terms) seen.add(t.term);
  for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
}
const sorted = [...df.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const out = {
  about:
    'Document frequencies of normalised content terms (src/fingerprint/tokenize.ts). Counts only, no text. ' +
    'Source: Scrapinghub Article Extraction Benchmark gold article bodies, MIT License, Copyright (c) 2020 Scrapinghub. ' +
    'Regenerate with scripts/build-vocab.ts.',
  documents: files.length,
  df: Object.fromEntries(sorted),
};
writeFileSync(outFile, JSON.stringify(out) + '\n');
process.stderr.write(`${files.length} documents, ${sorted.length} terms -> ${outFile}\n`);
