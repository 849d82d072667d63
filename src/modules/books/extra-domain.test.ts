import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_SIZE, memberCardPdf, receiptPdf, terbilang, terbilangRupiah } from './documents.js';
import { cashFlowClass, monthsDue, wajibArrears } from './extra-domain.js';

describe('terbilang', () => {
  it.each([
    [0, 'nol'],
    [1, 'satu'],
    [10, 'sepuluh'],
    [11, 'sebelas'],
    [12, 'dua belas'],
    [19, 'sembilan belas'],
    [20, 'dua puluh'],
    [21, 'dua puluh satu'],
    [100, 'seratus'],
    [111, 'seratus sebelas'],
    [999, 'sembilan ratus sembilan puluh sembilan'],
    [1000, 'seribu'],
    [1001, 'seribu satu'],
    [1100, 'seribu seratus'],
    [2000, 'dua ribu'],
    [11_000, 'sebelas ribu'],
    [100_000, 'seratus ribu'],
    [125_000, 'seratus dua puluh lima ribu'],
    [1_000_000, 'satu juta'],
    [1_001_000, 'satu juta seribu'],
    [25_000_000, 'dua puluh lima juta'],
    [1_000_000_000, 'satu miliar'],
    [2_500_000_001, 'dua miliar lima ratus juta satu'],
    [1_000_000_000_000, 'satu triliun'],
  ])('%d → %s', (n, words) => {
    expect(terbilang(n)).toBe(words);
    expect(terbilang(BigInt(n))).toBe(words);
  });

  it('bigints above a triliun and negatives', () => {
    expect(terbilang(1_000_000_000_000_000n)).toBe('seribu triliun');
    expect(terbilang(-11n)).toBe('minus sebelas');
  });

  it('with "rupiah", capitalised', () => {
    expect(terbilangRupiah(2_500_000n)).toBe('Dua juta lima ratus ribu rupiah');
    expect(terbilangRupiah(0)).toBe('Nol rupiah');
  });

  it('never says "satu ribu", "satu ratus" or "sepuluh satu", and never has double spaces', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), (n) => {
        const w = terbilang(n);
        // "satu" as the whole count of a group before ribu/ratus/puluh/belas (seribu, seratus, sepuluh, sebelas instead).
        expect(w).not.toMatch(/(^|(ribu|juta|miliar|triliun) )satu (ribu|ratus|puluh|belas)/);
        expect(w).not.toMatch(/ {2}|^ | $/);
        expect(w.length).toBeGreaterThan(0);
      }),
    );
  });

  it('is one-to-one (different numbers, different words)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), (a, b) => {
        fc.pre(a !== b);
        expect(terbilang(a)).not.toBe(terbilang(b));
      }),
    );
  });
});

describe('simpanan wajib arrears', () => {
  it('counts months from the join month through the month of the date', () => {
    expect(monthsDue('2025-01-31', '2025-01-01')).toBe(1);
    expect(monthsDue('2025-01-02', '2025-04-30')).toBe(4);
    expect(monthsDue('2024-12-15', '2025-02-01')).toBe(3);
    expect(monthsDue('2025-05-01', '2025-04-30')).toBe(0);
  });

  it('owed = due × monthly − paid, never below 0; months in arrears from whole months paid', () => {
    expect(wajibArrears(4, 75_000n, 25_000n)).toEqual({ paidMonths: 3, monthsInArrears: 1, owed: 25_000n });
    expect(wajibArrears(3, 0n, 25_000n)).toEqual({ paidMonths: 0, monthsInArrears: 3, owed: 75_000n });
    expect(wajibArrears(2, 60_000n, 25_000n)).toEqual({ paidMonths: 2, monthsInArrears: 0, owed: 0n });
    expect(wajibArrears(5, 10_000n, 0n)).toEqual({ paidMonths: 0, monthsInArrears: 0, owed: 0n });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (due, paid, monthly) => {
          const r = wajibArrears(due, paid, monthly);
          expect(r.owed >= 0n).toBe(true);
          expect(r.monthsInArrears >= 0).toBe(true);
          // Arrears in months and in Rupiah agree: owing something ⇔ a month (or part of one) is unpaid.
          expect(r.owed > 0n).toBe(r.monthsInArrears > 0);
          expect(r.owed <= BigInt(r.monthsInArrears) * monthly).toBe(true);
          expect(r.owed === 0n || r.owed > BigInt(r.monthsInArrears - 1) * monthly).toBe(true);
        },
      ),
    );
  });
});

describe('cash flow classes', () => {
  it('classifies by the counter-account', () => {
    expect(cashFlowClass('4-1100', 'income')).toBe('operasi');
    expect(cashFlowClass('5-2200', 'expense')).toBe('operasi');
    expect(cashFlowClass('1-1300', 'asset')).toBe('operasi');
    expect(cashFlowClass('1-2300', 'asset')).toBe('investasi');
    expect(cashFlowClass('3-1100', 'equity')).toBe('pendanaan');
    expect(cashFlowClass('2-1100', 'liability')).toBe('pendanaan');
    expect(cashFlowClass('2-1200', 'liability')).toBe('pendanaan');
    expect(cashFlowClass('2-2100', 'liability')).toBe('pendanaan');
    expect(cashFlowClass('2-1950', 'liability')).toBe('operasi');
  });
});

describe('documents', () => {
  it('member card: one ID-1 page PDF', async () => {
    const pdf = await memberCardPdf(
      {
        koperasiName: 'KSP Uji',
        memberName: 'Sulastri',
        memberNumber: 7,
        joinDate: '2025-01-02',
        status: 'aktif',
        qrText: 'http://localhost/koperasi/x/anggota/y',
        generatedAt: '01-01-2026 10:00 WIB',
      },
      { compress: false },
    );
    const s = pdf.toString('latin1');
    expect(s.startsWith('%PDF-')).toBe(true);
    expect(s.match(/\/Type \/Page\b/g)?.length).toBe(1);
    expect(s).toContain(`/MediaBox [0 0 ${CARD_SIZE[0]} ${CARD_SIZE[1]}]`);
    expect(s).toContain('/Subtype /Image');
  });

  it('receipt: a PDF with the document title', async () => {
    const pdf = await receiptPdf(
      {
        koperasiName: 'KSP Uji',
        receiptNumber: 'BS-000001',
        title: 'Bukti Setor Simpanan',
        memberName: 'Sulastri',
        memberNumber: 7,
        kindLabel: 'Simpanan sukarela',
        typeLabel: 'setoran',
        date: '2025-03-10',
        amount: 500_000n,
        amountWords: terbilangRupiah(500_000n),
        balanceAfter: 500_000n,
        recordedBy: 'Ketua',
        recordedAt: '10-03-2025 09:00 WIB',
        journalEntryNumber: 1,
        generatedAt: '10-03-2025 09:01 WIB',
      },
      { compress: false },
    );
    const s = pdf.toString('latin1');
    expect(s.startsWith('%PDF-')).toBe(true);
    expect(s).toContain('(Bukti Setor Simpanan BS-000001)');
  });
});
