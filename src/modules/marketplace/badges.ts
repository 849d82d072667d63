import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

export type LegalityBadge = 'halal' | 'spp_irt' | 'bpom_md';
const ORDER: readonly LegalityBadge[] = ['halal', 'spp_irt', 'bpom_md'];

/** A registry document valid today in WIB: no expiry date, or expiring today or later. */
export const VALID_TODAY = sql<boolean>`(expires_on is null or expires_on >= (now() at time zone 'Asia/Jakarta')::date)`;

/** The kinds of an organisation's documents valid today (an array column; for one query with a product). */
export const validKindsOf = (organizationId: ReturnType<typeof sql.ref>) =>
  sql<string[] | null>`(select array_agg(distinct kind) from umkm_documents where umkm_id = ${organizationId}
    and kind in (${sql.join(ORDER)}) and ${VALID_TODAY})`;

/** Badges from document kinds, in order: halal, spp_irt, bpom_md. */
export function badgesOf(kinds: readonly string[]): LegalityBadge[] {
  return ORDER.filter((k) => kinds.includes(k));
}

/**
 * Legality badges per organisation, from the maker's registry documents (umkm_documents) that are
 * valid today in WIB (no expiry date, or expiring today or later) — never typed by hand. Every
 * requested id is in the map (an empty list when it has none, e.g. a koperasi); order: halal,
 * spp_irt, bpom_md.
 */
export async function legalityBadges(
  db: Kysely<Database> | Transaction<Database>,
  organizationIds: string[],
): Promise<Map<string, LegalityBadge[]>> {
  const ids = [...new Set(organizationIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id)))];
  const out = new Map<string, LegalityBadge[]>(organizationIds.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('umkm_documents')
    .select(['umkm_id', 'kind'])
    .distinct()
    .where('umkm_id', 'in', ids)
    .where('kind', 'in', ORDER as LegalityBadge[])
    .where(VALID_TODAY)
    .execute();
  for (const r of rows) out.get(r.umkm_id)?.push(r.kind as LegalityBadge);
  for (const list of out.values()) list.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return out;
}
