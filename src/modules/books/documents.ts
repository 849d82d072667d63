/**
 * Printable documents of the books: the amount in Indonesian words (terbilang), the member card
 * (kartu anggota, ID-1 size PDF with a QR code) and the savings receipt (bukti setor / bukti tarik)
 * as PDF. Pure: the service gathers the data and checks who may see it. pdfkit with its built-in
 * Helvetica (no network fonts); qrcode for the QR image.
 */

const ONES = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas'];
const SCALES: [bigint, string][] = [
  [1_000_000_000_000n, 'triliun'],
  [1_000_000_000n, 'miliar'],
  [1_000_000n, 'juta'],
];

/** 0 ≤ n < 1000 in words ('' for 0). */
function below1000(n: number): string {
  if (n < 12) return ONES[n] ?? '';
  if (n < 20) return `${ONES[n - 10]} belas`;
  if (n < 100) {
    const rest = below1000(n % 10);
    return `${ONES[Math.floor(n / 10)]} puluh${rest ? ` ${rest}` : ''}`;
  }
  const h = Math.floor(n / 100);
  const rest = below1000(n % 100);
  return `${h === 1 ? 'seratus' : `${ONES[h]} ratus`}${rest ? ` ${rest}` : ''}`;
}

/** 0 ≤ n < 1.000.000 in words: 1000 → "seribu", 2000 → "dua ribu". */
function below1e6(n: number): string {
  const th = Math.floor(n / 1000);
  const rest = below1000(n % 1000);
  if (th === 0) return rest;
  const head = th === 1 ? 'seribu' : `${below1000(th)} ribu`;
  return rest ? `${head} ${rest}` : head;
}

/**
 * A whole number in Indonesian words, as on a receipt: 0 → "nol", 11 → "sebelas", 1.000.000 →
 * "satu juta", 2.500.000.001 → "dua miliar lima ratus juta satu". Scales: ribu, juta, miliar,
 * triliun (and "ribu triliun" above); negatives get "minus".
 */
export function terbilang(value: bigint | number): string {
  let n = typeof value === 'bigint' ? value : BigInt(value);
  if (n === 0n) return 'nol';
  if (n < 0n) return `minus ${terbilang(-n)}`;
  const parts: string[] = [];
  for (const [scale, word] of SCALES) {
    if (n >= scale) {
      const q = n / scale;
      parts.push(`${q >= 1_000_000n ? terbilang(q) : below1e6(Number(q))} ${word}`);
      n %= scale;
    }
  }
  if (n > 0n) parts.push(below1e6(Number(n)));
  return parts.join(' ');
}

/** "Dua juta lima ratus ribu rupiah". */
export function terbilangRupiah(value: bigint | number): string {
  const s = `${terbilang(value)} rupiah`;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const rupiah = (n: bigint) => `Rp${n.toLocaleString('id-ID')}`;

async function render(build: (pdf: PDFKit.PDFDocument) => void | Promise<void>, options: PDFKit.PDFDocumentOptions): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument(options);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  await build(pdf);
  pdf.end();
  return done;
}

// ---------------------------------------------------------------------------------------------
// Member card

export interface MemberCardData {
  koperasiName: string;
  memberName: string;
  memberNumber: number;
  joinDate: string;
  status: string;
  /** What the QR code encodes: the member's page in the books (pengurus verify there). Never the NIK. */
  qrText: string;
  generatedAt: string;
}

/** ID-1 card size (85.6 × 54 mm) in points. */
export const CARD_SIZE: [number, number] = [242.65, 153.07];

const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;

/** The member card: one ID-1 page, koperasi name, "KARTU ANGGOTA", name, number, join date and the QR. */
export async function memberCardPdf(c: MemberCardData, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toBuffer(c.qrText, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
  return render(
    (pdf) => {
      const [w, h] = CARD_SIZE;
      pdf.rect(0, 0, w, 30).fill('#0b5d3b');
      pdf
        .fillColor('#ffffff')
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(c.koperasiName, 10, 7, { width: w - 20, height: 12, ellipsis: true });
      pdf
        .font('Helvetica')
        .fontSize(6.5)
        .text('KARTU ANGGOTA', 10, 19, { width: w - 20 });
      pdf.fillColor('#000000');
      const textW = w - 20 - 80;
      pdf.font('Helvetica-Bold').fontSize(10).text(c.memberName, 10, 40, { width: textW, height: 26, ellipsis: true });
      pdf.font('Helvetica').fontSize(7);
      pdf.text(`No. anggota: ${c.memberNumber}`, 10, 72, { width: textW });
      pdf.text(`Anggota sejak: ${dmy(c.joinDate)}`, 10, 84, { width: textW });
      pdf.text(`Status: ${c.status}`, 10, 96, { width: textW });
      pdf.image(qr, w - 84, 38, { width: 74, height: 74 });
      pdf
        .fontSize(5)
        .fillColor('#555555')
        .text(`Dicetak ${c.generatedAt} · pindai QR untuk verifikasi`, 10, h - 16, { width: w - 20 });
    },
    {
      size: CARD_SIZE,
      margin: 0,
      compress: opts.compress ?? true,
      info: { Title: `Kartu anggota ${c.memberNumber} ${c.koperasiName}`, Author: c.koperasiName, Creator: 'Ngalam Laris' },
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Savings receipt

export interface ReceiptData {
  koperasiName: string;
  /** "BS-000123" (bukti setor) or "BT-000123" (bukti tarik): the journal entry number of the transaction. */
  receiptNumber: string;
  title: string;
  memberName: string;
  memberNumber: number;
  kindLabel: string;
  typeLabel: string;
  date: string;
  amount: bigint;
  amountWords: string;
  balanceAfter: bigint;
  recordedBy: string;
  recordedAt: string;
  journalEntryNumber: number;
  generatedAt: string;
}

/** A5 landscape receipt: the same lines as the print page. */
export async function receiptPdf(r: ReceiptData, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return render(
    (pdf) => {
      const left = 40;
      const width = pdf.page.width - 80;
      let y = 36;
      pdf.font('Helvetica-Bold').fontSize(13).text(r.koperasiName, left, y, { width });
      y = pdf.y + 2;
      pdf.fontSize(12).text(r.title, left, y, { width });
      y = pdf.y + 2;
      pdf.font('Helvetica').fontSize(9).text(`No. ${r.receiptNumber}`, left, y, { width });
      y = pdf.y + 10;
      const line = (label: string, value: string, bold = false) => {
        pdf.font('Helvetica').fontSize(10).text(label, left, y, { width: 150 });
        pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(value, left + 155, y, { width: width - 155 });
        y = Math.max(pdf.y, y + 12) + 3;
      };
      line('Tanggal', dmy(r.date));
      line('Anggota', `${r.memberNumber}. ${r.memberName}`);
      line('Jenis simpanan', r.kindLabel);
      line('Transaksi', r.typeLabel);
      line('Jumlah', rupiah(r.amount), true);
      line('Terbilang', r.amountWords);
      line('Saldo setelah transaksi', rupiah(r.balanceAfter));
      line('Dicatat oleh', r.recordedBy);
      line('Dicatat pada', r.recordedAt);
      line('No. jurnal', `#${r.journalEntryNumber}`);
      y += 24;
      pdf.font('Helvetica').fontSize(9);
      pdf.text('Anggota', left, y, { width: 150, align: 'center' });
      pdf.text('Petugas', left + width - 150, y, { width: 150, align: 'center' });
      y += 44;
      pdf.text('(________________)', left, y, { width: 150, align: 'center' });
      pdf.text('(________________)', left + width - 150, y, { width: 150, align: 'center' });
      pdf
        .fontSize(7)
        .fillColor('#555555')
        .text(`Dicetak ${r.generatedAt}`, left, pdf.page.height - 30, { width });
    },
    {
      size: 'A5',
      layout: 'landscape',
      margin: 30,
      compress: opts.compress ?? true,
      info: { Title: `${r.title} ${r.receiptNumber}`, Author: r.koperasiName, Creator: 'Ngalam Laris' },
    },
  );
}
