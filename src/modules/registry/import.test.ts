import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import {
  cellToValue,
  csvTemplate,
  detectDelimiter,
  importColumns,
  parseImportFile,
  parseIndonesianInteger,
  readCsv,
  tableToRows,
  translateProblems,
} from './import.js';
import { UmkmInput } from './schemas.js';

const HEADER = 'name,ownerName,ownerNik,phone,kelurahanCode,capital';

describe('reading CSV files', () => {
  it('tells comma, semicolon and tab separated files apart by the header line', () => {
    expect(detectDelimiter('name,ownerName,capital\n"a;b",c,1')).toBe(',');
    expect(detectDelimiter('name;ownerName;capital\n"a,b";c;1')).toBe(';');
    expect(detectDelimiter('name\townerName\tcapital\n')).toBe('\t');
    expect(detectDelimiter('"nama, lengkap";ownerName;capital')).toBe(';');
  });

  it('reads a semicolon file as Indonesian Excel writes it (BOM, CRLF, quoted separators)', async () => {
    const csv = `\uFEFFname;ownerName;ownerNik;phone;kelurahanCode;capital\r\n"Keripik; Tempe Bu Sri";Sri Wahyuni;3573014506700001;0812 3456 7890;35.73.01.1007;"1.500.000"\r\n`;
    const parsed = await parseImportFile('umkm', Buffer.from(csv));
    expect(parsed.format).toBe('csv');
    expect(parsed.rows).toEqual([
      {
        row: 1,
        values: {
          name: 'Keripik; Tempe Bu Sri',
          ownerName: 'Sri Wahyuni',
          ownerNik: '3573014506700001',
          phone: '081234567890',
          kelurahanCode: '35.73.01.1007',
          capital: 1_500_000,
        },
      },
    ]);
  });

  it('numbers rows from 1 under the header and keeps the numbers of rows after blank lines', () => {
    const t = readCsv(Buffer.from(`${HEADER}\nA,B,1,2,3,4\n,,,,,\n\nC,D,1,2,3,4\n`));
    expect(t.rows.map((r) => r.row)).toEqual([1, 4]);
  });

  it('reads a file saved as Windows-1252 without garbling names', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\nCaf`), Buffer.from([0xe9]), Buffer.from(' Malang,B,1,2,3,4\n')]);
    expect(readCsv(bytes).rows[0]?.cells[0]).toBe('Café Malang');
  });
});

describe('cells to input values', () => {
  it('reads whole Rupiah as Indonesians write them', () => {
    expect(parseIndonesianInteger('1.500.000')).toBe(1_500_000);
    expect(parseIndonesianInteger('Rp 1.500.000,00')).toBe(1_500_000);
    expect(parseIndonesianInteger('Rp1.500.000')).toBe(1_500_000);
    expect(parseIndonesianInteger('1500000')).toBe(1_500_000);
    expect(parseIndonesianInteger('1,500,000')).toBe(1_500_000);
    expect(parseIndonesianInteger('250.000.000.000')).toBe(250_000_000_000);
    expect(parseIndonesianInteger('1,5')).toBeNull();
    expect(parseIndonesianInteger('satu juta')).toBeNull();
  });

  it('leaves unreadable numbers as text so the row reports "must be a whole number"', () => {
    expect(cellToValue('capital', 'integer', '1,5 juta')).toBe('1,5 juta');
    expect(cellToValue('latitude', 'number', '-7,9666')).toBeCloseTo(-7.9666);
    expect(cellToValue('showWhatsapp', 'boolean', 'Ya')).toBe(true);
    expect(cellToValue('showWhatsapp', 'boolean', 'tidak')).toBe(false);
    expect(cellToValue('name', 'string', '   ')).toBeUndefined();
    expect(cellToValue('legalDate', 'date', '14/03/2019')).toBe('2019-03-14');
    // Excel turned the phone and NIK into numbers: the leading 0 comes back, the NIK stays whole.
    expect(cellToValue('phone', 'string', 81234567890)).toBe('081234567890');
    expect(cellToValue('ownerNik', 'string', 3573014506700001)).toBe('3573014506700001');
  });

  it('maps headers case-insensitively, ignores unknown ones and refuses a file without the required columns', () => {
    const parsed = tableToRows('umkm', {
      format: 'csv',
      header: ['Name', 'OWNERNAME', 'ownerNik', 'phone', 'kelurahanCode', 'capital', 'catatan', 'status'],
      rows: [{ row: 1, cells: ['A', 'B', '3573000000000001', '081234567890', '35.73.01.1007', '5.000.000', 'x', 'verified'] }],
    });
    expect(parsed.columns).toEqual(['name', 'ownerName', 'ownerNik', 'phone', 'kelurahanCode', 'capital']);
    // 'status' is an export-only column: ignored quietly; 'catatan' is reported as ignored.
    expect(parsed.ignoredColumns).toEqual(['catatan']);
    expect(parsed.rows[0]?.values.capital).toBe(5_000_000);

    let err: unknown;
    try {
      tableToRows('umkm', { format: 'csv', header: ['name', 'phone'], rows: [{ row: 1, cells: ['A', '0812'] }] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const t = translator('id');
    const field = (err as AppError).fields[0];
    expect(field?.field).toBe('file');
    expect(t(field?.message as never, field?.params)).toBe('Kolom wajib tidak ada: ownerName, ownerNik, kelurahanCode, capital.');
  });

  it('refuses an empty file and an old .xls file with a clear message', async () => {
    const t = translator('id');
    const message = async (b: Buffer) => {
      try {
        await parseImportFile('umkm', b);
        return 'no error';
      } catch (e) {
        const f = (e as AppError).fields[0];
        return t(f?.message as never, f?.params);
      }
    };
    expect(await message(Buffer.from(`${HEADER}\n`))).toBe('Berkas tidak berisi baris data di bawah judul kolom.');
    expect(await message(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toMatch(/\.xls lama/);
    expect(await message(Buffer.from('halo,apa\nkabar,baik\n'))).toMatch(/Judul kolom tidak dikenali/);
  });
});

describe('reading XLSX files', () => {
  it('reads the first sheet with numeric, rich-text and date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('umkm');
    ws.addRow(['name', 'ownerName', 'ownerNik', 'phone', 'kelurahanCode', 'capital', 'yearStarted', 'showWhatsapp']);
    ws.addRow([
      { richText: [{ text: 'Marning ' }, { text: 'Bu Tini' }] },
      'Tini',
      3573014506700002,
      81234567001,
      '35.73.01.1006',
      25_000_000,
      2010,
      true,
    ]);
    ws.addRow([]);
    ws.addRow(['Gerabah Pak Yono', 'Yono', '3573024506700003', '081234567002', '35.73.02.1011', '7.500.000', '2001', 'tidak']);
    const parsed = await parseImportFile('umkm', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rows).toEqual([
      {
        row: 1,
        values: {
          name: 'Marning Bu Tini',
          ownerName: 'Tini',
          ownerNik: '3573014506700002',
          phone: '081234567001',
          kelurahanCode: '35.73.01.1006',
          capital: 25_000_000,
          yearStarted: 2010,
          showWhatsapp: true,
        },
      },
      {
        row: 3,
        values: {
          name: 'Gerabah Pak Yono',
          ownerName: 'Yono',
          ownerNik: '3573024506700003',
          phone: '081234567002',
          kelurahanCode: '35.73.02.1011',
          capital: 7_500_000,
          yearStarted: 2001,
          showWhatsapp: false,
        },
      },
    ]);
  });
});

describe('templates and reports', () => {
  it('has exactly the API field names as CSV headers', () => {
    expect(csvTemplate('umkm').trim().split(',')).toEqual(Object.keys(UmkmInput.properties));
    expect(importColumns('koperasi')).toContain('lastRatDate');
  });

  it('reports problems in Indonesian by default and in English on request', () => {
    const problems = [{ row: 2, column: 'ownerNik', message: 'registry.nikInvalid' as const }];
    expect(translateProblems(problems, translator('id'))).toEqual([{ row: 2, column: 'ownerNik', message: 'NIK harus 16 angka.' }]);
    expect(translateProblems(problems, translator('en'))).toEqual([{ row: 2, column: 'ownerNik', message: 'NIK must be 16 digits.' }]);
  });
});
