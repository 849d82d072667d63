import { escapeHtml } from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../audit.js';
import { requireRole } from '../context.js';
import { notFound } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { DELIVER_MESSAGE_JOB } from '../messages/outbox.js';
import {
  Badge,
  type BadgeTone,
  Button,
  type Column,
  DataTable,
  EmptyState,
  Form,
  formatDateTime,
  formatNumber,
  PageHeader,
  Pagination,
  SelectField,
} from '../web/components.js';
import { Layout } from '../web/layout.js';
import type { PageContext } from '../web/page.js';

export const JOBS_PAGE = '/admin/pekerjaan';
const PAGE_SIZE = 25;
const JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
const MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
type JobStatus = (typeof JOB_STATUSES)[number];
type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const TONES: Record<JobStatus | MessageStatus, BadgeTone> = {
  pending: 'info',
  running: 'warning',
  done: 'success',
  sent: 'success',
  failed: 'danger',
};

interface JobRow {
  id: string;
  type: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  created_at: Date;
  finished_at: Date | null;
  last_error: string | null;
}

interface MessageRow {
  id: string;
  channel: 'email' | 'sms' | 'whatsapp';
  recipient: string;
  subject: string;
  status: MessageStatus;
  created_at: Date;
  sent_at: Date | null;
  last_error: string | null;
  attempts: number | null;
  max_attempts: number | null;
}

async function countByStatus(db: Kysely<Database>, table: 'jobs' | 'outbox_messages') {
  const r = await sql<{ status: string; n: number }>`select status, count(*)::int as n from ${sql.table(table)} group by status`.execute(
    db,
  );
  return Object.fromEntries(r.rows.map((x) => [x.status, x.n])) as Record<string, number>;
}

async function listJobs(db: Kysely<Database>, status: JobStatus | undefined, page: number) {
  let q = db.selectFrom('jobs');
  if (status) q = q.where('status', '=', status);
  const total = (await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  const rows = await q
    .select(['id', 'type', 'status', 'attempts', 'max_attempts', 'run_at', 'created_at', 'finished_at', 'last_error'])
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { total, rows: rows.map((r) => ({ ...r, id: String(r.id), run_at: new Date(r.run_at) })) as JobRow[] };
}

async function listMessages(db: Kysely<Database>, status: MessageStatus | undefined, page: number) {
  let q = db.selectFrom('outbox_messages as m');
  if (status) q = q.where('m.status', '=', status);
  const total = (await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  // Attempts live on the delivery job (the newest one for this message).
  const rows = await q
    .select([
      'm.id',
      'm.channel',
      'm.recipient',
      'm.subject',
      'm.status',
      'm.created_at',
      'm.sent_at',
      'm.last_error',
      sql<
        number | null
      >`(select j.attempts from jobs j where j.type = ${DELIVER_MESSAGE_JOB} and j.payload->>'messageId' = m.id::text order by j.id desc limit 1)`.as(
        'attempts',
      ),
      sql<
        number | null
      >`(select j.max_attempts from jobs j where j.type = ${DELIVER_MESSAGE_JOB} and j.payload->>'messageId' = m.id::text order by j.id desc limit 1)`.as(
        'max_attempts',
      ),
    ])
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { total, rows: rows as MessageRow[] };
}

/** Puts a failed job back in the queue with fresh attempts (and its message back to pending). */
async function retryJob(db: Kysely<Database>, id: string, ctx: Parameters<typeof writeAudit>[1]): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .updateTable('jobs')
      .set({ status: 'pending', attempts: 0, run_at: new Date(), finished_at: null, locked_at: null, locked_by: null })
      .where('id', '=', BigInt(id))
      .where('status', '=', 'failed')
      .returning(['id', 'type', 'payload'])
      .executeTakeFirst();
    if (!job) return false;
    const messageId = job.type === DELIVER_MESSAGE_JOB ? (job.payload as Record<string, unknown>).messageId : undefined;
    if (typeof messageId === 'string') {
      await trx
        .updateTable('outbox_messages')
        .set({ status: 'pending' })
        .where('id', '=', messageId)
        .where('status', '=', 'failed')
        .execute();
    }
    await writeAudit(trx, ctx, {
      action: 'job.retry',
      entityType: 'job',
      entityId: id,
      before: { status: 'failed' },
      after: { status: 'pending' },
    });
    return true;
  });
}

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

function when(page: PageContext, d: Date | null) {
  return d ? escapeHtml(formatDateTime(new Date(d), page.locale)) : escapeHtml(page.t('common.none'));
}

function errorCell(page: PageContext, e: string | null) {
  return e ? (
    <span class="job-error" safe>
      {e.length > 300 ? `${e.slice(0, 300)}…` : e}
    </span>
  ) : (
    escapeHtml(page.t('common.none'))
  );
}

function StatusBadge(p: { page: PageContext; status: JobStatus | MessageStatus }) {
  return <Badge tone={TONES[p.status]}>{escapeHtml(p.page.t(`ops.jobs.status.${p.status}` as MessageKey))}</Badge>;
}

interface ViewProps {
  page: PageContext;
  view: 'jobs' | 'messages';
  status: string | undefined;
  pageNo: number;
  total: number;
  jobs: JobRow[];
  messages: MessageRow[];
  counts: Record<string, number>;
  transport: string;
  inProcess: boolean;
}

function JobsPage(p: ViewProps) {
  const { page } = p;
  const { t } = page;
  const statuses: readonly string[] = p.view === 'jobs' ? JOB_STATUSES : MESSAGE_STATUSES;
  const query = { lihat: p.view === 'messages' ? 'pesan' : undefined, status: p.status };
  const tab = (view: 'jobs' | 'messages', label: MessageKey) => (
    <a
      href={view === 'messages' ? `${JOBS_PAGE}?lihat=pesan` : JOBS_PAGE}
      aria-current={p.view === view ? 'page' : undefined}
      class="btn btn-secondary btn-small"
    >
      {escapeHtml(t(label))}
    </a>
  );
  const jobColumns: Column<JobRow>[] = [
    { key: 'id', label: t('ops.jobs.col.id'), render: (r) => escapeHtml(r.id), class: 'num' },
    { key: 'type', label: t('ops.jobs.col.type'), render: (r) => <code safe>{r.type}</code> },
    { key: 'status', label: t('ops.jobs.col.status'), render: (r) => <StatusBadge page={page} status={r.status} /> },
    {
      key: 'attempts',
      label: t('ops.jobs.col.attempts'),
      render: (r) => escapeHtml(t('ops.jobs.attemptsOf', { attempts: r.attempts, max: r.max_attempts })),
    },
    { key: 'runAt', label: t('ops.jobs.col.runAt'), render: (r) => when(page, r.run_at) },
    { key: 'finished', label: t('ops.jobs.col.finished'), render: (r) => when(page, r.finished_at) },
    { key: 'lastError', label: t('ops.jobs.col.lastError'), render: (r) => errorCell(page, r.last_error) },
    {
      key: 'actions',
      label: t('common.actions'),
      render: (r) =>
        r.status === 'failed' ? (
          <Form action={`${JOBS_PAGE}/${r.id}/ulangi`} csrfToken={page.csrfToken}>
            <Button variant="secondary" small>
              {escapeHtml(t('ops.jobs.retry'))}
            </Button>
          </Form>
        ) : (
          ''
        ),
    },
  ];
  const messageColumns: Column<MessageRow>[] = [
    { key: 'created', label: t('ops.jobs.col.created'), render: (r) => when(page, r.created_at) },
    { key: 'channel', label: t('ops.jobs.col.channel'), render: (r) => escapeHtml(t(`ops.jobs.channel.${r.channel}` as MessageKey)) },
    { key: 'recipient', label: t('ops.jobs.col.recipient'), render: (r) => <span safe>{r.recipient}</span> },
    { key: 'subject', label: t('ops.jobs.col.subject'), render: (r) => <span safe>{r.subject}</span> },
    { key: 'status', label: t('ops.jobs.col.status'), render: (r) => <StatusBadge page={page} status={r.status} /> },
    {
      key: 'attempts',
      label: t('ops.jobs.col.attempts'),
      render: (r) =>
        r.attempts === null
          ? escapeHtml(t('common.none'))
          : escapeHtml(t('ops.jobs.attemptsOf', { attempts: r.attempts, max: r.max_attempts ?? 0 })),
    },
    { key: 'sent', label: t('ops.jobs.col.sent'), render: (r) => when(page, r.sent_at) },
    { key: 'lastError', label: t('ops.jobs.col.lastError'), render: (r) => errorCell(page, r.last_error) },
  ];
  return (
    <Layout page={page} title={t('ops.jobs.title')}>
      <PageHeader title={t('ops.jobs.title')} subtitle={t('ops.jobs.subtitle')} />
      <p class="section-intro">
        {escapeHtml(t('ops.jobs.transport', { name: p.transport }))}{' '}
        {escapeHtml(t(p.inProcess ? 'ops.jobs.runner.inProcess' : 'ops.jobs.runner.separate'))}
      </p>
      <nav aria-label={t('ops.jobs.views')} class="filters">
        {tab('jobs', 'ops.jobs.tabJobs')}
        {tab('messages', 'ops.jobs.tabMessages')}
      </nav>
      <h2>{escapeHtml(t('ops.jobs.summary'))}</h2>
      <ul class="stats">
        {statuses.map((s) => (
          <li class="stat">
            <span class="stat-value">{escapeHtml(formatNumber(p.counts[s] ?? 0, page.locale))}</span>
            <span class="stat-label">{escapeHtml(t(`ops.jobs.status.${s}` as MessageKey))}</span>
          </li>
        ))}
      </ul>
      <form method="get" action={JOBS_PAGE} class="filters">
        {p.view === 'messages' ? <input type="hidden" name="lihat" value="pesan" /> : ''}
        <SelectField
          name="status"
          label={t('ops.jobs.statusFilter')}
          value={p.status ?? ''}
          placeholder={t('ops.jobs.allStatuses')}
          options={statuses.map((s) => ({ value: s, label: t(`ops.jobs.status.${s}` as MessageKey) }))}
        />
        <div class="filter-actions">
          <Button variant="secondary">{escapeHtml(t('common.filter'))}</Button>
        </div>
      </form>
      {p.view === 'jobs' ? (
        <DataTable
          caption={t('ops.jobs.jobsCaption')}
          columns={jobColumns}
          rows={p.jobs}
          baseUrl={JOBS_PAGE}
          query={query}
          t={t}
          emptyState={<EmptyState title={t('ops.jobs.emptyJobsTitle')} body={t('ops.jobs.emptyJobsBody')} />}
        />
      ) : (
        <DataTable
          caption={t('ops.jobs.messagesCaption')}
          columns={messageColumns}
          rows={p.messages}
          baseUrl={JOBS_PAGE}
          query={query}
          t={t}
          emptyState={<EmptyState title={t('ops.jobs.emptyMessagesTitle')} body={t('ops.jobs.emptyMessagesBody')} />}
        />
      )}
      <Pagination t={t} page={p.pageNo} pageSize={PAGE_SIZE} total={p.total} baseUrl={JOBS_PAGE} query={query} locale={page.locale} />
    </Layout>
  );
}

/** The admin page of background jobs and outbox messages, and its menu entry. */
export async function jobsAdminRoutes(app: FastifyInstance) {
  app.nav.add({ href: JOBS_PAGE, label: 'nav.jobs', audience: ['admin'], order: 88 });

  app.get(JOBS_PAGE, { schema: { hide: true } }, async (req, reply) => {
    requireRole(req.ctx, 'admin');
    const q = (req.query ?? {}) as Record<string, unknown>;
    const view = q.lihat === 'pesan' ? 'messages' : 'jobs';
    const pageNo = pageNumber(q.page);
    const db = app.deps.db.db;
    let props: Omit<ViewProps, 'page'>;
    const base = { view, pageNo, transport: app.deps.config.messageTransport, inProcess: app.deps.config.inProcessJobs } as const;
    if (view === 'jobs') {
      const status = JOB_STATUSES.find((s) => s === q.status);
      const { total, rows } = await listJobs(db, status, pageNo);
      props = { ...base, status, total, jobs: rows, messages: [], counts: await countByStatus(db, 'jobs') };
    } else {
      const status = MESSAGE_STATUSES.find((s) => s === q.status);
      const { total, rows } = await listMessages(db, status, pageNo);
      props = { ...base, status, total, jobs: [], messages: rows, counts: await countByStatus(db, 'outbox_messages') };
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JobsPage({ page: req.page(reply), ...props }));
  });

  app.post<{ Params: { id: string } }>(`${JOBS_PAGE}/:id/ulangi`, { schema: { hide: true } }, async (req, reply) => {
    requireRole(req.ctx, 'admin');
    if (!(await retryJob(app.deps.db.db, req.params.id, req.ctx))) throw notFound();
    app.jobs.nudge();
    return reply.flash({ kind: 'success', key: 'ops.jobs.retried', params: { id: req.params.id } }).redirect(JOBS_PAGE, 303);
  });
}
