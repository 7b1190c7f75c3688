// Our own fixture corpus (fixtures/) comes out exactly as fixtures/expected.json says.
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { checkAgainstExpected, loadExpected } from '../helpers/expected.js';

const expected = loadExpected(FIXTURES);

describe('clean on fixtures/', () => {
  it('matches fixtures/expected.json', () => {
    const { report } = checkAgainstExpected(FIXTURES, expected);
    expect(report.summary.clusters).toBe(expected.clusters.length);
    expect(report.summary.errors).toBe((expected.errors ?? []).length);
  });

  it('--check exits 1 on the raw fixtures and 0 on what clean wrote', () => {
    expect(runCli(['--check', FIXTURES]).code).toBe(1);
    const out = tempDir();
    expect(runCli([FIXTURES, '--out', out, '--quiet']).code).toBe(0);
    const r = runCli(['--check', out]);
    expect(r.stdout).toMatch(/no problems/);
    expect(r.code).toBe(0);
  });
});
