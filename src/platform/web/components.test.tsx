import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/index.js';
import {
  Badge,
  DataTable,
  EmptyState,
  ErrorSummary,
  Form,
  formatDateTime,
  formatRupiah,
  Pagination,
  pageWindow,
  SelectField,
  TextArea,
  TextField,
} from './components.js';

const t = translator('id');
const html = (x: JSX.Element) => String(x);

describe('form fields', () => {
  it('ties label, hint and error to the input and escapes every text', () => {
    const out = html(
      <TextField
        name="email"
        label="Email <b>"
        value={'"><script>x</script>'}
        hint="Contoh: a@b.id"
        error="Alamat email tidak sah & salah."
        required
      />,
    );
    expect(out).toContain('<label for="field-email">Email &lt;b>');
    expect(out).toContain('id="field-email"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('aria-describedby="email-hint email-error"');
    expect(out).toContain('<p class="field-error-message" id="email-error">Alamat email tidak sah &amp; salah.</p>');
    expect(out).toContain('value="&#34;><script>x</script>"'); // cannot leave the attribute
    expect(out).toMatch(/\srequired[\s>/]/);
  });

  it('has no aria-invalid or describedby when the field is fine', () => {
    const out = html(<TextField name="name" label="Nama" />);
    expect(out).not.toContain('aria-invalid');
    expect(out).not.toContain('aria-describedby');
  });

  it('escapes textarea content and marks the selected option', () => {
    expect(html(<TextArea name="note" label="Catatan" value="</textarea><script>" />)).toContain('&lt;/textarea>&lt;script>');
    const sel = html(
      <SelectField
        name="kec"
        label="Kecamatan"
        value="02"
        placeholder="Pilih…"
        options={[
          { value: '01', label: 'Kedungkandang' },
          { value: '02', label: 'Sukun <x>' },
        ]}
      />,
    );
    expect(sel).toMatch(/<option value="02" selected>Sukun &lt;x><\/option>/);
    expect(sel).toMatch(/<option value="01">Kedungkandang/);
  });

  it('adds the CSRF token to post forms and refuses a post form without one', () => {
    const out = html(
      <Form action="/x" csrfToken="tok123" confirm="Yakin?">
        <button type="submit">Go</button>
      </Form>,
    );
    expect(out).toContain('<input type="hidden" name="_csrf" value="tok123"/>');
    expect(out).toContain('data-confirm="Yakin?"');
    expect(html(<Form action="/cari" method="get" />)).not.toContain('_csrf');
    expect(() => html(<Form action="/x" />)).toThrow(/csrfToken/);
  });

  it('renders novalidate only when asked, so the server can show its own inline errors', () => {
    const on = html(
      <Form action="/x" csrfToken="tok" novalidate>
        <input type="email" name="email" />
      </Form>,
    );
    expect(on).toMatch(/^<form [^>]*\bnovalidate[\s>]/);
    for (const off of [html(<Form action="/x" csrfToken="tok" />), html(<Form action="/x" csrfToken="tok" novalidate={false} />)]) {
      expect(off).not.toContain('novalidate');
    }
  });

  it('summarises errors with links to the fields, and shows nothing without errors', () => {
    const out = html(<ErrorSummary t={t} errors={{ email: 'Alamat email tidak sah.', name: 'Wajib <diisi>' }} />);
    expect(out).toContain('role="alert"');
    expect(out).toContain('<a href="#field-email">Alamat email tidak sah.</a>');
    expect(out).toContain('Wajib &lt;diisi>');
    expect(html(<ErrorSummary t={t} errors={{}} />)).toBe('');
  });
});

describe('DataTable', () => {
  const rows = [{ name: '<Tempe Sanan>', total: 12500n }];
  const columns = [
    { key: 'name', label: 'Nama', sortable: true, render: (r: (typeof rows)[number]) => <span safe>{r.name}</span> },
    { key: 'total', label: 'Omzet', sortable: true, class: 'num', render: (r: (typeof rows)[number]) => formatRupiah(r.total) },
    { key: 'x', label: 'Aksi', render: () => 'x' },
  ];

  it('renders sortable headers as links that toggle the direction and keep the filters', () => {
    const out = html(
      <DataTable
        t={t}
        caption="Daftar UMKM"
        columns={columns}
        rows={rows}
        sort={{ key: 'name', dir: 'asc' }}
        baseUrl="/umkm"
        query={{ q: 'tempe & keripik', page: '3', sort: 'name', dir: 'asc' }}
        emptyState={<p>kosong</p>}
      />,
    );
    expect(out).toContain('<caption id="caption-daftar-umkm">Daftar UMKM</caption>');
    expect(out).toContain('aria-sort="ascending"');
    // the sorted column flips to desc, the other starts asc; the page is reset, the search kept
    expect(out).toContain('href="/umkm?q=tempe+%26+keripik&sort=name&dir=desc"');
    expect(out).toContain('href="/umkm?q=tempe+%26+keripik&sort=total&dir=asc"');
    expect(out.match(/aria-sort=/g)).toHaveLength(1);
    expect(out).toContain('&lt;Tempe Sanan>');
    expect(out).toContain('data-label="Omzet"');
    expect(out).toContain('Rp12.500');
    expect(out).not.toContain('kosong');
  });

  it('shows the empty state when there are no rows', () => {
    const out = html(
      <DataTable
        t={t}
        caption="Daftar"
        columns={columns}
        rows={[]}
        baseUrl="/u"
        query={{}}
        emptyState={<EmptyState title="Belum ada data" body="Tambah dulu." />}
      />,
    );
    expect(out).toContain('Belum ada data');
    expect(out).not.toContain('<table');
  });
});

describe('Pagination', () => {
  it('says which rows are shown and links prev/next keeping the other parameters', () => {
    const out = html(<Pagination t={t} page={2} pageSize={20} total={45} baseUrl="/admin/pengguna" query={{ q: 'budi', page: '2' }} />);
    expect(out).toContain('aria-label="Navigasi halaman"');
    expect(out).toContain('Menampilkan 21–40 dari 45');
    expect(out).toContain('href="/admin/pengguna?q=budi" rel="prev"');
    expect(out).toContain('href="/admin/pengguna?q=budi&page=3" rel="next"');
    expect(out).toMatch(/aria-current="page"[^>]*>2</);
  });

  it('handles the last page and totals in the thousands', () => {
    const out = html(<Pagination t={t} page={63} pageSize={20} total={1250} baseUrl="/x" query={{}} />);
    expect(out).toContain('Menampilkan 1.241–1.250 dari 1.250');
    expect(out).not.toContain('rel="next"');
    expect(pageWindow(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pageWindow(4, 8)).toEqual([1, 2, 3, 4, 5, null, 8]);
  });

  it('renders nothing without rows', () => {
    expect(html(<Pagination t={t} page={1} pageSize={20} total={0} baseUrl="/x" query={{}} />)).toBe('');
  });
});

describe('formatting', () => {
  it('formats whole Rupiah', () => {
    expect(formatRupiah(1250000n)).toBe('Rp1.250.000');
    expect(formatRupiah(0)).toBe('Rp0');
    expect(formatRupiah(-5000)).toBe('-Rp5.000');
    expect(formatRupiah(123456789012345678901234567890n)).toBe('Rp123.456.789.012.345.678.901.234.567.890');
  });

  it('shows times in WIB (UTC+7)', () => {
    const d = new Date('2025-03-31T20:30:00Z');
    expect(formatDateTime(d, 'id')).toBe('1 Apr 2025, 03.30 WIB');
    expect(formatDateTime(d, 'en')).toBe('1 Apr 2025, 03:30 WIB');
  });

  it('badges carry their tone', () => {
    expect(html(<Badge tone="success">Terverifikasi</Badge>)).toBe('<span class="badge badge-success">Terverifikasi</span>');
  });
});
