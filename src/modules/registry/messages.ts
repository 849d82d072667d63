/** Texts of the registry module. Indonesian first; English must match key for key. */
const id = {
  'registry.nikInvalid': 'NIK harus 16 angka.',
  'registry.nibInvalid': 'NIB harus 13 angka.',
  'registry.nikKoperasiInvalid': 'Nomor Induk Koperasi harus 16 angka.',
  'registry.kelurahanInvalid': 'Kelurahan tidak dikenal.',
  'registry.kbliInvalid': 'Kode KBLI tidak dikenal (huruf kategori A–U atau 5 angka).',
} as const;

const en = {
  'registry.nikInvalid': 'NIK must be 16 digits.',
  'registry.nibInvalid': 'NIB must be 13 digits.',
  'registry.nikKoperasiInvalid': 'Nomor Induk Koperasi must be 16 digits.',
  'registry.kelurahanInvalid': 'Unknown kelurahan.',
  'registry.kbliInvalid': 'Unknown KBLI code (section letter A–U or 5 digits).',
} satisfies Record<keyof typeof id, string>;

export const registryMessages = { id, en };
