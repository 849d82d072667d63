import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../platform/errors.js';
import type { Translate } from '../../platform/i18n/index.js';
import { validate } from '../../platform/validation.js';
import {
  Badge,
  Button,
  Card,
  CheckboxField,
  type Column,
  ConfirmPage,
  DataTable,
  EmptyState,
  ErrorSummary,
  Form,
  formatNumber,
  formatRupiah,
  LinkButton,
  Pagination,
  SelectField,
  TextField,
} from '../../platform/web/components.js';
import type { FormErrors } from '../../platform/web/page.js';
import { formErrors, type PageContext } from '../../platform/web/page.js';
import { firstDay, lastDay, periodOf } from './domain.js';
import { SettingsInput } from './schemas.js';
import * as svc from './service.js';
import { PAYMENT_METHODS } from './shop-domain.js';
import { CashCloseInput, ItemInput, ItemPatch, PurchaseInput, SaleInput } from './shop-schemas.js';
import * as shop from './shop-service.js';
import {
  BooksPage,
  bodyOf,
  e,
  type FeatureFlags,
  html,
  isDate,
  koperasiName,
  parseRupiah,
  queryOf,
  requireLogin,
  tk,
  UUID,
  userError,
  type Values,
} from './web.js';

/**
 * Web pages of the koperasi shop (`/koperasi/{id}/toko-koperasi/…`) and the books settings with the
 * choice of features (`/koperasi/{id}/pengaturan`). Every page works without JavaScript; the POS
 * (kasir) is a plain form with a few rows of item code + quantity, made for a phone.
 */

const POS_ROWS = 6;
const PURCHASE_ROWS = 5;
const PAGE_SIZE = 50;

type ShopSection = 'home' | 'kasir' | 'barang' | 'pembelian' | 'penjualan' | 'tutup-kas' | 'laporan';

function ids(req: FastifyRequest, ...names: string[]) {
  requireLogin(req.ctx);
  const p = req.params as Record<string, string>;
  for (const n of ['id', ...names]) if (!UUID.test(p[n] ?? '')) throw notFound();
  return p as Record<string, string> & { id: string };
}

function ShopNav(p: { t: Translate; id: string; current: ShopSection; manage: boolean }) {
  const base = `/koperasi/${p.id}/toko-koperasi`;
  const links: [ShopSection, string, string][] = [
    ['home', base, 'shop.w.today'],
    ...(p.manage ? [['kasir', `${base}/kasir`, 'shop.w.pos'] as [ShopSection, string, string]] : []),
    ['barang', `${base}/barang`, 'shop.w.items'],
    ['pembelian', `${base}/pembelian`, 'shop.w.purchases'],
    ['penjualan', `${base}/penjualan`, 'shop.w.sales'],
    ['tutup-kas', `${base}/tutup-kas`, 'shop.w.cashClose'],
    ['laporan', `${base}/laporan`, 'shop.w.report'],
  ];
  return (
    <nav aria-label={p.t('shop.w.shop')}>
      <ul class="books-tabs">
        {links.map(([key, href, label]) => (
          <li>
            <a
              href={href}
              class={`btn btn-small ${key === p.current ? 'btn-primary' : 'btn-link'}`}
              aria-current={key === p.current ? 'page' : undefined}
            >
              {e(tk(p.t, label))}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const date = (d: string, t: Translate) => e(`${d}${t('shop.w.wib')}`);

export async function shopWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };

  /** Everything a shop page needs; a stranger gets 404 here (svc.requireRead). */
  async function shell(req: FastifyRequest, reply: FastifyReply, id: string) {
    svc.requireRead(req.ctx, id);
    const kopName = await koperasiName(app, req.ctx, id);
    const features = await svc.featuresOf(db(), id);
    const page = req.page(reply);
    const manage = svc.accessTo(req.ctx, id) === 'manage';
    return { kopName, features, page, manage, t: page.t, locale: page.locale };
  }

  function ShopPage(p: {
    s: { kopName: string; features: FeatureFlags; page: PageContext; manage: boolean };
    id: string;
    section: ShopSection;
    title: string;
    children: JSX.Element | JSX.Element[] | string;
  }) {
    const { t } = p.s.page;
    return (
      <BooksPage page={p.s.page} id={p.id} kopName={p.s.kopName} tab="toko-koperasi" title={p.title} features={p.s.features}>
        <ShopNav t={t} id={p.id} current={p.section} manage={p.s.manage} />
        {p.s.features.penjualan ? (
          ''
        ) : (
          <EmptyState
            title={t('shop.w.notEnabled')}
            body={t('shop.w.notEnabledBody')}
            action={p.s.manage ? { href: `/koperasi/${p.id}/pengaturan`, label: t('shop.w.chooseFeatures') } : undefined}
          />
        )}
        {p.children as JSX.Element}
      </BooksPage>
    );
  }

  // --- settings and features ----------------------------------------------------------------

  const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1));

  const settingsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values | null, errors: FormErrors) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const current = await svc.getSettings(db(), req.ctx, id).catch((err) => {
      if (err instanceof AppError && err.status === 404 && err.messageKey === 'books.notInitialised') return null;
      throw err;
    });
    const v: Values = values ?? {
      pokokAmount: String(current?.pokok_amount ?? ''),
      wajibMonthlyAmount: String(current?.wajib_monthly_amount ?? ''),
      sukarelaRate: current ? (current.sukarela_rate_bp / 100).toString().replace('.', ',') : '',
      sukarelaMinBalance: String(current?.sukarela_min_balance ?? ''),
      fiscalYearStartMonth: String(current?.fiscal_year_start_month ?? 1),
      ...(s.features.simpanan ? { simpanan: 'true' } : {}),
      ...(s.features.pinjaman ? { pinjaman: 'true' } : {}),
      ...(s.features.penjualan ? { penjualan: 'true' } : {}),
    };
    const features = values
      ? { simpanan: values.simpanan === 'true', pinjaman: values.pinjaman === 'true', penjualan: values.penjualan === 'true' }
      : s.features;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={s.kopName} tab="pengaturan" title={t('shop.w.settings')} features={s.features}>
        {s.manage ? (
          <Card>
            <ErrorSummary t={t} errors={errors} />
            <Form action={`/koperasi/${id}/pengaturan`} csrfToken={page.csrfToken} novalidate>
              <fieldset>
                <legend>{e(t('shop.w.features'))}</legend>
                <p class="field-hint">{e(t('shop.w.featuresHint'))}</p>
                {(['simpanan', 'pinjaman', 'penjualan'] as const).map((f) => (
                  <CheckboxField
                    name={f}
                    label={tk(t, `shop.w.feature.${f}`)}
                    checked={features[f]}
                    hint={tk(t, `shop.w.featureHint.${f}`)}
                  />
                ))}
              </fieldset>
              <fieldset>
                <legend>{e(t('shop.w.simpananSettings'))}</legend>
                <TextField
                  name="pokokAmount"
                  label={t('shop.w.pokokAmount')}
                  value={v.pokokAmount}
                  error={errors.pokokAmount}
                  inputmode="numeric"
                  required
                />
                <TextField
                  name="wajibMonthlyAmount"
                  label={t('shop.w.wajibAmount')}
                  value={v.wajibMonthlyAmount}
                  error={errors.wajibMonthlyAmount}
                  inputmode="numeric"
                  required
                />
                <TextField
                  name="sukarelaRate"
                  label={t('shop.w.sukarelaRate')}
                  hint={t('shop.w.sukarelaRateHint')}
                  value={v.sukarelaRate}
                  error={errors.sukarelaRate ?? errors.sukarelaRateBp}
                  inputmode="decimal"
                  required
                />
                <TextField
                  name="sukarelaMinBalance"
                  label={t('shop.w.sukarelaMin')}
                  value={v.sukarelaMinBalance}
                  error={errors.sukarelaMinBalance}
                  inputmode="numeric"
                  required
                />
                <SelectField
                  name="fiscalYearStartMonth"
                  label={t('shop.w.fiscalYearStart')}
                  value={v.fiscalYearStartMonth}
                  options={MONTHS.map((m) => ({ value: m, label: tk(t, `shop.w.month.${m}`) }))}
                  error={errors.fiscalYearStartMonth}
                />
              </fieldset>
              <Button>{e(t('common.save'))}</Button>
            </Form>
          </Card>
        ) : (
          <Card>
            <p class="field-hint">{e(t('books.w.readOnly'))}</p>
            <ul>
              {(['simpanan', 'pinjaman', 'penjualan'] as const).map((f) => (
                <li>
                  {e(tk(t, `shop.w.feature.${f}`))}:{' '}
                  <Badge tone={s.features[f] ? 'success' : 'neutral'}>
                    {e(t(s.features[f] ? 'shop.w.featureOn' : 'shop.w.featureOff'))}
                  </Badge>
                </li>
              ))}
              <li>{e(`${t('shop.w.pokokAmount')}: ${v.pokokAmount}`)}</li>
              <li>{e(`${t('shop.w.wajibAmount')}: ${v.wajibMonthlyAmount}`)}</li>
              <li>{e(`${t('shop.w.sukarelaRate')}: ${v.sukarelaRate}`)}</li>
            </ul>
          </Card>
        )}
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/pengaturan', hide, async (req, reply) => settingsPage(req, reply, 200, null, {}));

  app.post('/koperasi/:id/pengaturan', hide, async (req, reply) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const t = req.ctx.t;
    const errors: FormErrors = {};
    const money = (f: string) => {
      const n = parseRupiah(v[f]);
      if (n === null) errors[f] = t('field.invalid');
      return n ?? 0;
    };
    const pokokAmount = money('pokokAmount');
    const wajibMonthlyAmount = money('wajibMonthlyAmount');
    const sukarelaMinBalance = money('sukarelaMinBalance');
    const rate = (v.sukarelaRate ?? '').replace(',', '.').replace('%', '').trim();
    let sukarelaRateBp = 0;
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(rate)) errors.sukarelaRate = t('shop.w.rateInvalid');
    else sukarelaRateBp = Math.round(Number(rate) * 100);
    if (Object.keys(errors).length) return settingsPage(req, reply, 400, v, errors);
    const r = validate(SettingsInput, {
      pokokAmount,
      wajibMonthlyAmount,
      sukarelaRateBp,
      sukarelaMinBalance,
      fiscalYearStartMonth: Number(v.fiscalYearStartMonth),
      features: { simpanan: v.simpanan === 'true', pinjaman: v.pinjaman === 'true', penjualan: v.penjualan === 'true' },
    });
    if (!r.ok) {
      const errs = formErrors(t, r.issues);
      if (errs.sukarelaRateBp) errs.sukarelaRate = errs.sukarelaRateBp;
      delete errs.sukarelaRateBp;
      return settingsPage(req, reply, 400, v, errs);
    }
    try {
      await svc.updateSettings(db(), req.ctx, id, r.value);
    } catch (err) {
      const u = userError(t, err, 'pokokAmount');
      return settingsPage(req, reply, u.status, v, u.errors);
    }
    reply.flash({ kind: 'success', key: 'shop.w.settingsSaved' });
    return reply.redirect(`/koperasi/${id}/pengaturan`, 303);
  });

  // --- shop home: today ---------------------------------------------------------------------

  app.get('/koperasi/:id/toko-koperasi', hide, async (req, reply) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, locale } = s;
    const today = svc.todayWib();
    const cash = await shop.expectedCash(db(), req.ctx, id, today);
    const rep = await shop.salesReport(db(), req.ctx, id, today, today);
    const low = (await shop.listItems(db(), req.ctx, id, { active: true })).filter((i) => i.stock <= 5);
    return html(
      reply,
      200,
      <ShopPage s={s} id={id} section="home" title={t('shop.w.shop')}>
        <Card title={t('shop.w.todayTitle', { date: today })}>
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.salesCount'))}</span>
              <span class="stat-value">{e(formatNumber(rep.totals.sales, locale))}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.revenue'))}</span>
              <span class="stat-value">{formatRupiah(rep.totals.revenue)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.expectedCash'))}</span>
              <span class="stat-value">{formatRupiah(cash.expected)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.cashClose'))}</span>
              <span class="stat-value">
                <Badge tone={cash.close ? 'success' : 'warning'}>{e(t(cash.close ? 'shop.w.dayClosed' : 'shop.w.dayOpen'))}</Badge>
              </span>
            </li>
          </ul>
          {s.manage && s.features.penjualan ? (
            <LinkButton href={`/koperasi/${id}/toko-koperasi/kasir`}>{e(t('shop.w.pos'))}</LinkButton>
          ) : (
            ''
          )}
        </Card>
        {low.length ? (
          <Card title={t('shop.w.lowStock')}>
            <ul>
              {low.map((i) => (
                <li>{e(`${i.code} — ${i.name}: ${i.stock} ${i.unit}`)}</li>
              ))}
            </ul>
          </Card>
        ) : (
          ''
        )}
      </ShopPage>,
    );
  });

  // --- items --------------------------------------------------------------------------------

  const itemsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const q = queryOf(req);
    const items = await shop.listItems(db(), req.ctx, id, { q: q.q?.slice(0, 100) });
    const base = `/koperasi/${id}/toko-koperasi/barang`;
    const cols: Column<shop.ItemRow>[] = [
      { key: 'code', label: t('shop.w.code'), render: (i) => e(i.code) },
      {
        key: 'name',
        label: t('shop.w.itemName'),
        render: (i) => (s.manage ? <a href={`${base}/${i.id}`}>{e(i.name)}</a> : e(i.name)),
      },
      { key: 'unit', label: t('shop.w.unit'), render: (i) => e(i.unit) },
      { key: 'price', label: t('shop.w.salePrice'), class: 'num', render: (i) => formatRupiah(i.sale_price) },
      { key: 'avg', label: t('shop.w.avgCost'), class: 'num', render: (i) => formatRupiah(i.avg_cost) },
      { key: 'stock', label: t('shop.w.stock'), class: 'num', render: (i) => e(String(i.stock)) },
      {
        key: 'active',
        label: t('books.w.status'),
        render: (i) => <Badge tone={i.active ? 'success' : 'neutral'}>{e(t(i.active ? 'shop.w.active' : 'shop.w.inactive'))}</Badge>,
      },
    ];
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="barang" title={t('shop.w.items')}>
        <Form action={base} method="get" class="filters">
          <TextField name="q" label={t('shop.w.search')} type="search" value={q.q} />
          <Button variant="secondary">{e(t('common.search'))}</Button>
        </Form>
        <DataTable
          caption={t('shop.w.items')}
          columns={cols}
          rows={items}
          baseUrl={base}
          query={{ q: q.q }}
          t={t}
          emptyState={<EmptyState title={t('shop.w.itemsEmpty')} body={t('shop.w.itemsEmptyBody')} />}
        />
        {s.manage && s.features.penjualan ? (
          <Card title={t('shop.w.addItem')}>
            <ErrorSummary t={t} errors={errors} />
            <Form action={base} csrfToken={page.csrfToken} novalidate>
              <TextField name="code" label={t('shop.w.code')} value={values.code} error={errors.code} required maxlength={32} />
              <TextField name="name" label={t('shop.w.itemName')} value={values.name} error={errors.name} required maxlength={120} />
              <TextField name="unit" label={t('shop.w.unit')} value={values.unit ?? 'pcs'} error={errors.unit} required maxlength={20} />
              <TextField
                name="salePrice"
                label={t('shop.w.salePrice')}
                value={values.salePrice}
                error={errors.salePrice}
                inputmode="numeric"
                required
              />
              <Button>{e(t('common.save'))}</Button>
            </Form>
          </Card>
        ) : (
          ''
        )}
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/barang', hide, async (req, reply) => itemsPage(req, reply, 200, {}, {}));

  app.post('/koperasi/:id/toko-koperasi/barang', hide, async (req, reply) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const price = parseRupiah(v.salePrice);
    if (price === null || price <= 0) return itemsPage(req, reply, 400, v, { salePrice: req.ctx.t('field.invalid') });
    const r = validate(ItemInput, { code: v.code ?? '', name: v.name ?? '', unit: v.unit ?? '', salePrice: price });
    if (!r.ok) return itemsPage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      await shop.createItem(db(), req.ctx, id, r.value);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'code');
      return itemsPage(req, reply, u.status, v, u.errors);
    }
    reply.flash({ kind: 'success', key: 'shop.w.itemSaved' });
    return reply.redirect(`/koperasi/${id}/toko-koperasi/barang`, 303);
  });

  const itemPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values | null, errors: FormErrors) => {
    const { id, itemId } = ids(req, 'itemId');
    svc.requireManage(req.ctx, id);
    const item = await shop.getItem(db(), req.ctx, id, itemId as string);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const v: Values = values ?? {
      code: item.code,
      name: item.name,
      unit: item.unit,
      salePrice: String(item.sale_price),
      ...(item.active ? { active: 'true' } : {}),
    };
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="barang" title={`${item.code} — ${item.name}`}>
        <Card>
          <p>
            {e(`${t('shop.w.stock')}: ${item.stock} ${item.unit} · ${t('shop.w.avgCost')}: `)}
            {formatRupiah(item.avg_cost)}
          </p>
          <ErrorSummary t={t} errors={errors} />
          <Form action={`/koperasi/${id}/toko-koperasi/barang/${item.id}`} csrfToken={page.csrfToken} novalidate>
            <TextField name="code" label={t('shop.w.code')} value={v.code} error={errors.code} required maxlength={32} />
            <TextField name="name" label={t('shop.w.itemName')} value={v.name} error={errors.name} required maxlength={120} />
            <TextField name="unit" label={t('shop.w.unit')} value={v.unit} error={errors.unit} required maxlength={20} />
            <TextField
              name="salePrice"
              label={t('shop.w.salePrice')}
              value={v.salePrice}
              error={errors.salePrice}
              inputmode="numeric"
              required
            />
            <CheckboxField name="active" label={t('shop.w.active')} checked={v.active === 'true'} />
            <div class="form-actions">
              <Button>{e(t('common.save'))}</Button>
              <LinkButton href={`/koperasi/${id}/toko-koperasi/barang`} variant="secondary">
                {e(t('common.cancel'))}
              </LinkButton>
            </div>
          </Form>
        </Card>
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/barang/:itemId', hide, async (req, reply) => itemPage(req, reply, 200, null, {}));

  app.post('/koperasi/:id/toko-koperasi/barang/:itemId', hide, async (req, reply) => {
    const { id, itemId } = ids(req, 'itemId');
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const price = parseRupiah(v.salePrice);
    if (price === null || price <= 0) return itemPage(req, reply, 400, v, { salePrice: req.ctx.t('field.invalid') });
    const r = validate(ItemPatch, {
      code: v.code ?? '',
      name: v.name ?? '',
      unit: v.unit ?? '',
      salePrice: price,
      active: v.active === 'true',
    });
    if (!r.ok) return itemPage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      await shop.updateItem(db(), req.ctx, id, itemId as string, r.value);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'code');
      return itemPage(req, reply, u.status, v, u.errors);
    }
    reply.flash({ kind: 'success', key: 'shop.w.itemSaved' });
    return reply.redirect(`/koperasi/${id}/toko-koperasi/barang`, 303);
  });

  // --- purchases ----------------------------------------------------------------------------

  const purchasesPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const today = svc.todayWib();
    const rows = await shop.listPurchases(db(), req.ctx, id, firstDay(periodOf(today)), today);
    const items = await shop.listItems(db(), req.ctx, id, { active: true });
    const base = `/koperasi/${id}/toko-koperasi/pembelian`;
    const cols: Column<(typeof rows)[number]>[] = [
      { key: 'date', label: t('books.w.date'), render: (r) => e(r.purchase.purchase_date) },
      { key: 'no', label: t('books.w.entryNo'), render: (r) => e(`#${r.purchase.entry_number}`) },
      { key: 'supplier', label: t('shop.w.supplier'), render: (r) => e(r.purchase.supplier) },
      { key: 'payment', label: t('shop.w.payment'), render: (r) => e(tk(t, `shop.w.payment.${r.purchase.payment}`)) },
      { key: 'lines', label: t('shop.w.items'), render: (r) => e(r.lines.map((l) => `${l.name} × ${l.quantity}`).join(', ')) },
      { key: 'total', label: t('books.w.total'), class: 'num', render: (r) => formatRupiah(r.purchase.total) },
    ];
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="pembelian" title={t('shop.w.purchases')}>
        {s.manage && s.features.penjualan ? (
          <Card title={t('shop.w.addPurchase')}>
            <ErrorSummary t={t} errors={errors} />
            <Form action={base} csrfToken={page.csrfToken} novalidate>
              <TextField
                name="supplier"
                label={t('shop.w.supplier')}
                value={values.supplier}
                error={errors.supplier}
                required
                maxlength={160}
              />
              <TextField name="date" label={t('books.w.date')} type="date" value={values.date ?? today} error={errors.date} />
              <SelectField
                name="payment"
                label={t('shop.w.payment')}
                value={values.payment ?? 'kas'}
                options={PAYMENT_METHODS.map((m) => ({ value: m, label: tk(t, `shop.w.payment.${m}`) }))}
                error={errors.payment}
              />
              {Array.from({ length: PURCHASE_ROWS }, (_, i) => (
                <fieldset class="form-inline">
                  <legend>{e(t('shop.w.line', { n: i + 1 }))}</legend>
                  <SelectField
                    name={`item_${i}`}
                    label={t('shop.w.item')}
                    value={values[`item_${i}`] ?? ''}
                    placeholder={t('shop.w.chooseItem')}
                    options={items.map((it) => ({ value: it.id, label: `${it.code} — ${it.name}` }))}
                    error={errors[`item_${i}`]}
                  />
                  <TextField
                    name={`qty_${i}`}
                    label={t('shop.w.quantity')}
                    value={values[`qty_${i}`]}
                    error={errors[`qty_${i}`]}
                    inputmode="numeric"
                  />
                  <TextField
                    name={`cost_${i}`}
                    label={t('shop.w.unitCost')}
                    value={values[`cost_${i}`]}
                    error={errors[`cost_${i}`]}
                    inputmode="numeric"
                  />
                </fieldset>
              ))}
              <Button>{e(t('books.w.record'))}</Button>
            </Form>
          </Card>
        ) : (
          ''
        )}
        <DataTable
          caption={t('shop.w.purchasesThisMonth')}
          columns={cols}
          rows={rows}
          baseUrl={base}
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('shop.w.purchasesEmpty')} body={t('shop.w.purchasesEmptyBody')} />}
        />
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/pembelian', hide, async (req, reply) => purchasesPage(req, reply, 200, {}, {}));

  app.post('/koperasi/:id/toko-koperasi/pembelian', hide, async (req, reply) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const t = req.ctx.t;
    const errors: FormErrors = {};
    const lines: { itemId: string; quantity: number; unitCost: number }[] = [];
    const rowOf: number[] = [];
    for (let i = 0; i < PURCHASE_ROWS; i++) {
      const item = v[`item_${i}`];
      const qtyText = v[`qty_${i}`];
      const costText = v[`cost_${i}`];
      if (!item && !qtyText && !costText) continue;
      const qty = /^\d{1,6}$/.test(qtyText ?? '') ? Number(qtyText) : 0;
      const cost = parseRupiah(costText);
      if (!item || !UUID.test(item)) errors[`item_${i}`] = t('shop.w.chooseItem');
      if (qty <= 0) errors[`qty_${i}`] = t('field.invalid');
      if (cost === null || cost <= 0) errors[`cost_${i}`] = t('field.invalid');
      if (!errors[`item_${i}`] && !errors[`qty_${i}`] && !errors[`cost_${i}`]) {
        lines.push({ itemId: item as string, quantity: qty, unitCost: cost as number });
        rowOf.push(i);
      }
    }
    if (lines.length === 0 && Object.keys(errors).length === 0) errors.item_0 = t('shop.w.noLines');
    if (Object.keys(errors).length) return purchasesPage(req, reply, 400, v, errors);
    const r = validate(PurchaseInput, { supplier: v.supplier ?? '', payment: v.payment ?? '', lines, ...(v.date ? { date: v.date } : {}) });
    if (!r.ok) return purchasesPage(req, reply, 400, v, rowErrors(formErrors(t, r.issues), rowOf, 'item'));
    try {
      await shop.recordPurchase(db(), req.ctx, id, r.value);
    } catch (err) {
      const u = userError(t, err, dateish(err) ? 'date' : 'supplier');
      return purchasesPage(req, reply, u.status, v, rowErrors(u.errors, rowOf, 'item'));
    }
    reply.flash({ kind: 'success', key: 'shop.w.purchaseSaved' });
    return reply.redirect(`/koperasi/${id}/toko-koperasi/pembelian`, 303);
  });

  // --- point of sale (kasir) ----------------------------------------------------------------

  const posPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const q = queryOf(req);
    const all = await shop.listItems(db(), req.ctx, id, { active: true });
    const found = q.q ? await shop.listItems(db(), req.ctx, id, { active: true, q: q.q.slice(0, 100) }) : [];
    const base = `/koperasi/${id}/toko-koperasi/kasir`;
    const cols: Column<shop.ItemRow>[] = [
      { key: 'code', label: t('shop.w.code'), render: (i) => <strong>{e(i.code)}</strong> },
      { key: 'name', label: t('shop.w.itemName'), render: (i) => e(i.name) },
      { key: 'price', label: t('shop.w.salePrice'), class: 'num', render: (i) => formatRupiah(i.sale_price) },
      { key: 'stock', label: t('shop.w.stock'), class: 'num', render: (i) => e(`${i.stock} ${i.unit}`) },
    ];
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="kasir" title={t('shop.w.pos')}>
        <Form action={base} method="get" class="search-form">
          <TextField name="q" label={t('shop.w.searchItem')} type="search" value={q.q} />
          <Button variant="secondary">{e(t('common.search'))}</Button>
        </Form>
        {q.q ? (
          <DataTable
            caption={t('shop.w.searchResults')}
            columns={cols}
            rows={found}
            baseUrl={base}
            query={{ q: q.q }}
            t={t}
            emptyState={<EmptyState title={t('shop.w.itemsEmpty')} body={t('shop.w.searchEmptyBody')} />}
          />
        ) : (
          ''
        )}
        {s.features.penjualan ? (
          <Card title={t('shop.w.newSale')}>
            <ErrorSummary t={t} errors={errors} />
            <Form action={base} csrfToken={page.csrfToken} novalidate>
              <datalist id="shop-item-codes">
                {all.map((i) => (
                  <option value={i.code}>{e(`${i.name} — ${i.sale_price.toLocaleString('id-ID')}`)}</option>
                ))}
              </datalist>
              {Array.from({ length: POS_ROWS }, (_, i) => (
                <fieldset class="form-inline">
                  <legend>{e(t('shop.w.line', { n: i + 1 }))}</legend>
                  <div class={errors[`code_${i}`] ? 'field field-invalid' : 'field'}>
                    <label for={`field-code_${i}`}>{e(t('shop.w.code'))}</label>
                    {errors[`code_${i}`] ? (
                      <p class="field-error" id={`code_${i}-error`}>
                        {e(errors[`code_${i}`])}
                      </p>
                    ) : (
                      ''
                    )}
                    <input
                      id={`field-code_${i}`}
                      name={`code_${i}`}
                      list="shop-item-codes"
                      value={values[`code_${i}`]}
                      autocomplete="off"
                      aria-invalid={errors[`code_${i}`] ? 'true' : undefined}
                      aria-describedby={errors[`code_${i}`] ? `code_${i}-error` : undefined}
                    />
                  </div>
                  <TextField
                    name={`qty_${i}`}
                    label={t('shop.w.quantity')}
                    value={values[`qty_${i}`] ?? ''}
                    error={errors[`qty_${i}`]}
                    inputmode="numeric"
                  />
                </fieldset>
              ))}
              <TextField
                name="memberNumber"
                label={t('shop.w.memberNumber')}
                hint={t('shop.w.memberNumberHint')}
                value={values.memberNumber}
                error={errors.memberNumber}
                inputmode="numeric"
              />
              <TextField
                name="cashPaid"
                label={t('shop.w.cashPaid')}
                hint={t('shop.w.cashPaidHint')}
                value={values.cashPaid}
                error={errors.cashPaid}
                inputmode="numeric"
              />
              <TextField name="date" label={t('books.w.date')} type="date" value={values.date ?? svc.todayWib()} error={errors.date} />
              <Button>{e(t('shop.w.pay'))}</Button>
            </Form>
          </Card>
        ) : (
          ''
        )}
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/kasir', hide, async (req, reply) => posPage(req, reply, 200, {}, {}));

  app.post('/koperasi/:id/toko-koperasi/kasir', hide, async (req, reply) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const t = req.ctx.t;
    const items = await shop.listItems(db(), req.ctx, id);
    const byCode = new Map(items.map((i) => [i.code.toLowerCase(), i]));
    const errors: FormErrors = {};
    const lines: { itemId: string; quantity: number }[] = [];
    const rowOf: number[] = [];
    for (let i = 0; i < POS_ROWS; i++) {
      const code = v[`code_${i}`];
      const qtyText = v[`qty_${i}`];
      if (!code && !qtyText) continue;
      const item = code ? byCode.get(code.toLowerCase()) : undefined;
      const qty = qtyText === undefined || qtyText === '' ? 1 : /^\d{1,6}$/.test(qtyText) ? Number(qtyText) : 0;
      if (!item) errors[`code_${i}`] = t('shop.itemUnknown');
      if (qty <= 0) errors[`qty_${i}`] = t('field.invalid');
      if (item && qty > 0) {
        lines.push({ itemId: item.id, quantity: qty });
        rowOf.push(i);
      }
    }
    if (lines.length === 0 && Object.keys(errors).length === 0) errors.code_0 = t('shop.w.noLines');
    const memberNumber = v.memberNumber ? (/^\d{1,9}$/.test(v.memberNumber) ? Number(v.memberNumber) : 0) : undefined;
    if (memberNumber === 0) errors.memberNumber = t('shop.memberUnknown');
    const cashPaid = v.cashPaid ? parseRupiah(v.cashPaid) : undefined;
    if (cashPaid === null || cashPaid === 0) errors.cashPaid = t('field.invalid');
    if (Object.keys(errors).length) return posPage(req, reply, 400, v, errors);
    const r = validate(SaleInput, {
      lines,
      ...(memberNumber ? { memberNumber } : {}),
      ...(cashPaid ? { cashPaid } : {}),
      ...(v.date ? { date: v.date } : {}),
    });
    if (!r.ok) return posPage(req, reply, 400, v, rowErrors(formErrors(t, r.issues), rowOf, 'code'));
    try {
      const sale = await shop.recordSale(db(), req.ctx, id, r.value);
      reply.flash({ kind: 'success', key: 'shop.w.saleSaved' });
      return reply.redirect(`/koperasi/${id}/toko-koperasi/penjualan/${sale.sale.id}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.messageKey === 'shop.outOfStock') {
        const itemId = (err.details as { itemId?: string } | undefined)?.itemId;
        const idx = lines.findIndex((l) => l.itemId === itemId);
        return posPage(req, reply, 409, v, { [`qty_${rowOf[idx] ?? 0}`]: t(err.messageKey, err.params) });
      }
      if (err instanceof AppError && err.messageKey === 'shop.itemInactive') {
        const itemId = (err.details as { itemId?: string } | undefined)?.itemId;
        const idx = lines.findIndex((l) => l.itemId === itemId);
        return posPage(req, reply, 422, v, { [`code_${rowOf[idx] ?? 0}`]: t(err.messageKey, err.params) });
      }
      const u = userError(t, err, dateish(err) ? 'date' : 'code_0');
      return posPage(req, reply, u.status, v, rowErrors(u.errors, rowOf, 'code'));
    }
  });

  // --- sales and receipts -------------------------------------------------------------------

  app.get('/koperasi/:id/toko-koperasi/penjualan', hide, async (req, reply) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, locale } = s;
    const q = queryOf(req);
    const to = isDate(q.to) ? q.to : svc.todayWib();
    const from = isDate(q.from) ? q.from : to;
    const pageNo = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const r = await shop.listSales(db(), req.ctx, id, { from, to, page: pageNo, pageSize: PAGE_SIZE });
    const base = `/koperasi/${id}/toko-koperasi/penjualan`;
    type Row = (typeof r.items)[number];
    const cols: Column<Row>[] = [
      { key: 'no', label: t('shop.w.receiptNo'), render: (x) => <a href={`${base}/${x.id}`}>{e(`#${x.entry_number ?? ''}`)}</a> },
      { key: 'date', label: t('books.w.date'), render: (x) => e(x.sale_date) },
      {
        key: 'member',
        label: t('shop.w.buyer'),
        render: (x) => e(x.member_number ? `${x.member_number}. ${x.member_name ?? ''}` : t('shop.w.nonMember')),
      },
      { key: 'total', label: t('books.w.total'), class: 'num', render: (x) => formatRupiah(x.total) },
      {
        key: 'status',
        label: t('books.w.status'),
        render: (x) => <Badge tone={x.status === 'void' ? 'danger' : 'success'}>{e(tk(t, `shop.w.saleStatus.${x.status}`))}</Badge>,
      },
    ];
    return html(
      reply,
      200,
      <ShopPage s={s} id={id} section="penjualan" title={t('shop.w.sales')}>
        <Form action={base} method="get" class="filters">
          <TextField name="from" label={t('books.w.from')} type="date" value={from} />
          <TextField name="to" label={t('books.w.to')} type="date" value={to} />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>
        <DataTable
          caption={t('shop.w.sales')}
          columns={cols}
          rows={r.items}
          baseUrl={base}
          query={{ from, to }}
          t={t}
          emptyState={<EmptyState title={t('shop.w.salesEmpty')} body={t('shop.w.salesEmptyBody')} />}
        />
        <Pagination t={t} page={pageNo} pageSize={PAGE_SIZE} total={r.total} baseUrl={base} query={{ from, to }} locale={locale} />
      </ShopPage>,
    );
  });

  const receiptPage = async (req: FastifyRequest, reply: FastifyReply, status: number, errors: FormErrors) => {
    const { id, saleId } = ids(req, 'saleId');
    const v = await shop.getSale(db(), req.ctx, id, saleId as string);
    const s = await shell(req, reply, id);
    const { t } = s;
    const base = `/koperasi/${id}/toko-koperasi/penjualan/${v.sale.id}`;
    type Line = (typeof v.lines)[number];
    const cols: Column<Line>[] = [
      { key: 'item', label: t('shop.w.item'), render: (l) => e(`${l.code} — ${l.name}`) },
      { key: 'qty', label: t('shop.w.quantity'), class: 'num', render: (l) => e(`${l.quantity} ${l.unit}`) },
      { key: 'price', label: t('shop.w.salePrice'), class: 'num', render: (l) => formatRupiah(l.unit_price) },
      { key: 'amount', label: t('books.w.total'), class: 'num', render: (l) => formatRupiah(l.amount) },
    ];
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="penjualan" title={t('shop.w.receipt', { number: v.entryNumber })}>
        <Card>
          <ErrorSummary t={t} errors={errors} />
          <p>
            {date(v.sale.sale_date, t)}{' '}
            <Badge tone={v.sale.status === 'void' ? 'danger' : 'success'}>{e(tk(t, `shop.w.saleStatus.${v.sale.status}`))}</Badge>
          </p>
          <p>{e(`${t('shop.w.buyer')}: ${v.member ? `${v.member.memberNumber}. ${v.member.name}` : t('shop.w.nonMember')}`)}</p>
          <DataTable caption={t('shop.w.items')} columns={cols} rows={v.lines} baseUrl={base} query={{}} t={t} emptyState={<p />} />
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('books.w.total'))}</span>
              <span class="stat-value">{formatRupiah(v.sale.total)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.cashPaid'))}</span>
              <span class="stat-value">{formatRupiah(v.sale.cash_paid)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.change'))}</span>
              <span class="stat-value" id="shop-change">
                {formatRupiah(v.sale.change)}
              </span>
            </li>
          </ul>
          {v.sale.status === 'void' ? <p>{e(t('shop.w.voidedOn', { date: v.sale.void_date ?? '' }))}</p> : ''}
          {s.manage && v.sale.status === 'posted' ? (
            <p>
              <LinkButton href={`${base}/batal`} variant="danger">
                {e(t('shop.w.void'))}
              </LinkButton>{' '}
              <LinkButton href={`/koperasi/${id}/toko-koperasi/kasir`}>{e(t('shop.w.newSale'))}</LinkButton>
            </p>
          ) : (
            ''
          )}
        </Card>
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/penjualan/:saleId', hide, async (req, reply) => receiptPage(req, reply, 200, {}));

  app.get('/koperasi/:id/toko-koperasi/penjualan/:saleId/batal', hide, async (req, reply) => {
    const { id, saleId } = ids(req, 'saleId');
    svc.requireManage(req.ctx, id);
    const v = await shop.getSale(db(), req.ctx, id, saleId as string);
    const page = req.page(reply);
    const base = `/koperasi/${id}/toko-koperasi/penjualan/${v.sale.id}`;
    return html(
      reply,
      200,
      <ConfirmPage
        page={page}
        title={page.t('shop.w.voidTitle', { number: v.entryNumber })}
        message={page.t('shop.w.voidConfirm', { total: v.sale.total.toLocaleString('id-ID'), date: svc.todayWib() })}
        action={`${base}/batal`}
        cancelHref={base}
        confirmLabel={page.t('shop.w.void')}
      />,
    );
  });

  app.post('/koperasi/:id/toko-koperasi/penjualan/:saleId/batal', hide, async (req, reply) => {
    const { id, saleId } = ids(req, 'saleId');
    try {
      await shop.voidSale(db(), req.ctx, id, saleId as string, {});
    } catch (err) {
      const u = userError(req.ctx.t, err, 'void');
      return receiptPage(req, reply, u.status, u.errors);
    }
    reply.flash({ kind: 'success', key: 'shop.w.voided' });
    return reply.redirect(`/koperasi/${id}/toko-koperasi/penjualan/${saleId}`, 303);
  });

  // --- daily cash close ---------------------------------------------------------------------

  const closePage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, page } = s;
    const q = queryOf(req);
    const day = isDate(values.date) ? values.date : isDate(q.date) ? q.date : svc.todayWib();
    const cash = await shop.expectedCash(db(), req.ctx, id, day);
    const closes = await shop.listCashCloses(db(), req.ctx, id, firstDay(periodOf(day)), lastDay(periodOf(day)));
    const base = `/koperasi/${id}/toko-koperasi/tutup-kas`;
    type Row = (typeof closes)[number];
    const cols: Column<Row>[] = [
      { key: 'date', label: t('books.w.date'), render: (c) => e(c.close_date) },
      { key: 'expected', label: t('shop.w.expectedCash'), class: 'num', render: (c) => formatRupiah(c.expected) },
      { key: 'counted', label: t('shop.w.counted'), class: 'num', render: (c) => formatRupiah(c.counted) },
      { key: 'diff', label: t('shop.w.difference'), class: 'num', render: (c) => formatRupiah(c.difference) },
    ];
    return html(
      reply,
      status,
      <ShopPage s={s} id={id} section="tutup-kas" title={t('shop.w.cashClose')}>
        <Form action={base} method="get" class="filters">
          <TextField name="date" label={t('books.w.date')} type="date" value={day} />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>
        <Card title={t('shop.w.cashOf', { date: day })}>
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.salesCount'))}</span>
              <span class="stat-value">{e(String(cash.count))}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.revenue'))}</span>
              <span class="stat-value">{formatRupiah(cash.sales)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.refunds'))}</span>
              <span class="stat-value">{formatRupiah(cash.refunds)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.expectedCash'))}</span>
              <span class="stat-value">{formatRupiah(cash.expected)}</span>
            </li>
          </ul>
          {cash.close ? (
            <p>
              <Badge tone="success">{e(t('shop.w.dayClosed'))}</Badge> {e(`${t('shop.w.counted')}: `)}
              {formatRupiah(cash.close.counted)}
              {e(` · ${t('shop.w.difference')}: `)}
              {formatRupiah(cash.close.difference)}
            </p>
          ) : s.manage && s.features.penjualan ? (
            <>
              <ErrorSummary t={t} errors={errors} />
              <Form action={base} csrfToken={page.csrfToken} novalidate>
                <input type="hidden" name="date" value={day} />
                <TextField
                  name="counted"
                  label={t('shop.w.counted')}
                  value={values.counted}
                  error={errors.counted ?? errors.date}
                  inputmode="numeric"
                  required
                />
                <TextField name="note" label={t('shop.w.note')} value={values.note} error={errors.note} maxlength={500} />
                <Button>{e(t('shop.w.closeDay'))}</Button>
              </Form>
            </>
          ) : (
            ''
          )}
        </Card>
        <DataTable
          caption={t('shop.w.closesThisMonth')}
          columns={cols}
          rows={closes}
          baseUrl={base}
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('shop.w.closesEmpty')} body={t('shop.w.closesEmptyBody')} />}
        />
      </ShopPage>,
    );
  };

  app.get('/koperasi/:id/toko-koperasi/tutup-kas', hide, async (req, reply) => closePage(req, reply, 200, {}, {}));

  app.post('/koperasi/:id/toko-koperasi/tutup-kas', hide, async (req, reply) => {
    const { id } = ids(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const counted = parseRupiah(v.counted);
    if (counted === null) return closePage(req, reply, 400, v, { counted: req.ctx.t('field.invalid') });
    const r = validate(CashCloseInput, { date: v.date ?? '', counted, ...(v.note ? { note: v.note } : {}) });
    if (!r.ok) return closePage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      await shop.closeCashDay(db(), req.ctx, id, r.value);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'counted');
      return closePage(req, reply, u.status, v, u.errors);
    }
    reply.flash({ kind: 'success', key: 'shop.w.dayClosedSaved' });
    return reply.redirect(`/koperasi/${id}/toko-koperasi/tutup-kas?date=${encodeURIComponent(r.value.date)}`, 303);
  });

  // --- sales report -------------------------------------------------------------------------

  app.get('/koperasi/:id/toko-koperasi/laporan', hide, async (req, reply) => {
    const { id } = ids(req);
    const s = await shell(req, reply, id);
    const { t, locale } = s;
    const q = queryOf(req);
    const to = isDate(q.to) ? q.to : svc.todayWib();
    const from = isDate(q.from) ? q.from : firstDay(periodOf(to));
    let rep: Awaited<ReturnType<typeof shop.salesReport>>;
    let error: string | undefined;
    try {
      rep = await shop.salesReport(db(), req.ctx, id, from, to);
    } catch (err) {
      const u = userError(t, err, 'to');
      error = Object.values(u.errors)[0];
      rep = await shop.salesReport(db(), req.ctx, id, to, to);
    }
    const base = `/koperasi/${id}/toko-koperasi/laporan`;
    type Day = (typeof rep.days)[number];
    type Item = (typeof rep.items)[number];
    const money = <T extends { revenue: bigint; cost: bigint; margin: bigint; units: bigint }>(): Column<T>[] => [
      { key: 'units', label: t('shop.w.unitsSold'), class: 'num', render: (x) => e(formatNumber(x.units, locale)) },
      { key: 'revenue', label: t('shop.w.revenue'), class: 'num', render: (x) => formatRupiah(x.revenue) },
      { key: 'cost', label: t('shop.w.hpp'), class: 'num', render: (x) => formatRupiah(x.cost) },
      { key: 'margin', label: t('shop.w.margin'), class: 'num', render: (x) => formatRupiah(x.margin) },
    ];
    const dayCols: Column<Day>[] = [
      { key: 'date', label: t('books.w.date'), render: (d) => e(d.date) },
      { key: 'sales', label: t('shop.w.salesCount'), class: 'num', render: (d) => e(String(d.sales)) },
      ...money<Day>(),
    ];
    const itemCols: Column<Item>[] = [
      { key: 'item', label: t('shop.w.item'), render: (i) => e(`${i.code} — ${i.name}`) },
      ...money<Item>(),
    ];
    return html(
      reply,
      error ? 400 : 200,
      <ShopPage s={s} id={id} section="laporan" title={t('shop.w.report')}>
        <Form action={base} method="get" class="filters">
          <TextField name="from" label={t('books.w.from')} type="date" value={from} />
          <TextField name="to" label={t('books.w.to')} type="date" value={to} error={error} />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>
        <p class="field-hint">{e(t('shop.w.reportStated', { from: rep.from, to: rep.to }))}</p>
        <Card>
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.salesCount'))}</span>
              <span class="stat-value">{e(formatNumber(rep.totals.sales, locale))}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.revenue'))}</span>
              <span class="stat-value" id="shop-revenue">
                {formatRupiah(rep.totals.revenue)}
              </span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.hpp'))}</span>
              <span class="stat-value">{formatRupiah(rep.totals.cost)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('shop.w.margin'))}</span>
              <span class="stat-value">{formatRupiah(rep.totals.margin)}</span>
            </li>
          </ul>
        </Card>
        <DataTable
          caption={t('shop.w.perDay')}
          columns={dayCols}
          rows={rep.days}
          baseUrl={base}
          query={{ from, to }}
          t={t}
          emptyState={<EmptyState title={t('shop.w.salesEmpty')} body={t('shop.w.salesEmptyBody')} />}
        />
        <DataTable
          caption={t('shop.w.perItem')}
          columns={itemCols}
          rows={rep.items}
          baseUrl={base}
          query={{ from, to }}
          t={t}
          emptyState={<p />}
        />
      </ShopPage>,
    );
  });
}

/** Date-related service refusals are shown next to the date field. */
function dateish(err: unknown) {
  const key = err instanceof AppError ? err.messageKey : '';
  return /period|year|dayClosed/i.test(key);
}

/** Field issues on `lines.N.x` (N = index among filled rows) → the form row's own field. */
function rowErrors(errors: FormErrors, rowOf: number[], field: string): FormErrors {
  const out: FormErrors = {};
  for (const [k, msg] of Object.entries(errors)) {
    const m = /^lines\.(\d+)\.(\w+)$/.exec(k);
    if (!m) {
      out[k] = msg;
      continue;
    }
    const row = rowOf[Number(m[1])] ?? 0;
    const name = m[2] === 'quantity' ? 'qty' : m[2] === 'unitCost' ? 'cost' : field;
    out[`${name}_${row}`] = msg;
  }
  return out;
}
