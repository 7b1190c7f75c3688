// Configuration: `--config FILE`, else `.cleanrc.json` in the working folder or above, else the "clean"
// key of the nearest package.json. Validated strictly: a wrong key is a usage error (exit 2), never ignored.
import fs from 'node:fs';
import path from 'node:path';
import { unsafeRegexReason } from './regex-safety.js';
import { BUILT_IN_RULE_IDS } from '../clean/index.js';

export { unsafeRegexReason } from './regex-safety.js';

export interface UserRule {
  id: string;
  pattern: RegExp;
}

export interface Config {
  /** Where the settings came from, for messages; null when no file was found. */
  file: string | null;
  /** The folder of that file: "ignore" patterns and "out" are relative to it (null: the working folder). */
  dir: string | null;
  rules: UserRule[];
  disable: string[];
  threshold?: number;
  out?: string;
  ignore: string[];
}

export class ConfigError extends Error {}

const KNOWN_KEYS = ['rules', 'disable', 'threshold', 'out', 'ignore'] as const;
const RULE_KEYS = ['id', 'pattern', 'flags'];

function fail(file: string, key: string, expected: string): never {
  throw new ConfigError(`config ${file}: "${key}" ${expected}`);
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** Checks a parsed config object; `file` names it in errors. */
export function validateConfig(raw: unknown, file: string, dir: string | null = null): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`config ${file}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) fail(file, key, `is not a known key (expected one of: ${KNOWN_KEYS.join(', ')})`);
  }
  const config: Config = { file, dir, rules: [], disable: [], ignore: [] };
  if (obj.rules !== undefined) {
    if (!Array.isArray(obj.rules)) fail(file, 'rules', 'must be an array of { "id": string, "pattern": string, "flags"?: string }');
    obj.rules.forEach((r: unknown, i: number) => {
      const key = `rules[${i}]`;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) fail(file, key, 'must be an object with "id" and "pattern"');
      for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) fail(file, `${key}.${k}`, `is not a known key (expected: ${RULE_KEYS.join(', ')})`);
      const { id, pattern, flags } = r as Record<string, unknown>;
      if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(id)) fail(file, `${key}.id`, 'must be a lowercase id like "my-footer"');
      // an id is what reports name and "disable" refers to: it must say which rule it is
      if (BUILT_IN_RULE_IDS.includes(id)) fail(file, `${key}.id`, `"${id}" is a built-in rule's id (choose another)`);
      if (config.rules.some((u) => u.id === id)) fail(file, `${key}.id`, `"${id}" is the id of an earlier rule`);
      if (typeof pattern !== 'string' || pattern.length === 0) fail(file, `${key}.pattern`, 'must be a non-empty regular expression string');
      if (flags !== undefined && (typeof flags !== 'string' || !/^[imsu]*$/.test(flags))) fail(file, `${key}.flags`, 'may only hold the flags i, m, s, u');
      let re: RegExp;
      try {
        re = new RegExp(pattern, (flags as string | undefined) ?? '');
      } catch (e) {
        fail(file, `${key}.pattern`, `is not a valid regular expression (${(e as Error).message})`);
      }
      // Rules run on every line, and a line can be megabytes long: a pattern that can backtrack
      // catastrophically would hang the run, so it is refused here (see docs/RELIABILITY.md).
      const unsafe = unsafeRegexReason(pattern, (flags as string | undefined) ?? '');
      if (unsafe) fail(file, `${key}.pattern`, `is not safe to run on long lines: it ${unsafe}`);
      config.rules.push({ id, pattern: re });
    });
  }
  if (obj.disable !== undefined) {
    if (!isStringArray(obj.disable)) fail(file, 'disable', 'must be an array of rule ids');
    // a misspelt id would silently disable nothing
    obj.disable.forEach((id, i) => {
      if (!BUILT_IN_RULE_IDS.includes(id) && !config.rules.some((u) => u.id === id))
        fail(file, `disable[${i}]`, `"${id}" is not a rule id (expected one of: ${BUILT_IN_RULE_IDS.join(', ')}, or an id from "rules")`);
    });
    config.disable = obj.disable;
  }
  if (obj.threshold !== undefined) {
    if (typeof obj.threshold !== 'number' || !(obj.threshold >= 0 && obj.threshold <= 1)) fail(file, 'threshold', 'must be a number from 0 to 1');
    config.threshold = obj.threshold;
  }
  if (obj.out !== undefined) {
    if (typeof obj.out !== 'string' || obj.out.length === 0) fail(file, 'out', 'must be a folder path');
    config.out = obj.out;
  }
  if (obj.ignore !== undefined) {
    if (!isStringArray(obj.ignore)) fail(file, 'ignore', 'must be an array of gitignore-style patterns');
    config.ignore = obj.ignore;
  }
  return config;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`config ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config ${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** The config in force for a run started in `cwd`. */
export function loadConfig(cwd: string, explicit?: string): Config {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    const raw = readJson(file);
    const isPackage = path.basename(file) === 'package.json';
    return validateConfig(isPackage ? ((raw as Record<string, unknown>)?.clean ?? {}) : raw, explicit, path.dirname(file));
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const rc = path.join(dir, '.cleanrc.json');
    if (fs.existsSync(rc)) return validateConfig(readJson(rc), path.relative(cwd, rc) || rc, dir);
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const raw = readJson(pkg) as Record<string, unknown>;
      if (raw && typeof raw === 'object' && 'clean' in raw) return validateConfig(raw.clean, `${path.relative(cwd, pkg) || pkg} ("clean" key)`, dir);
    }
    if (path.dirname(dir) === dir) break;
  }
  return { file: null, dir: null, rules: [], disable: [], ignore: [] };
}
