/**
 * RAT report benchmark (issue 6: ≤ 10 s for 20,000 members / 8,000 loans) on PostgreSQL.
 *
 *   npx tsx bench/rat.ts [--year 2026] [--runs 3]
 *
 * Uses the `bench_lending` database of bench/lending.ts (run its `generate` first; migrations must
 * be applied, e.g. by any bench that starts the app). Times, per run: the report's data
 * (ratReport: books reports, membership counts, portfolio and aging at the year-end, SHU, health),
 * then the PDF and the XLSX. Read-only. Prints one JSON line and appends it to
 * bench/results/rat.jsonl (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/index.js';
import { toPdf, toXlsx } from '../src/modules/books/report-export.js';
import { ratDoc, ratReport } from '../src/modules/lending/rat-service.js';
import { systemContext } from '../src/platform/context.js';
import { translator } from '../src/platform/i18n/index.js';
import { ADMIN_URL, ROOT } from './server.js';

const KOP_NAME = 'KSP Bench Sejahtera Malang';

function opt(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  const u = new URL(ADMIN_URL);
  u.pathname = '/bench_lending';
  const db = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
  const year = opt('year', new Date().getUTCFullYear());
  const runs = opt('runs', 3);
  const kop = await db.db
    .selectFrom('organizations')
    .select('id')
    .where('name', '=', KOP_NAME)
    .where('kind', '=', 'koperasi')
    .executeTakeFirstOrThrow();
  const ctx = systemContext(translator('id'));
  const results: { report: number; pdf: number; xlsx: number; total: number }[] = [];
  let shape = {};
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await ratReport(db.db, ctx, kop.id, year);
    const t1 = performance.now();
    const doc = ratDoc(translator('id'), r);
    const pdf = await toPdf(doc);
    const t2 = performance.now();
    const xlsx = await toXlsx(doc);
    const t3 = performance.now();
    results.push({ report: (t1 - t0) / 1000, pdf: (t2 - t1) / 1000, xlsx: (t3 - t2) / 1000, total: (t3 - t0) / 1000 });
    shape = {
      members: r.membership,
      loans: r.portfolio.totalLoans,
      outstanding: String(r.portfolio.totalOutstanding),
      balanced: r.balanceSheet.balanced,
      pdfBytes: pdf.length,
      xlsxBytes: xlsx.length,
    };
  }
  const line = JSON.stringify({ scenario: 'rat-report', at: new Date().toISOString(), year, runs: results, ...shape });
  process.stdout.write(`${line}\n`);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.appendFileSync(path.join(ROOT, 'bench/results/rat.jsonl'), `${line}\n`);
  await db.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
