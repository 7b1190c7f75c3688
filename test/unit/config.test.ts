import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/index.js';
import { tempDir } from '../helpers/cli.js';

describe('config', () => {
  it('accepts every documented key', () => {
    const c = validateConfig({ rules: [{ id: 'house-promo', pattern: '^Get the app', flags: 'i' }], disable: ['section-label'], threshold: 0.4, out: 'o', ignore: ['drafts/'] }, 'x');
    expect(c.rules[0].id).toBe('house-promo');
    expect(c.rules[0].pattern.test('get the APP now')).toBe(true);
    expect(c).toMatchObject({ disable: ['section-label'], threshold: 0.4, out: 'o', ignore: ['drafts/'] });
  });
  it('names the file, the key and what was expected', () => {
    expect(() => validateConfig({ threshold: 3 }, '.cleanrc.json')).toThrow('config .cleanrc.json: "threshold" must be a number from 0 to 1');
    expect(() => validateConfig({ colour: true }, 'c.json')).toThrow(/"colour" is not a known key/);
    expect(() => validateConfig({ rules: [{ id: 'x', pattern: '(' }] }, 'c.json')).toThrow(/"rules\[0\]\.pattern" is not a valid regular expression/);
    expect(() => validateConfig([], 'c.json')).toThrow(/expected a JSON object/);
  });
  it('refuses what would silently do nothing or something else: unknown rule keys, unknown or clashing ids', () => {
    expect(() => validateConfig({ rules: [{ id: 'x', pattern: 'a', flag: 'i' }] }, 'c.json')).toThrow('config c.json: "rules[0].flag" is not a known key (expected: id, pattern, flags)');
    expect(() => validateConfig({ rules: [[]] }, 'c.json')).toThrow(/"rules\[0\]" must be an object/);
    expect(() => validateConfig({ disable: ['section-lable'] }, 'c.json')).toThrow(/"disable\[0\]" "section-lable" is not a rule id \(expected one of: .*section-label/);
    expect(() => validateConfig({ rules: [{ id: 'copyright', pattern: 'a' }] }, 'c.json')).toThrow(/"rules\[0\]\.id" "copyright" is a built-in rule's id/);
    expect(() => validateConfig({ rules: [{ id: 'x', pattern: 'a' }, { id: 'x', pattern: 'b' }] }, 'c.json')).toThrow(/"rules\[1\]\.id" "x" is the id of an earlier rule/);
    // every built-in id and the config's own rule ids can be disabled
    expect(validateConfig({ rules: [{ id: 'house-promo', pattern: 'a' }], disable: ['house-promo', 'template-line', 'teaser-link'] }, 'c.json').disable).toEqual(['house-promo', 'template-line', 'teaser-link']);
  });
  it('finds .cleanrc.json above the working folder, or the "clean" key of package.json', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.cleanrc.json'), JSON.stringify({ threshold: 0.3 }));
    expect(loadConfig(path.join(dir, 'a', 'b')).threshold).toBe(0.3);
    const dir2 = tempDir();
    fs.writeFileSync(path.join(dir2, 'package.json'), JSON.stringify({ name: 'x', clean: { out: 'articles' } }));
    expect(loadConfig(dir2).out).toBe('articles');
  });
});
