#!/usr/bin/env node
// Builds what `npm start` and `npm run worker` run: src/main.ts and src/worker.ts bundled by esbuild
// into dist/ (our code in one file each; packages in node_modules stay imports). Running the bundle
// with plain `node` starts faster and uses less memory than transpiling TypeScript at every start
// (tsx), see docs/BENCHMARKS.md. Takes about a second; `npm start` runs it first every time. The
// bundle is not minified (stack traces stay readable); the source maps are used only when asked
// (NODE_OPTIONS=--enable-source-maps), since loading them costs about 26 MB of resident memory.
import { build } from 'esbuild';

const started = Date.now();
await build({
  entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  tsconfig: 'tsconfig.json',
});
if (!process.argv.includes('--quiet')) process.stdout.write(`build: dist/main.js, dist/worker.js in ${Date.now() - started} ms\n`);
