#!/usr/bin/env node
// The `clean` executable: a thin shim over the bundled CLI (npm ci builds dist/ through `prepare`;
// scripts/bundle.config.mjs says why a bundle), compiled with the code cache made at build time.
import { fileURLToPath } from 'node:url';
import { loadBundle, setEngineFlags } from '../dist/bundle/bundle-loader.js';

// before the bundle is compiled: its code cache holds only under the flags it was made with
setEngineFlags();
const { exports, cache } = loadBundle(fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url)), { writeOnExit: process.env.CLEAN_WRITE_CODE_CACHE === '1' });
if (process.env.CLEAN_TIMINGS) process.stderr.write(`clean: code cache ${cache}\n`);
exports.main();
