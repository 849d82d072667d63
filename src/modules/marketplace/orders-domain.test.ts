import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  barHeight,
  checkChoice,
  checkTransition,
  dailySeries,
  formatOrderNumber,
  initialStatus,
  mergeQuantities,
  nextStates,
  ORDER_STATUSES,
  type OrderFacts,
  orderTotals,
  TRANSITIONS,
  waLink,
  waPhone,
  wibMonthRange,
} from './orders-domain.js';

const transfer = (status: OrderFacts['status'], deliveryMethod: OrderFacts['deliveryMethod'] = 'seller_delivery'): OrderFacts => ({
  status,
  deliveryMethod,
  paymentMethod: 'transfer',
});
const cash = (status: OrderFacts['status'], deliveryMethod: OrderFacts['deliveryMethod'] = 'cod'): OrderFacts => ({
  status,
  deliveryMethod,
  paymentMethod: 'cod',
});

describe('order state machine', () => {
  it('starts transfer/QRIS orders unpaid and cash orders in processing', () => {
    expect(initialStatus('transfer')).toBe('menunggu_pembayaran');
    expect(initialStatus('qris')).toBe('menunggu_pembayaran');
    expect(initialStatus('cod')).toBe('diproses');
  });

  it('lets only the seller confirm a payment', () => {
    expect(checkTransition(transfer('menunggu_pembayaran'), 'dibayar', 'seller').ok).toBe(true);
    expect(checkTransition(transfer('menunggu_pembayaran'), 'dibayar', 'buyer')).toEqual({ ok: false, reason: 'wrong_party' });
    expect(checkTransition(transfer('menunggu_pembayaran'), 'dibayar', 'system')).toEqual({ ok: false, reason: 'wrong_party' });
  });

  it('lets the buyer cancel before paying, without a reason, but not after', () => {
    expect(checkTransition(transfer('menunggu_pembayaran'), 'dibatalkan', 'buyer').ok).toBe(true);
    expect(checkTransition(transfer('dibayar'), 'dibatalkan', 'buyer')).toEqual({ ok: false, reason: 'wrong_party' });
    expect(checkTransition(transfer('dikirim'), 'dibatalkan', 'buyer')).toEqual({ ok: false, reason: 'forbidden_transition' });
  });

  it('requires a reason when the seller cancels', () => {
    expect(checkTransition(transfer('dibayar'), 'dibatalkan', 'seller')).toEqual({ ok: false, reason: 'reason_required' });
    expect(checkTransition(transfer('dibayar'), 'dibatalkan', 'seller', '   ')).toEqual({ ok: false, reason: 'reason_required' });
    expect(checkTransition(transfer('dibayar'), 'dibatalkan', 'seller', 'Bahan habis').ok).toBe(true);
  });

  it('ships delivered orders and readies pickup orders, never the other way round', () => {
    expect(checkTransition(transfer('diproses', 'seller_delivery'), 'dikirim', 'seller').ok).toBe(true);
    expect(checkTransition(transfer('diproses', 'seller_delivery'), 'siap_diambil', 'seller').ok).toBe(false);
    expect(checkTransition(transfer('diproses', 'pickup'), 'siap_diambil', 'seller').ok).toBe(true);
    expect(checkTransition(transfer('diproses', 'pickup'), 'dikirim', 'seller').ok).toBe(false);
  });

  it('lets a cash buyer cancel while the order is processed, a transfer buyer not', () => {
    expect(checkTransition(cash('diproses'), 'dibatalkan', 'buyer').ok).toBe(true);
    expect(checkTransition(transfer('diproses'), 'dibatalkan', 'buyer').ok).toBe(false);
    expect(checkTransition(cash('menunggu_pembayaran'), 'dibayar', 'seller').ok).toBe(false);
  });

  it('lets the system only cancel unpaid orders', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const r = checkTransition(transfer(from), to, 'system');
        expect(r.ok).toBe(from === 'menunggu_pembayaran' && to === 'dibatalkan');
      }
    }
  });

  it('never leaves the end states', () => {
    for (const end of ['selesai', 'dibatalkan'] as const) {
      expect(TRANSITIONS.some((r) => r.from === end)).toBe(false);
      for (const a of ['buyer', 'seller', 'system'] as const) expect(nextStates(transfer(end), a)).toEqual([]);
    }
  });

  it('offers the seller the next steps for the buttons', () => {
    expect(nextStates(transfer('menunggu_pembayaran'), 'seller')).toEqual(['dibayar', 'dibatalkan']);
    expect(nextStates(transfer('diproses', 'pickup'), 'seller')).toEqual(['siap_diambil', 'dibatalkan']);
    expect(nextStates(transfer('dikirim'), 'buyer')).toEqual(['selesai']);
  });
});

describe('delivery and payment choices', () => {
  const all = { offersPickup: true, offersDelivery: true, offersCod: true, hasBankAccount: true, hasQris: true };
  it('accepts what the store offers', () => {
    expect(checkChoice(all, 'pickup', 'cod')).toBeNull();
    expect(checkChoice(all, 'cod', 'cod')).toBeNull();
    expect(checkChoice(all, 'seller_delivery', 'transfer')).toBeNull();
    expect(checkChoice(all, 'pickup', 'qris')).toBeNull();
  });
  it('refuses cash with seller delivery and COD with a transfer', () => {
    expect(checkChoice(all, 'seller_delivery', 'cod')).toBe('cod_needs_cash_delivery');
    expect(checkChoice(all, 'cod', 'transfer')).toBe('cod_needs_cash_delivery');
  });
  it('refuses methods the store does not offer', () => {
    expect(checkChoice({ ...all, offersDelivery: false }, 'seller_delivery', 'transfer')).toBe('delivery_not_offered');
    expect(checkChoice({ ...all, offersCod: false }, 'cod', 'cod')).toBe('delivery_not_offered');
    expect(checkChoice({ ...all, hasBankAccount: false }, 'pickup', 'transfer')).toBe('payment_not_available');
    expect(checkChoice({ ...all, hasQris: false }, 'pickup', 'qris')).toBe('payment_not_available');
  });
});

describe('money', () => {
  it('adds lines and the delivery fee exactly', () => {
    expect(
      orderTotals(
        [
          { unitPrice: 15_000n, quantity: 3 },
          { unitPrice: 7_500n, quantity: 2 },
        ],
        10_000n,
      ),
    ).toEqual({
      subtotal: 60_000n,
      deliveryFee: 10_000n,
      total: 70_000n,
    });
    expect(() => orderTotals([{ unitPrice: 1n, quantity: 0 }], 0n)).toThrow();
    expect(() => orderTotals([{ unitPrice: 1n, quantity: 1 }], -1n)).toThrow();
  });

  it('total = Σ price × quantity + fee for any cart (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ unitPrice: fc.bigInt({ min: 1n, max: 100_000_000n }), quantity: fc.integer({ min: 1, max: 999 }) }), {
          minLength: 1,
          maxLength: 50,
        }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (lines, fee) => {
          const r = orderTotals(lines, fee);
          let sum = 0n;
          for (const l of lines) sum += l.unitPrice * BigInt(l.quantity);
          expect(r.subtotal).toBe(sum);
          expect(r.total).toBe(sum + fee);
          expect(r.total - r.deliveryFee).toBe(r.subtotal);
        },
      ),
    );
  });

  it('merges repeated variants by adding quantities (property: nothing lost)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ variantId: fc.constantFrom('a', 'b', 'c'), quantity: fc.integer({ min: 1, max: 999 }) })),
        (items) => {
          const m = mergeQuantities(items);
          const total = [...m.values()].reduce((a, b) => a + b, 0);
          expect(total).toBe(items.reduce((a, i) => a + i.quantity, 0));
        },
      ),
    );
  });
});

describe('numbers, phones, charts', () => {
  it('numbers orders by the WIB day', () => {
    expect(formatOrderNumber(new Date('2024-11-28T10:00:00Z'), 123)).toBe('NL-241128-000123');
    // 20:00 UTC is already the next day in Malang.
    expect(formatOrderNumber(new Date('2024-11-28T20:00:00Z'), 1)).toBe('NL-241129-000001');
  });

  it('turns Indonesian phone numbers into wa.me numbers', () => {
    expect(waPhone('0812-3456-7890')).toBe('6281234567890');
    expect(waPhone('+62 812 3456 7890')).toBe('6281234567890');
    expect(waPhone('6281234567890')).toBe('6281234567890');
    expect(waPhone('12')).toBeNull();
    expect(waPhone(null)).toBeNull();
    expect(waLink('081234567890', 'Halo & apa kabar?')).toBe('https://wa.me/6281234567890?text=Halo%20%26%20apa%20kabar%3F');
  });

  it('fills every day of the month and scales bars', () => {
    const m = wibMonthRange(new Date('2025-02-10T00:00:00Z'));
    expect(m.month).toBe('2025-02');
    expect(m.days).toBe(28);
    expect(m.start.toISOString()).toBe('2025-01-31T17:00:00.000Z');
    const s = dailySeries('2025-02', 28, [
      { day: '2025-02-01', amount: 10n },
      { day: '2025-02-28', amount: 30n },
      { day: '2025-03-01', amount: 99n },
    ]);
    expect(s).toHaveLength(28);
    expect(s[0]).toBe(10n);
    expect(s[27]).toBe(30n);
    expect(s.reduce((a, b) => a + b, 0n)).toBe(40n);
    expect(barHeight(30n, 30n, 120)).toBe(120);
    expect(barHeight(1n, 1_000_000n, 120)).toBe(1);
    expect(barHeight(0n, 30n, 120)).toBe(0);
  });
});
