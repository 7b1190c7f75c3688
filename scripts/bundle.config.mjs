// Part of `npm run build`: the CLI and its worker as one bundle each (dist/bundle/), which bin/clean.js runs.
// Node 20 loads the 67 modules of dist/ one by one (resolve, read, compile, link each), which cost a short run 30-110 ms
// more than the bundle does (`npm run bench:startup`; Node 20 has no compile cache for modules). The library API
// (dist/index.js) stays as tsc wrote it. The bundle lies two folders under the package like every module of dist/, so
// the paths it finds beside itself (../../data, ../background-df.bin, ./worker.js) are the same.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: { cli: 'dist/cli/main.js', worker: 'dist/parallel/worker.js' },
  platform: 'node',
  logLevel: 'warn',
  output: { dir: 'dist/bundle', format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name].js', cleanDir: true },
});
