#!/usr/bin/env node
// The `clean` executable: a thin shim over the compiled CLI (npm ci builds dist/ through `prepare`).
import { main } from '../dist/cli/main.js';

main();
