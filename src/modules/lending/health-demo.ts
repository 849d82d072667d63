/**
 * Demo health self-assessment for "KSP Sejahtera Bersama Malang" (made up): the last full fiscal
 * year (the calendar year before the current one, the year whose SHU shu-demo.ts shares), saved
 * by the ketua (koperasi@demo…) through the service, so the indicators come from the demo books
 * exactly as for any koperasi and the score and category follow from them and the answers below.
 *
 * The governance checklist is answered as a tidy small KSP would: RAT held (on the date recorded
 * with the year's SHU, when there is one), monthly closes, loans entered by one pengurus and
 * approved by another (as the demo loans are); no external audit and no regular member statements
 * yet. Run after seedShuDemo, so a closed year is assessed with its own dates.
 * Idempotent: does nothing when the year already has an assessment.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { todayWib } from '../books/service.js';
import type { HealthCategory } from './health.js';
import { saveAssessment, savedAssessment } from './health-service.js';
import { demoKspId, demoPengurus } from './shu-demo.js';

const DAY_MS = 86_400_000;
const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** "28 Maret 2026": the notes are data, written in the koperasi's language. */
const tanggal = (iso: string) => at(iso).toLocaleDateString('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export async function seedHealthDemo(
  db: Kysely<Database>,
  opts: { today?: string } = {},
): Promise<{ year: number; score: number; category: HealthCategory; created: boolean } | null> {
  const kop = await demoKspId(db);
  if (!kop) return null;
  const today = opts.today ?? todayWib();
  const year = Number(today.slice(0, 4)) - 1;
  const existing = await savedAssessment(db, kop, year);
  if (existing) return { year, score: existing.score, category: existing.category, created: false };
  const ketua = await demoPengurus(db, 'koperasi@demo.ngalamlaris.id');
  if (!ketua) return null;

  const run = await db.selectFrom('shu_runs').select('rat_date').where('koperasi_id', '=', kop).where('year', '=', year).executeTakeFirst();
  const rat = run?.rat_date ? String(run.rat_date).slice(0, 10) : null;
  // The RAT report is due a month after the RAT: filed on time once that month has passed.
  const reportFiled = rat !== null && at(rat).getTime() + 30 * DAY_MS <= at(today).getTime();
  const governance = [
    {
      questionId: 'ratHeld',
      answer: rat !== null,
      note: rat ? `RAT tahun buku ${year} diadakan ${tanggal(rat)}.` : `RAT tahun buku ${year} belum diadakan.`,
    },
    {
      questionId: 'ratOnTime',
      answer: reportFiled,
      note: reportFiled ? 'Laporan RAT dikirim ke Dinas Koperasi dua minggu setelah RAT.' : 'Laporan RAT sedang disusun.',
    },
    { questionId: 'bylawsCurrent', answer: true, note: `AD/ART disesuaikan pada RAT ${year - 1}.` },
    { questionId: 'boardComplete', answer: true, note: `Pengurus dan pengawas periode ${year - 1}–${year + 3}.` },
    { questionId: 'supervisorsReport', answer: true, note: null },
    { questionId: 'booksMonthly', answer: true, note: 'Setiap bulan ditutup paling lambat tanggal 10 bulan berikutnya.' },
    { questionId: 'externalAudit', answer: false, note: `Audit akuntan publik direncanakan untuk tahun buku ${year + 1}.` },
    { questionId: 'loanPolicyWritten', answer: true, note: 'SOP pinjaman disahkan rapat pengurus dan pengawas.' },
    { questionId: 'separationOfDuties', answer: true, note: 'Pinjaman dicatat ketua dan disetujui bendahara.' },
    { questionId: 'membersInformed', answer: false, note: 'Anggota melihat saldo sendiri di aplikasi; laporan tercetak belum rutin.' },
  ];
  const { assessment } = await saveAssessment(db, ketua, kop, year, { governance });
  return { year, score: assessment.score, category: assessment.category, created: true };
}
