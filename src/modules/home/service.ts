import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { countRegions, type RegionCounts } from '../regions/service.js';

/** The kota this deployment serves (Kemendagri code). */
export const KOTA_CODE = '35.73';

const TTL_MS = 5 * 60_000;

/**
 * Facts shown on the home page. Region data changes only when a region file is loaded, so the
 * counts are cached briefly per process: the home page stays fast under load.
 */
export function homeFacts(db: Kysely<Database>) {
  let cached: { at: number; value: RegionCounts } | null = null;
  return async function regionFacts(now = Date.now()): Promise<RegionCounts> {
    if (cached && now - cached.at < TTL_MS) return cached.value;
    const value = await countRegions(db, KOTA_CODE);
    cached = { at: now, value };
    return value;
  };
}
