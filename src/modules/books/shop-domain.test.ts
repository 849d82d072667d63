import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KSP_CHART } from './domain.js';
import { cashDifference, changeFor, EMPTY_STOCK, issue, mergeLines, receive, SHOP_ACCOUNTS, type StockState } from './shop-domain.js';

describe('shop rules', () => {
  it('every shop account is a postable account of the chart template', () => {
    const byCode = new Map(KSP_CHART.map((a) => [a.code, a]));
    for (const code of Object.values(SHOP_ACCOUNTS)) {
      expect(byCode.get(code), code).toBeDefined();
      expect(byCode.get(code)?.isHeader).toBe(false);
    }
    expect(byCode.get(SHOP_ACCOUNTS.utangDagang)?.type).toBe('liability');
    expect(byCode.get(SHOP_ACCOUNTS.selisihLebihKas)?.type).toBe('income');
    expect(byCode.get(SHOP_ACCOUNTS.selisihKurangKas)?.type).toBe('expense');
  });

  it('moving average: floor of value / stock; the last units take the rest', () => {
    let s = receive(EMPTY_STOCK, 3, 1_000n);
    expect(s).toEqual({ stock: 3, stockValue: 1_000n, avgCost: 333n });
    s = receive(s, 4, 5_000n);
    expect(s).toEqual({ stock: 7, stockValue: 6_000n, avgCost: 857n });
    const a = issue(s, 2);
    expect(a.cost).toBe(1_714n);
    const b = issue(a.state, 5);
    expect(b.cost).toBe(6_000n - 1_714n);
    expect(b.state).toMatchObject({ stock: 0, stockValue: 0n });
    expect(() => issue(b.state, 1)).toThrow(RangeError);
    expect(() => receive(EMPTY_STOCK, 0, 1n)).toThrow(RangeError);
  });

  it('property: any sequence of receipts and issues keeps value = Σ in − Σ out, 0 ≤ value − stock × avg, never negative', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ in: fc.constant(true), qty: fc.integer({ min: 1, max: 500 }), amount: fc.bigInt({ min: 0n, max: 10_000_000n }) }),
            fc.record({ in: fc.constant(false), qty: fc.integer({ min: 1, max: 500 }) }),
          ),
          { maxLength: 60 },
        ),
        (ops) => {
          let s: StockState = EMPTY_STOCK;
          let inValue = 0n;
          let outValue = 0n;
          let units = 0;
          let maxStock = 0;
          for (const o of ops) {
            if (o.in) {
              s = receive(s, o.qty, o.amount);
              inValue += o.amount;
              units += o.qty;
            } else if (o.qty <= s.stock) {
              const r = issue(s, o.qty);
              expect(r.cost >= 0n).toBe(true);
              s = r.state;
              outValue += r.cost;
              units -= o.qty;
            }
            maxStock = Math.max(maxStock, s.stock);
            expect(s.stock).toBe(units);
            expect(s.stockValue).toBe(inValue - outValue);
            expect(s.stockValue >= 0n).toBe(true);
            const gap = s.stockValue - BigInt(s.stock) * s.avgCost;
            expect(gap >= 0n).toBe(true);
            expect(gap < BigInt(Math.max(1, maxStock))).toBe(true);
            if (s.stock === 0) expect(s.stockValue).toBe(0n);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lines of the same item are merged; change and cash difference', () => {
    expect(
      mergeLines([
        { itemId: 'a', quantity: 1 },
        { itemId: 'b', quantity: 2 },
        { itemId: 'a', quantity: 3 },
      ]),
    ).toEqual([
      { itemId: 'a', quantity: 4 },
      { itemId: 'b', quantity: 2 },
    ]);
    expect(changeFor(7_500n, 10_000n)).toBe(2_500n);
    expect(changeFor(7_500n, 7_000n)).toBeNull();
    expect(cashDifference(10_000n, 9_500n)).toEqual({ difference: -500n, kind: 'kurang' });
    expect(cashDifference(10_000n, 10_200n)).toEqual({ difference: 200n, kind: 'lebih' });
    expect(cashDifference(10_000n, 10_000n).kind).toBe('pas');
  });
});
