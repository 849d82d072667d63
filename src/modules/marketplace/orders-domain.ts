/**
 * Marketplace orders: the pure rules — the order state machine (who may move an order where),
 * money arithmetic of a checkout, order numbers, phone numbers for WhatsApp links and the
 * month's sales series for the seller's chart. No I/O here.
 */
import type { DeliveryMethod, OrderActor, OrderStatus, PaymentMethod } from './orders-tables.js';

export type { DeliveryMethod, OrderActor, OrderStatus, PaymentMethod };

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'menunggu_pembayaran',
  'dibayar',
  'diproses',
  'dikirim',
  'siap_diambil',
  'selesai',
  'dibatalkan',
] as const;
export const DELIVERY_METHODS: readonly DeliveryMethod[] = ['pickup', 'seller_delivery', 'cod'] as const;
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['transfer', 'qris', 'cod'] as const;

/** Largest quantity of one variant in one checkout, and most lines. */
export const MAX_QUANTITY = 999;
export const MAX_ITEMS = 50;
/** Variants with this stock or less show up as low-stock alerts on the seller's dashboard. */
export const LOW_STOCK_THRESHOLD = 5;

/** A fact about the order that some transitions depend on. */
export interface OrderFacts {
  status: OrderStatus;
  deliveryMethod: DeliveryMethod;
  paymentMethod: PaymentMethod;
}

export interface TransitionRule {
  from: OrderStatus;
  to: OrderStatus;
  /** Who may make it: the buyer (tracking token or account), the seller (store owner/pengurus), the system (jobs). */
  by: readonly OrderActor[];
  /** A reason must be given (seller cancellations). Checked per actor in `reasonRequired`. */
  reasonFrom?: readonly OrderActor[];
  /** Only for orders matching this condition. */
  when?: (o: OrderFacts) => boolean;
}

const paysLater = (o: OrderFacts) => o.paymentMethod === 'cod';
const paysFirst = (o: OrderFacts) => o.paymentMethod !== 'cod';
const delivered = (o: OrderFacts) => o.deliveryMethod !== 'pickup';
const pickedUp = (o: OrderFacts) => o.deliveryMethod === 'pickup';

/**
 * The whole state machine. Transfer/QRIS orders start at `menunggu_pembayaran`; cash orders
 * (COD delivery or cash at pickup) start at `diproses` and are marked paid when they complete.
 *
 * - the seller confirms a payment (`dibayar`), starts processing, ships (`dikirim`, delivery
 *   and COD) or makes the order ready for pickup (`siap_diambil`), and completes it;
 * - the buyer may cancel before paying (a cash order: until it is shipped or ready) and may
 *   confirm receipt (`selesai`);
 * - the seller may cancel with a reason until the goods leave (also a ready pickup nobody
 *   collected); the system cancels unpaid orders whose payment time ran out.
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'menunggu_pembayaran', to: 'dibayar', by: ['seller'], when: paysFirst },
  { from: 'menunggu_pembayaran', to: 'dibatalkan', by: ['buyer', 'seller', 'system'], reasonFrom: ['seller'] },
  { from: 'dibayar', to: 'diproses', by: ['seller'] },
  { from: 'dibayar', to: 'dibatalkan', by: ['seller'], reasonFrom: ['seller'] },
  { from: 'diproses', to: 'dikirim', by: ['seller'], when: delivered },
  { from: 'diproses', to: 'siap_diambil', by: ['seller'], when: pickedUp },
  { from: 'diproses', to: 'dibatalkan', by: ['seller'], reasonFrom: ['seller'] },
  { from: 'diproses', to: 'dibatalkan', by: ['buyer'], when: paysLater },
  { from: 'dikirim', to: 'selesai', by: ['buyer', 'seller'] },
  { from: 'siap_diambil', to: 'selesai', by: ['buyer', 'seller'] },
  { from: 'siap_diambil', to: 'dibatalkan', by: ['seller'], reasonFrom: ['seller'] },
];

/** The state a new order starts in. */
export function initialStatus(paymentMethod: PaymentMethod): OrderStatus {
  return paymentMethod === 'cod' ? 'diproses' : 'menunggu_pembayaran';
}

export type TransitionCheck =
  | { ok: true; rule: TransitionRule }
  | { ok: false; reason: 'forbidden_transition' | 'wrong_party' | 'reason_required' };

/** May `actor` move this order to `to`? (`reason` is the text given, if any.) */
export function checkTransition(order: OrderFacts, to: OrderStatus, actor: OrderActor, reason?: string | null): TransitionCheck {
  const rules = TRANSITIONS.filter((r) => r.from === order.status && r.to === to && (!r.when || r.when(order)));
  if (rules.length === 0) return { ok: false, reason: 'forbidden_transition' };
  const rule = rules.find((r) => r.by.includes(actor));
  if (!rule) return { ok: false, reason: 'wrong_party' };
  if (rule.reasonFrom?.includes(actor) && !(reason ?? '').trim()) return { ok: false, reason: 'reason_required' };
  return { ok: true, rule };
}

/** The next states `actor` may choose for this order (for the buttons on the order pages). */
export function nextStates(order: OrderFacts, actor: OrderActor): OrderStatus[] {
  const out: OrderStatus[] = [];
  for (const r of TRANSITIONS) {
    if (r.from === order.status && r.by.includes(actor) && (!r.when || r.when(order)) && !out.includes(r.to)) out.push(r.to);
  }
  return out;
}

/** Whether an order in this state still holds stock that a cancellation returns (every state but the end ones). */
export function isOpen(status: OrderStatus): boolean {
  return status !== 'selesai' && status !== 'dibatalkan';
}

/** Statuses a seller has to act on, most urgent first. */
export const SELLER_TODO: readonly OrderStatus[] = ['menunggu_pembayaran', 'dibayar', 'diproses', 'siap_diambil', 'dikirim'];

/** Which timestamp column a status sets when entered. */
export function timestampFor(status: OrderStatus): 'paid_at' | 'processed_at' | 'shipped_at' | 'completed_at' | 'cancelled_at' | null {
  switch (status) {
    case 'dibayar':
      return 'paid_at';
    case 'diproses':
      return 'processed_at';
    case 'dikirim':
    case 'siap_diambil':
      return 'shipped_at';
    case 'selesai':
      return 'completed_at';
    case 'dibatalkan':
      return 'cancelled_at';
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Payment and delivery choices
// ---------------------------------------------------------------------------------------------

export interface StoreOptions {
  offersPickup: boolean;
  offersDelivery: boolean;
  offersCod: boolean;
  hasBankAccount: boolean;
  hasQris: boolean;
}

export type ChoiceProblem = 'delivery_not_offered' | 'payment_not_available' | 'cod_needs_cash_delivery';

/** Checks a delivery/payment pair against what the store offers. Null when fine. */
export function checkChoice(store: StoreOptions, delivery: DeliveryMethod, payment: PaymentMethod): ChoiceProblem | null {
  const offered = delivery === 'pickup' ? store.offersPickup : delivery === 'seller_delivery' ? store.offersDelivery : store.offersCod;
  if (!offered) return 'delivery_not_offered';
  // Cash only where cash changes hands: on delivery (COD) or at the pickup point.
  if (payment === 'cod' && delivery === 'seller_delivery') return 'cod_needs_cash_delivery';
  if (delivery === 'cod' && payment !== 'cod') return 'cod_needs_cash_delivery';
  if (payment === 'transfer' && !store.hasBankAccount) return 'payment_not_available';
  if (payment === 'qris' && !store.hasQris) return 'payment_not_available';
  return null;
}

/** Delivery methods that cost a fee by the buyer's kecamatan (the seller brings the goods). */
export function needsDeliveryFee(method: DeliveryMethod): boolean {
  return method !== 'pickup';
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

export interface PricedLine {
  unitPrice: bigint;
  quantity: number;
}

export function lineTotal(line: PricedLine): bigint {
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new RangeError('quantity must be a positive whole number');
  if (line.unitPrice <= 0n) throw new RangeError('price must be positive');
  return line.unitPrice * BigInt(line.quantity);
}

export interface OrderTotals {
  subtotal: bigint;
  deliveryFee: bigint;
  total: bigint;
}

/** Subtotal of the lines, plus the delivery fee: exact whole Rupiah. */
export function orderTotals(lines: readonly PricedLine[], deliveryFee: bigint): OrderTotals {
  if (deliveryFee < 0n) throw new RangeError('delivery fee must not be negative');
  let subtotal = 0n;
  for (const l of lines) subtotal += lineTotal(l);
  return { subtotal, deliveryFee, total: subtotal + deliveryFee };
}

/** Adds up the quantities asked for the same variant (a cart may list it twice through the API). */
export function mergeQuantities<T extends { variantId: string; quantity: number }>(items: readonly T[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(i.variantId, (out.get(i.variantId) ?? 0) + i.quantity);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers, phones, links
// ---------------------------------------------------------------------------------------------

/** `NL-241128-000123`: the WIB calendar day of `at` and a counter. */
export function formatOrderNumber(at: Date, counter: number | bigint): string {
  const wib = new Date(at.getTime() + 7 * 3600_000).toISOString();
  const day = `${wib.slice(2, 4)}${wib.slice(5, 7)}${wib.slice(8, 10)}`;
  return `NL-${day}-${String(counter).padStart(6, '0')}`;
}

/**
 * An Indonesian phone number in the international form wa.me wants (digits only, 62…):
 * "0812-3456-7890" → "6281234567890", "+62 812…" → "62812…". Null when it is not a phone number.
 */
export function waPhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let d = raw.replace(/[^0-9+]/g, '');
  if (d.startsWith('+')) d = d.slice(1);
  if (d.includes('+')) return null;
  if (d.startsWith('0')) d = `62${d.slice(1)}`;
  else if (d.startsWith('8')) d = `62${d}`;
  if (!/^62\d{7,13}$/.test(d)) return null;
  return d;
}

/** A ready WhatsApp link with the text filled in (`https://wa.me/<phone>?text=<encoded>`). */
export function waLink(phone: string | null | undefined, text: string): string | null {
  const p = waPhone(phone);
  return p ? `https://wa.me/${p}?text=${encodeURIComponent(text)}` : null;
}

/** The WIB calendar day (YYYY-MM-DD) of a moment. */
export function wibDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The first moment (UTC) of the WIB month holding `at`, and of the next month. */
export function wibMonthRange(at: Date): { start: Date; end: Date; days: number; month: string } {
  const wib = new Date(at.getTime() + 7 * 3600_000);
  const y = wib.getUTCFullYear();
  const m = wib.getUTCMonth();
  const start = new Date(Date.UTC(y, m, 1) - 7 * 3600_000);
  const end = new Date(Date.UTC(y, m + 1, 1) - 7 * 3600_000);
  const days = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return { start, end, days, month: `${y}-${String(m + 1).padStart(2, '0')}` };
}

/** One value per day of the month (1…days) from sparse `{day: 'YYYY-MM-DD', amount}` rows. */
export function dailySeries(month: string, days: number, rows: readonly { day: string; amount: bigint }[]): bigint[] {
  const out: bigint[] = Array.from({ length: days }, () => 0n);
  for (const r of rows) {
    if (!r.day.startsWith(`${month}-`)) continue;
    const d = Number(r.day.slice(8, 10));
    if (d >= 1 && d <= days) out[d - 1] = (out[d - 1] ?? 0n) + r.amount;
  }
  return out;
}

/** A bar's height in whole pixels for a chart `height` tall whose tallest bar is `max`. */
export function barHeight(value: bigint, max: bigint, height: number): number {
  if (max <= 0n || value <= 0n) return 0;
  return Math.max(1, Number((value * BigInt(height)) / max));
}
