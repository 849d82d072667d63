import type { RegionRow } from './repository.js';

const LEVELS = new Set(['provinsi', 'kota', 'kabupaten', 'kecamatan', 'kelurahan', 'desa']);
const CODE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

export class RegionCsvError extends Error {}

/**
 * Parses a region CSV (columns: level, code, name, parent_code — the Kemendagri codes as given).
 * Region names in these files have no quotes or commas; a line that does not fit is an error
 * naming its line number, so a bad file never loads half-way.
 */
export function parseRegionCsv(text: string): RegionRow[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (header?.join(',') !== 'level,code,name,parent_code') {
    throw new RegionCsvError('The header must be: level,code,name,parent_code');
  }
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const [level, code, name, parent] = cells;
    if (cells.length !== 4 || !level || !code || !name) throw new RegionCsvError(`Line ${i + 2}: expected 4 columns`);
    if (!LEVELS.has(level)) throw new RegionCsvError(`Line ${i + 2}: unknown level "${level}"`);
    if (!CODE.test(code)) throw new RegionCsvError(`Line ${i + 2}: "${code}" is not a Kemendagri code`);
    return { level, code, name, parent_code: parent || null };
  });
}
