// Regular expressions against catastrophic backtracking: the built-in rules (checked with the recheck
// analyser and on adversarial lines), user rules from configuration (refused when unsafe, exit 2), and
// the static check behind that refusal (src/config/regex-safety.ts) against recheck's verdicts.
import fs from 'node:fs';
import path from 'node:path';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import { RULES, cleanText } from '../../src/clean/index.js';
import { extractHtml } from '../../src/extract-html/index.js';
import { unsafeRegexReason, validateConfig } from '../../src/config/index.js';
import { ARTICLE, corpus, runCli, tempDir } from './shared.js';

/** recheck on many patterns, two at a time (its native backend is a separate process). */
async function verdicts(patterns: readonly { source: string; flags: string }[]) {
  const out: { status: string; complexity?: string }[] = new Array(patterns.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < patterns.length) {
        const i = next++;
        const r = await check(patterns[i].source, patterns[i].flags.replace(/[gy]/g, ''), { timeout: 20_000 });
        out[i] = { status: r.status, complexity: r.status === 'vulnerable' ? r.complexity.type : undefined };
      }
    }),
  );
  return out;
}

/** A rule whose lines are at most this long may use a polynomial pattern: n² of 300 is nothing. */
const POLYNOMIAL_OK_MAXLEN = 300;

describe('built-in rules', () => {
  it('no rule pattern can backtrack exponentially; a polynomial one only where maxLen bounds the line', async () => {
    const rules = RULES.filter((r) => r.pattern);
    expect(rules.length).toBeGreaterThan(5);
    const v = await verdicts(rules.map((r) => ({ source: r.pattern!.source, flags: r.pattern!.flags })));
    const report = rules.map((r, i) => ({ id: r.id, maxLen: r.maxLen, ...v[i] }));
    for (const r of report) {
      expect(r.status, `${r.id}: recheck could not decide`).not.toBe('unknown');
      expect(r.complexity, `${r.id} is exponential`).not.toBe('exponential');
      if (r.complexity === 'polynomial') expect(r.maxLen ?? Infinity, `${r.id} is polynomial on unbounded lines`).toBeLessThanOrEqual(POLYNOMIAL_OK_MAXLEN);
    }
  }, 120_000);

  // Lines of 100,000 repeated characters or pairs: the shapes that make regexes backtrack.
  const UNITS = [' ', '\t', 'a', 'A', '0', '.', ',', '-', '–', '|', ':', '/', '!', '?', '<', '>', '&', '"', "'", '“', '’', '(', ')', '*', '_', '#', '=', ';', '\u00a0', 'é', 'â€', 'a ', 'A ', ' on', '0 ', '0,', 'a.', '. ', ' ,', '. .', '<a', '<p>', '&amp;', '&#', 'Ã©', '\u200b', 'by ', 'By A ', ' - ', ' | ', 'http://', 'www.', '$1', '© ', '«', '« ', 'Share this ', 'READ ALSO: '];
  it('cleaning a 100,000-character line of any of these shapes takes well under a second each (text and HTML)', () => {
    const slow: string[] = [];
    for (const u of UNITS) {
      const line = u.repeat(Math.ceil(100_000 / u.length)).slice(0, 100_000) + '\u0000x';
      let t = performance.now();
      cleanText('x.txt', 'Title\n\n' + line, 'text');
      const text = performance.now() - t;
      t = performance.now();
      extractHtml(`<html><body><article><p>${line}</p></article></body></html>`);
      const html = performance.now() - t;
      // ~0.1 s each on an idle machine; the budget allows for a loaded one, not for n².
      if (text > 4000 || html > 4000) slow.push(`${JSON.stringify(u)}: text ${text.toFixed(0)} ms, html ${html.toFixed(0)} ms`);
    }
    expect(slow).toEqual([]);
  }, 120_000);
});

// Patterns a user might write, unsafe and safe. The static check must refuse every one that recheck
// finds vulnerable (on an unbounded line, polynomial is as bad as exponential), and accept the plain ones.
const UNSAFE = ['(a+)+$', '^(\\w+\\s?)*$', '\\s+$', '^.*foo.*bar$', '^(a|aa)*c', '(x+x+)+y', '^(a{1,5})+$', '^(.*?,){11}P', '\\d+\\D+\\d', '^(a|a)*$', '(\\w+)\\1'];
const SAFE = ['^Download our app', '^(?:read more|see also):', '^\\d+ comments?$', '\\bsponsored\\b', '^(?:tags|topics)\\s*:\\s*\\S', '^[^.]{1,200}\\.$', '^(?:\\s*,\\s*\\w+)*$', '^Follow us on \\w+$', '^(ab?)+$', 'all rights reserved\\.?$'];

describe('user rules (.cleanrc.json "rules")', () => {
  it('the static check refuses what recheck finds vulnerable and accepts the plain patterns', async () => {
    const v = await verdicts([...UNSAFE, ...SAFE].filter((p) => !p.includes('\\1')).map((source) => ({ source, flags: 'i' })));
    const unsafe = UNSAFE.filter((p) => !p.includes('\\1'));
    const disagree = [...unsafe.filter((p, i) => v[i].status !== 'vulnerable'), ...SAFE.filter((p, i) => v[unsafe.length + i].status !== 'safe')];
    expect(disagree, 'patterns recheck judges otherwise than this list').toEqual([]);
    for (const p of UNSAFE) expect(unsafeRegexReason(p, 'i'), p).not.toBeNull();
    for (const p of SAFE) expect(unsafeRegexReason(p, 'i'), p).toBeNull();
  }, 120_000);

  it('validateConfig names the file, the rule and the problem', () => {
    expect(() => validateConfig({ rules: [{ id: 'ok', pattern: '^Download our app' }, { id: 'bad', pattern: '^(\\w+\\s?)*$' }] }, '.cleanrc.json')).toThrow(
      /^config \.cleanrc\.json: "rules\[1\]\.pattern" is not safe to run on long lines: it repeats a repetition \(\\w\+ inside \(\\w\+\\s\?\)\*\)/,
    );
  });

  it('the CLI refuses an unsafe rule with exit 2 before reading anything, and runs a safe one', () => {
    const dir = corpus({ 'a.txt': ARTICLE + '\nDownload our app today\n' });
    fs.writeFileSync(path.join(dir, '.cleanrc.json'), JSON.stringify({ rules: [{ id: 'house-promo', pattern: '(a+)+$' }] }));
    const out = tempDir('clean-hostile-out-');
    const bad = runCli(['.', '--out', out], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('clean: config .cleanrc.json: "rules[0].pattern" is not safe to run on long lines: it repeats a repetition (a+ inside (a+)+): this can take exponential or high polynomial time. Bound the outer repetition or make the rounds start differently\n');
    expect(fs.readdirSync(out)).toEqual([]);
    fs.writeFileSync(path.join(dir, '.cleanrc.json'), JSON.stringify({ rules: [{ id: 'house-promo', pattern: '^Download our app', flags: 'i' }] }));
    const good = runCli(['.', '--out', out, '--format', 'json'], { cwd: dir });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).documents[0].removed.map((r: { rule: string }) => r.rule)).toContain('house-promo');
  });
});
