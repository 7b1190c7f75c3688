// 100,000 tiny files in a tree 50 folders deep: walked, read, cleaned and clustered without running out
// of stack, file handles or memory; every file is accounted for. CLEAN_TREE_FILES overrides the count.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './shared.js';

const FILES = Number(process.env.CLEAN_TREE_FILES ?? 100_000);
const DEPTH = 50;

describe('a huge tree', () => {
  it(`${FILES.toLocaleString('en')} files in a tree ${DEPTH} folders deep`, () => {
    const root = tempDir('clean-tree-');
    const syl = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'sel', 'dar', 'min', 'pol', 'tres', 'quo', 'bar', 'fen', 'gil'];
    const rnd = crypto.randomBytes(FILES * 36);
    let k = 0;
    const word = () => syl[rnd[k++] & 15] + syl[rnd[k++] & 15] + syl[rnd[k++] >> 4];
    let dir = root;
    const perLevel = Math.ceil(FILES / DEPTH);
    let made = 0;
    const t0 = Date.now();
    for (let d = 0; d < DEPTH; d++) {
      dir = path.join(dir, `level ${d}`);
      fs.mkdirSync(dir);
      for (let i = 0; i < perLevel && made < FILES; i++, made++) {
        fs.writeFileSync(path.join(dir, `${made}.txt`), `${word()} ${word()}\n\n${Array.from({ length: 10 }, word).join(' ')}.\n`);
      }
    }
    const generated = Date.now() - t0;
    const out = tempDir('clean-tree-out-');
    const t1 = Date.now();
    const r = runCli(['.', '--out', out, '--format', 'json', '--quiet'], { cwd: root });
    const ran = Date.now() - t1;
    console.log(`tree: generated ${FILES} files in ${generated} ms, clean ran in ${ran} ms`);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.documents).toBe(FILES);
    expect(report.errors).toEqual([]);
    const members = report.clusters.reduce((n: number, c: { members: unknown[] }) => n + c.members.length, 0);
    expect(members).toBe(FILES);
    expect(report.documents[FILES - 1].path.split('/')).toHaveLength(DEPTH + 1);
    // 100,000 files per run would fill /tmp's inodes over time.
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }, 300_000);
});
