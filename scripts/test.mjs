#!/usr/bin/env node
// The whole test suite, in order, stopping at the first failure:
//   1. npm run check            (Biome lint/format + TypeScript)
//   2. vitest --project unit    on PGlite (TEST_DATABASE_URL removed from the environment)
//   3. vitest --project unit    on PostgreSQL, only when TEST_DATABASE_URL is set — at the same
//      time as 2 (each pass runs in one process, so two passes use two cores; the PostgreSQL
//      pass's output is printed when it ends; TEST_SEQUENTIAL=1 runs them one after the other)
//   4. vitest --project e2e     browser journeys in Debian's Chromium (SKIP_E2E=1 skips explicitly)
// Ends with one line "N passed, N failed" summing Vitest's test counts over all passes.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const extraArgs = process.argv.slice(2); // e.g. `npm test -- src/platform` narrows every Vitest pass
const tmp = mkdtempSync(path.join(tmpdir(), 'ngalam-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedFiles = 0;
const started = Date.now();

/** Runs a command; its output goes to the terminal, or with `logFile` to that file (printed later). */
function run(label, cmd, args, env = process.env, logFile = null) {
  if (!logFile) process.stdout.write(`\n=== ${label} ===\n`);
  return new Promise((resolve) => {
    const log = logFile ? createWriteStream(logFile) : null;
    const child = spawn(cmd, args, { stdio: log ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    if (log) {
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
    }
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      process.stderr.write(`test: could not start ${cmd}: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const done = () => resolve(code ?? 128 + (constants.signals[signal] ?? 0));
      if (log) log.end(done);
      else done();
    });
  });
}

function finish(code) {
  // A step that failed without a failed test (lint, type check, a test file that did not load,
  // missing browser) still counts as a failure in the summary line.
  if (code !== 0 && totals.failed === 0) totals.failed = Math.max(1, failedFiles);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (totals.skipped) process.stdout.write(`(${totals.skipped} skipped or todo)\n`);
  process.stdout.write(`test: ${code === 0 ? 'all passes green' : `stopped with exit code ${code}`} in ${secs} s\n`);
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
  process.exit(code);
}

/**
 * Runs one Vitest pass with the default and JSON reporters and adds its counts to the totals;
 * with `buffered`, its output is printed when it ends (for a pass that runs beside another).
 */
async function vitest(label, project, env, buffered = false) {
  const out = path.join(tmp, `${label.replace(/\W+/g, '-')}.json`);
  const logFile = buffered ? path.join(tmp, `${label.replace(/\W+/g, '-')}.log`) : null;
  const bin = path.join('node_modules', 'vitest', 'vitest.mjs');
  const code = await run(
    label,
    process.execPath,
    [
      bin,
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${out}`,
      // A filter (`npm test -- src/platform`) may match no file of a project: that is not a failure.
      ...(extraArgs.length ? ['--passWithNoTests', ...extraArgs] : []),
    ],
    env,
    logFile,
  );
  if (logFile) {
    process.stdout.write(`\n=== ${label} (run beside the pass above; its output) ===\n`);
    process.stdout.write(readFileSync(logFile, 'utf8'));
  }
  if (existsSync(out)) {
    try {
      const r = JSON.parse(readFileSync(out, 'utf8'));
      totals.passed += r.numPassedTests ?? 0;
      totals.failed += r.numFailedTests ?? 0;
      totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      failedFiles += r.numFailedTestSuites ?? 0;
      process.stdout.write(`--- ${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed of ${r.numTotalTests}\n`);
    } catch (err) {
      process.stderr.write(`test: could not read Vitest's JSON report ${out}: ${err.message}\n`);
      if (code === 0) return 1;
    }
  } else if (code === 0) {
    process.stderr.write(`test: Vitest wrote no JSON report for ${label}\n`);
    return 1;
  }
  return code;
}

// Fail fast, before minutes of other tests, when the browser tests cannot run.
const skipE2e = process.env.SKIP_E2E === '1';
if (!skipE2e && !existsSync(CHROMIUM)) {
  process.stderr.write(
    `test: the browser tests need Debian's Chromium at ${CHROMIUM}, which is missing.\n` +
      '      Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
      '      (or set CHROMIUM_PATH, or run with SKIP_E2E=1 to skip the browser tests on purpose)\n',
  );
  finish(1);
}

let code = await run('check (biome + tsc)', 'npm', ['run', '--silent', 'check']);
if (code !== 0) finish(code);

// dist/ (what `npm start` runs, used by the start-up tests) is built once here, not by each pass.
code = await run('build dist/ for the start-up tests', process.execPath, ['scripts/build.mjs', '--quiet']);
if (code !== 0) finish(code);
const built = { ...process.env, TEST_DIST_BUILT: '1' };
const pgliteEnv = { ...built };
delete pgliteEnv.TEST_DATABASE_URL;

if (process.env.TEST_DATABASE_URL && process.env.TEST_SEQUENTIAL !== '1') {
  const [onPglite, onPostgres] = await Promise.all([
    vitest('unit on PGlite', 'unit', pgliteEnv),
    vitest('unit on PostgreSQL', 'unit', built, true),
  ]);
  if (onPglite !== 0) finish(onPglite);
  if (onPostgres !== 0) finish(onPostgres);
} else {
  code = await vitest('unit on PGlite', 'unit', pgliteEnv);
  if (code !== 0) finish(code);
  if (process.env.TEST_DATABASE_URL) {
    code = await vitest('unit on PostgreSQL', 'unit', built);
    if (code !== 0) finish(code);
  } else {
    process.stdout.write('\n=== unit on PostgreSQL: not run (set TEST_DATABASE_URL=postgres://… to run it) ===\n');
  }
}

if (skipE2e) {
  process.stdout.write('\n=== e2e: SKIPPED because SKIP_E2E=1 ===\n');
} else {
  code = await vitest('e2e in Chromium', 'e2e', pgliteEnv);
  if (code !== 0) finish(code);
}

finish(0);
