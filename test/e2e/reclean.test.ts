// Cleaning the CLI's own output again changes nothing: every article `clean --all` wrote for the 181 pages of the
// extraction benchmark (HTML and text) comes out of a second `clean --all` byte for byte. The second run reads
// each article's first line as its title because the manifest beside it says clean wrote it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../helpers/paths.js';
import { readTree, runCli, tempDir } from '../helpers/cli.js';

const PAGES = path.join(SHARED, 'bench/extraction');

describe('clean --all on its own output', () => {
  for (const kind of ['html', 'raw']) {
    it(`writes the same articles again (extraction benchmark, ${kind}/)`, () => {
      const first = tempDir();
      const second = tempDir();
      expect(runCli(['--all', '--quiet', '--out', first, path.join(PAGES, kind)]).code).toBe(0);
      const written = readTree(first);
      expect(runCli(['--all', '--quiet', '--out', second, first]).code).toBe(0);
      const again = readTree(second);
      const articles = [...written.keys()].filter((name) => name !== 'manifest.json');
      expect(articles.length).toBe(181);
      const changed = articles.filter((name) => !again.get(name)?.equals(written.get(name)!));
      expect(changed).toEqual([]);
      // The first run's output, an input of the second, is as it was.
      expect(readTree(first)).toEqual(written);
    });
  }

  it('reads a copied article without its manifest by its text alone', () => {
    const first = tempDir();
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'harbour.html'),
      '<html><head><title>Harbour works begin. At last.</title></head><body><article><p>The ferry trust agreed a new winter timetable on Monday after a long meeting on the quay.</p><p>The mayor said the bridge would stay open all winter.</p></article></body></html>',
    );
    expect(runCli(['--all', '--quiet', '--out', first, dir]).code).toBe(0);
    const copy = tempDir();
    fs.copyFileSync(path.join(first, 'harbour.txt'), path.join(copy, 'harbour.txt'));
    const withManifest = JSON.parse(runCli(['--format', 'json', '--check', first]).stdout);
    const without = JSON.parse(runCli(['--format', 'json', '--check', copy]).stdout);
    // "Harbour works begin. At last." ends with a stop: only the manifest makes it the title.
    expect(withManifest.documents[0].title).toBe('Harbour works begin. At last.');
    expect(without.documents[0].title).toBeNull();
  });
});
