#!/usr/bin/env node
// The `clean` executable: a thin shim over the compiled CLI, bundled (npm ci builds dist/ through `prepare`;
// scripts/bundle.config.mjs says why a bundle).
import { main } from '../dist/bundle/cli.js';

main();
