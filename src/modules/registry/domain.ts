/**
 * Registry rules — pure, no I/O. Amounts are whole Rupiah as bigint.
 *
 * Size class (PP 7/2021 art. 35; PRODUCT.md): capital (modal usaha, excluding land and
 * buildings) decides the class at registration; once a full year's sales are known, the
 * latest full year's sales decide it. Both bounds are inclusive upper limits.
 */
export const SIZE_CLASSES = ['mikro', 'kecil', 'menengah', 'besar'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

const MILIAR = 1_000_000_000n;
/** Upper bounds (inclusive) per class, in Rupiah. Configurable by passing other limits. */
export interface SizeLimits {
  capital: [bigint, bigint, bigint];
  sales: [bigint, bigint, bigint];
}
export const DEFAULT_SIZE_LIMITS: SizeLimits = {
  capital: [1n * MILIAR, 5n * MILIAR, 10n * MILIAR],
  sales: [2n * MILIAR, 15n * MILIAR, 50n * MILIAR],
};

function bucket(amount: bigint, limits: [bigint, bigint, bigint]): SizeClass {
  if (amount <= limits[0]) return 'mikro';
  if (amount <= limits[1]) return 'kecil';
  if (amount <= limits[2]) return 'menengah';
  return 'besar';
}

export interface SizeBasis {
  sizeClass: SizeClass;
  basis: 'capital' | 'sales';
  amount: bigint;
}

/** Classifies by annual sales when known, else by capital; null when neither is given. */
export function classify(
  input: { capital?: bigint | null; annualSales?: bigint | null },
  limits: SizeLimits = DEFAULT_SIZE_LIMITS,
): SizeBasis | null {
  if (input.annualSales !== undefined && input.annualSales !== null) {
    if (input.annualSales < 0n) throw new RangeError('annual sales cannot be negative');
    return { sizeClass: bucket(input.annualSales, limits.sales), basis: 'sales', amount: input.annualSales };
  }
  if (input.capital !== undefined && input.capital !== null) {
    if (input.capital < 0n) throw new RangeError('capital cannot be negative');
    return { sizeClass: bucket(input.capital, limits.capital), basis: 'capital', amount: input.capital };
  }
  return null;
}

/** 'naik' when the class goes up, 'turun' when it goes down, null when unchanged. */
export function classChange(from: SizeClass | null, to: SizeClass): 'awal' | 'naik' | 'turun' | null {
  if (from === null) return 'awal';
  const d = SIZE_CLASSES.indexOf(to) - SIZE_CLASSES.indexOf(from);
  return d > 0 ? 'naik' : d < 0 ? 'turun' : null;
}

/** The latest full year's sales: the highest year strictly before `currentYear`. */
export function latestFullYearSales(history: { year: number; amount: bigint }[], currentYear: number) {
  return history.filter((h) => h.year < currentYear).sort((a, b) => b.year - a.year)[0] ?? null;
}

export const NIK_PATTERN = '^[0-9]{16}$';
export const NIB_PATTERN = '^[0-9]{13}$';
export const isNik = (v: string) => /^[0-9]{16}$/.test(v);
export const isNib = (v: string) => /^[0-9]{13}$/.test(v);

/** Shows a NIK as 3573********0001 to anyone who may not see it whole. */
export function maskNik(nik: string): string {
  return nik.length === 16 ? `${nik.slice(0, 4)}********${nik.slice(12)}` : '****************';
}

export const UMKM_STATUSES = ['draft', 'submitted', 'verified', 'rejected', 'inactive'] as const;
export type RegistryStatus = (typeof UMKM_STATUSES)[number];

export type LifecycleAction = 'submit' | 'approve' | 'reject' | 'deactivate' | 'reactivate' | 'edit';

/**
 * The lifecycle: owners/pengurus submit drafts (and resubmit rejected ones after editing);
 * dinas approves or rejects submitted profiles; verified profiles can be deactivated and
 * inactive ones reactivated. Returns the next status, or null when the step is not allowed.
 */
export function nextStatus(status: RegistryStatus, action: LifecycleAction): RegistryStatus | null {
  switch (action) {
    case 'submit':
      return status === 'draft' || status === 'rejected' ? 'submitted' : null;
    case 'approve':
      return status === 'submitted' ? 'verified' : null;
    case 'reject':
      return status === 'submitted' ? 'rejected' : null;
    case 'deactivate':
      return status === 'verified' ? 'inactive' : null;
    case 'reactivate':
      return status === 'inactive' ? 'verified' : null;
    case 'edit':
      return status;
  }
}

export const KOPERASI_TYPES = ['simpan_pinjam', 'konsumen', 'produsen', 'pemasaran', 'jasa'] as const;
export const KOPERASI_GROUPS = ['sekolah', 'pemuda', 'komunitas', 'kelurahan_merah_putih', 'karyawan', 'umum'] as const;
export const DOCUMENT_KINDS = ['nib', 'spp_irt', 'halal', 'bpom_md', 'merek', 'sni', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * RAT overdue: the RAT for fiscal year Y is due within the first six months after it closes
 * (UU 25/1992 practice: by 30 June for a calendar fiscal year; the RAT *report* within a month after).
 * Overdue when a fiscal year whose deadline has passed has no RAT held after it closed: that is,
 * the last closed year once its deadline is past, or — while still within that grace period —
 * the year before it. `lastRatDate` null means no RAT was ever recorded. A koperasi founded
 * (`foundedOn`, its legal date) after a fiscal year ended owes no RAT for that year.
 */
export function isRatOverdue(lastRatDate: string | null, today: string, fiscalYearStartMonth = 1, foundedOn?: string): boolean {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const day = (s: string) => new Date(`${s}T00:00:00Z`).getTime();
  // End of the last closed fiscal year (the day before the current one started).
  const startThisFy = m >= fiscalYearStartMonth ? y : y - 1;
  const lastFyEnd = new Date(Date.UTC(startThisFy, fiscalYearStartMonth - 1, 1) - 86400_000);
  // Its RAT deadline: the last day of the sixth month after it closed.
  const deadline = Date.UTC(lastFyEnd.getUTCFullYear(), lastFyEnd.getUTCMonth() + 7, 0);
  // The fiscal year whose RAT must already have been held.
  const dueFyEnd = day(today) > deadline ? lastFyEnd.getTime() : Date.UTC(lastFyEnd.getUTCFullYear() - 1, lastFyEnd.getUTCMonth() + 1, 0);
  if (foundedOn && day(foundedOn) > dueFyEnd) return false;
  return lastRatDate === null || day(lastRatDate) <= dueFyEnd;
}
