// Where the repository and the read-only ../shared folder (seeds, benchmarks) are.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = process.env.CLEAN_SHARED ?? path.resolve(REPO, '../shared');
export const SEEDS = path.join(SHARED, 'seeds');
export const FIXTURES = path.join(REPO, 'fixtures');
export const CLI = path.join(REPO, 'bin/clean.js');
