/**
 * Koperasi shop (toko koperasi: sekolah, pemuda, konsumen) — pure rules, no I/O. Money is whole
 * Rupiah as bigint; quantities are whole units (number).
 *
 * STOCK VALUE AND MOVING AVERAGE COST (rounding, see README "Shop mode"):
 * every item keeps `stock` (units), `stockValue` (the exact Rupiah amount of this item in the
 * Persediaan account) and `avgCost` = floor(stockValue / stock), recomputed on every receipt
 * (purchase or returned goods of a void). A sale of q units costs q × avgCost, except the sale of
 * the last units (q = stock), which costs the whole remaining stockValue. So:
 *   - the Persediaan account always equals Σ stockValue exactly, and is 0 for an item out of stock;
 *   - 0 ≤ stockValue − stock × avgCost < stock at the last receipt (floor leaves less than one
 *     Rupiah per unit), i.e. Σ stock × avgCost is at most a few Rupiah under the account;
 *   - stockValue never goes negative (flooring keeps the rest on the item, it is never over-issued).
 */

/** Accounts the shop posts to (template codes in domain.ts KSP_CHART). */
export const SHOP_ACCOUNTS = {
  kas: '1-1100',
  bank: '1-1200',
  persediaan: '1-1500',
  utangDagang: '2-1950',
  penjualan: '4-1300',
  selisihLebihKas: '4-1800',
  hpp: '5-1200',
  selisihKurangKas: '5-2800',
} as const;

export const PAYMENT_METHODS = ['kas', 'bank', 'kredit'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The account credited for a stock purchase paid by cash, bank or on credit (utang dagang). */
export const PAYMENT_ACCOUNT: Record<PaymentMethod, string> = {
  kas: SHOP_ACCOUNTS.kas,
  bank: SHOP_ACCOUNTS.bank,
  kredit: SHOP_ACCOUNTS.utangDagang,
};

export interface StockState {
  stock: number;
  stockValue: bigint;
  avgCost: bigint;
}

export const EMPTY_STOCK: StockState = { stock: 0, stockValue: 0n, avgCost: 0n };

function check(quantity: number, amount: bigint) {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new RangeError('quantity must be a positive integer');
  if (amount < 0n) throw new RangeError('amount must not be negative');
}

/** Goods in (a purchase of `quantity` units costing `amount` in total, or goods returned by a void). */
export function receive(s: StockState, quantity: number, amount: bigint): StockState {
  check(quantity, amount);
  const stock = s.stock + quantity;
  const stockValue = s.stockValue + amount;
  return { stock, stockValue, avgCost: stockValue / BigInt(stock) };
}

/** Goods out (a sale): the cost of the units at the moving average; the last units take the rest. */
export function issue(s: StockState, quantity: number): { state: StockState; cost: bigint } {
  check(quantity, 0n);
  if (quantity > s.stock) throw new RangeError('not enough stock');
  if (quantity === s.stock) return { state: { stock: 0, stockValue: 0n, avgCost: s.avgCost }, cost: s.stockValue };
  const cost = BigInt(quantity) * s.avgCost;
  return { state: { stock: s.stock - quantity, stockValue: s.stockValue - cost, avgCost: s.avgCost }, cost };
}

export interface SaleLineIn {
  itemId: string;
  quantity: number;
  unitPrice: bigint;
}

/** Lines of a sale with the same item twice become one line (quantities added). */
export function mergeLines<T extends { itemId: string; quantity: number }>(lines: readonly T[]): T[] {
  const out = new Map<string, T>();
  for (const l of lines) {
    const seen = out.get(l.itemId);
    out.set(l.itemId, seen ? { ...seen, quantity: seen.quantity + l.quantity } : { ...l });
  }
  return [...out.values()];
}

/** Change for the buyer; null when the cash paid does not cover the total. */
export function changeFor(total: bigint, cashPaid: bigint): bigint | null {
  return cashPaid >= total ? cashPaid - total : null;
}

/**
 * Daily cash close: the counted cash against what the day's sales brought in (less refunds of
 * voids dated that day). Positive difference = more cash than expected (selisih lebih, income);
 * negative = missing cash (selisih kurang, expense).
 */
export function cashDifference(expected: bigint, counted: bigint) {
  const difference = counted - expected;
  return { difference, kind: difference > 0n ? ('lebih' as const) : difference < 0n ? ('kurang' as const) : ('pas' as const) };
}

/** Gross margin of a period: revenue − cost of goods sold (HPP). */
export function grossMargin(revenue: bigint, cost: bigint): bigint {
  return revenue - cost;
}
