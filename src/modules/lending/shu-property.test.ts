import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBalanced } from '../books/domain.js';
import { calculateShu } from './calc.js';
import { payoutLines, postingLines, SHU_ACCOUNT_OF, SHU_PAYABLE_ACCOUNT } from './shu-service.js';

// Any SHU, any bylaw split adding to 100, any members: the posting entry is balanced and empties
// SHU tahun berjalan exactly; paying every member (in any batches, cash or sukarela) is balanced
// and brings the members' payable back to exactly zero.

const split = fc
  .tuple(
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: 0, max: 100 }),
  )
  .map(([a, b, c, d]) => {
    // four cut points → five whole-percent shares adding to 100
    const cuts = [a, b, c, d].sort((x, y) => x - y);
    const parts = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2], 100 - cuts[3]] as number[];
    return [
      { key: 'cadangan', percent: String(parts[0]) },
      { key: 'jasaModal', percent: String(parts[1]) },
      { key: 'jasaUsaha', percent: String(parts[2]) },
      { key: 'danaPengurus', percent: String(parts[3]) },
      { key: 'danaSosial', percent: String(parts[4]) },
    ];
  });

const members = fc.array(
  fc.record({ savings: fc.bigInt({ min: 0n, max: 50_000_000n }), transactions: fc.bigInt({ min: 0n, max: 20_000_000n }) }),
  { maxLength: 40 },
);

function net(lines: { code: string; debit: bigint; credit: bigint }[], code: string) {
  return lines.filter((l) => l.code === code).reduce((s, l) => s + l.credit - l.debit, 0n);
}

describe('SHU posting and payout (property)', () => {
  it('keep the ledger balanced and the payable back at zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        split,
        members,
        fc.array(fc.boolean(), { maxLength: 40 }),
        (shuAmount, allocations, ms, cash) => {
          const result = calculateShu({
            shu: shuAmount,
            allocations,
            members: ms.map((m, i) => ({ id: `m${i}`, memberNumber: i + 1, savings: m.savings, transactions: m.transactions })),
          });
          const jm = result.members.reduce((s, m) => s + m.jasaModal, 0n);
          const ju = result.members.reduce((s, m) => s + m.jasaUsaha, 0n);
          const lines = postingLines({
            shu: shuAmount,
            allocations: result.allocations,
            cadanganExtra: result.cadanganExtra,
            jasaModalTotal: jm,
            jasaUsahaTotal: ju,
          });
          expect(isBalanced(lines)).toBe(true);
          expect(net(lines, '3-1500')).toBe(-shuAmount);
          expect(net(lines, SHU_ACCOUNT_OF.cadangan)).toBe(
            (result.allocations.find((a) => a.key === 'cadangan')?.amount ?? 0n) + result.cadanganExtra,
          );
          let payable = net(lines, SHU_PAYABLE_ACCOUNT);
          const parts = result.members.filter((m) => m.total > 0n).map((m) => ({ memberId: m.id, total: m.total }));
          // pay in two batches: cash for some, sukarela for the rest
          const byCash = parts.filter((_, i) => cash[i] === true);
          const bySukarela = parts.filter((_, i) => cash[i] !== true);
          for (const [method, batch] of [
            ['kas', byCash],
            ['sukarela', bySukarela],
          ] as const) {
            if (batch.length === 0) continue;
            const pay = payoutLines(method, batch);
            expect(isBalanced(pay)).toBe(true);
            payable += net(pay, SHU_PAYABLE_ACCOUNT);
          }
          expect(payable).toBe(0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
