/** Admin pages: users, one user (roles, status), audit log. */
import { ROLES, type Role } from '../../../platform/context.js';
import type { MessageKey } from '../../../platform/i18n/index.js';
import {
  Badge,
  Button,
  Card,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatDateTime,
  LinkButton,
  PageHeader,
  Pagination,
  SelectField,
  TextField,
} from '../../../platform/web/components.js';
import { Layout } from '../../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';
import { isOrgRole, type OrganizationKind, ROLE_ORGANIZATION_KIND } from '../domain.js';
import type { AdminUserJson, AuditJson, OrganizationJson } from '../schemas.js';
import { roleKey } from './account.js';

type Query = Record<string, string | undefined>;

const kindKey = (kind: OrganizationKind) => `accounts.orgKind.${kind}` as MessageKey;

function StatusBadge(p: { page: PageContext; status: 'active' | 'disabled' }) {
  return (
    <Badge tone={p.status === 'active' ? 'success' : 'danger'}>{escapeHtml(p.page.t(`accounts.status.${p.status}` as MessageKey))}</Badge>
  );
}

function roleText(page: PageContext, r: { role: Role; organizationName: string | null }) {
  return r.organizationName ? `${page.t(roleKey(r.role))} — ${r.organizationName}` : page.t(roleKey(r.role));
}

export function UsersPage(p: {
  page: PageContext;
  query: Query;
  result: { items: AdminUserJson[]; total: number; page: number; pageSize: number };
  sort: { key: string; dir: 'asc' | 'desc' };
}) {
  const { t, locale } = p.page;
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }));
  return (
    <Layout page={p.page} title={t('accounts.admin.users.title')}>
      <PageHeader title={t('accounts.admin.users.title')} subtitle={t('accounts.admin.users.subtitle')} />
      <Form action="/admin/pengguna" method="get" class="filters">
        <TextField name="q" type="search" label={t('accounts.admin.users.search')} value={p.query.q} maxlength={100} />
        <SelectField
          name="role"
          label={t('accounts.admin.users.role')}
          value={p.query.role}
          placeholder={t('accounts.admin.users.allRoles')}
          options={roleOptions}
        />
        <SelectField
          name="status"
          label={t('accounts.admin.users.status')}
          value={p.query.status}
          placeholder={t('accounts.admin.users.allStatuses')}
          options={[
            { value: 'active', label: t('accounts.status.active') },
            { value: 'disabled', label: t('accounts.status.disabled') },
          ]}
        />
        <div class="filter-actions">
          <Button>{escapeHtml(t('common.search'))}</Button>
          <LinkButton href="/admin/pengguna" variant="secondary">
            {escapeHtml(t('common.reset'))}
          </LinkButton>
        </div>
      </Form>
      <DataTable<AdminUserJson>
        t={t}
        caption={t('accounts.admin.users.caption')}
        baseUrl="/admin/pengguna"
        query={p.query}
        sort={p.sort}
        rows={p.result.items}
        emptyState={<EmptyState title={t('accounts.admin.users.emptyTitle')} body={t('accounts.admin.users.emptyBody')} />}
        columns={[
          {
            key: 'name',
            label: t('accounts.admin.users.colName'),
            sortable: true,
            render: (u) => (
              <>
                <a href={`/admin/pengguna/${u.id}`} safe>
                  {u.name}
                </a>
                {u.isDemo ? (
                  <>
                    {' '}
                    <Badge tone="neutral">{escapeHtml(t('app.demoLabel'))}</Badge>
                  </>
                ) : (
                  ''
                )}
              </>
            ),
          },
          {
            key: 'contact',
            label: t('accounts.admin.users.colContact'),
            render: (u) => escapeHtml([u.email, u.phone].filter(Boolean).join(' · ')),
          },
          {
            key: 'roles',
            label: t('accounts.admin.users.colRoles'),
            render: (u) => escapeHtml(u.roles.map((r) => roleText(p.page, r)).join(', ') || t('common.none')),
          },
          { key: 'status', label: t('accounts.admin.users.colStatus'), render: (u) => <StatusBadge page={p.page} status={u.status} /> },
          {
            key: 'created',
            label: t('accounts.admin.users.colCreated'),
            sortable: true,
            render: (u) => escapeHtml(formatDate(new Date(u.createdAt), locale)),
          },
        ]}
      />
      <Pagination
        t={t}
        locale={locale}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        baseUrl="/admin/pengguna"
        query={p.query}
      />
    </Layout>
  );
}

export function UserPage(p: {
  page: PageContext;
  user: AdminUserJson;
  grantRole?: Role;
  organizations?: OrganizationJson[];
  grantErrors?: FormErrors;
  statusError?: string;
}) {
  const { t, locale } = p.page;
  const u = p.user;
  const base = `/admin/pengguna/${u.id}`;
  const grantErrors = p.grantErrors ?? {};
  const kind = p.grantRole ? ROLE_ORGANIZATION_KIND[p.grantRole] : null;
  const self = p.page.ctx.user?.id === u.id;
  return (
    <Layout page={p.page} title={u.name}>
      <p>
        <a href="/admin/pengguna">{escapeHtml(t('accounts.admin.user.backToList'))}</a>
      </p>
      <PageHeader title={u.name} actions={<StatusBadge page={p.page} status={u.status} />} />
      <ErrorSummary t={t} errors={{ ...grantErrors, ...(p.statusError ? { status: p.statusError } : {}) }} />
      <Card>
        <dl class="details">
          <dt>{escapeHtml(t('accounts.admin.user.contact'))}</dt>
          <dd>{escapeHtml([u.email, u.phone].filter(Boolean).join(' · '))}</dd>
          <dt>{escapeHtml(t('accounts.admin.user.created'))}</dt>
          <dd>{escapeHtml(formatDateTime(new Date(u.createdAt), locale))}</dd>
          <dt>{escapeHtml(t('accounts.admin.user.lastLogin'))}</dt>
          <dd>{escapeHtml(u.lastLoginAt ? formatDateTime(new Date(u.lastLoginAt), locale) : t('accounts.admin.user.never'))}</dd>
        </dl>
        <p>
          <a href={`/admin/audit?entityType=user&entityId=${u.id}`}>{escapeHtml(t('accounts.admin.user.viewAudit'))}</a>
        </p>
      </Card>

      <h2>{escapeHtml(t('accounts.admin.user.rolesTitle'))}</h2>
      <DataTable<AdminUserJson['roles'][number]>
        t={t}
        caption={t('accounts.admin.user.rolesCaption')}
        baseUrl={base}
        query={{}}
        rows={u.roles}
        emptyState={<EmptyState title={t('accounts.admin.user.noRoles')} body={t('accounts.admin.user.noRolesBody')} />}
        columns={[
          { key: 'role', label: t('accounts.admin.user.colRole'), render: (g) => escapeHtml(t(roleKey(g.role))) },
          {
            key: 'organization',
            label: t('accounts.admin.user.colOrganization'),
            render: (g) => escapeHtml(g.organizationName ?? t('common.none')),
          },
          { key: 'since', label: t('accounts.admin.user.colSince'), render: (g) => escapeHtml(formatDate(new Date(g.createdAt), locale)) },
          {
            key: 'actions',
            label: t('common.actions'),
            render: (g) =>
              self && g.role === 'admin' ? (
                ''
              ) : (
                <a href={`${base}/peran/${g.id}/cabut`} class="btn btn-secondary btn-small">
                  {escapeHtml(t('accounts.admin.user.revoke'))}
                  <span class="visually-hidden">{escapeHtml(`: ${roleText(p.page, g)}`)}</span>
                </a>
              ),
          },
        ]}
      />

      <Card title={t('accounts.admin.user.grantTitle')}>
        {p.grantRole && (kind === null || (p.organizations && p.organizations.length > 0)) ? (
          <Form action={`${base}/peran`} csrfToken={p.page.csrfToken}>
            <input type="hidden" name="role" value={p.grantRole} />
            <p>
              <strong>{escapeHtml(t(roleKey(p.grantRole)))}</strong>
            </p>
            {kind ? (
              <SelectField
                name="organizationId"
                label={t('accounts.admin.user.grantOrganization', { kind: t(kindKey(kind)) })}
                error={grantErrors.organizationId}
                options={(p.organizations ?? []).map((o) => ({ value: o.id, label: o.name }))}
                required
              />
            ) : (
              ''
            )}
            <div class="form-actions">
              <Button>{escapeHtml(t('accounts.admin.user.grant'))}</Button>
              <LinkButton href={base} variant="secondary">
                {escapeHtml(t('common.cancel'))}
              </LinkButton>
            </div>
          </Form>
        ) : (
          <Form action={base} method="get">
            {p.grantRole && kind ? <p>{escapeHtml(t('accounts.admin.user.noOrganizations', { kind: t(kindKey(kind)) }))}</p> : ''}
            <SelectField
              name="grantRole"
              label={t('accounts.admin.user.grantRole')}
              value={p.grantRole}
              error={grantErrors.role}
              options={ROLES.map((r) => ({
                value: r,
                label: isOrgRole(r) ? `${t(roleKey(r))} (${t(kindKey(ROLE_ORGANIZATION_KIND[r] as OrganizationKind))})` : t(roleKey(r)),
              }))}
              required
            />
            <div class="form-actions">
              <Button variant="secondary">{escapeHtml(t('accounts.admin.user.chooseRole'))}</Button>
            </div>
          </Form>
        )}
      </Card>

      <Card title={t('accounts.admin.user.accountTitle')}>
        {u.status === 'active' ? (
          self ? (
            <p class="muted">{escapeHtml(t('accounts.cannotDisableSelf'))}</p>
          ) : (
            <LinkButton href={`${base}/nonaktifkan`} variant="danger">
              {escapeHtml(t('accounts.admin.user.disable'))}
            </LinkButton>
          )
        ) : (
          <Form action={`${base}/aktifkan`} csrfToken={p.page.csrfToken}>
            <Button>{escapeHtml(t('accounts.admin.user.enable'))}</Button>
          </Form>
        )}
      </Card>
    </Layout>
  );
}

function Json(p: { label: string; value: unknown }) {
  if (p.value === null || p.value === undefined) return '';
  return (
    <div>
      <strong>{escapeHtml(p.label)}</strong>
      <pre>{escapeHtml(JSON.stringify(p.value, null, 1))}</pre>
    </div>
  );
}

export function AuditPage(p: {
  page: PageContext;
  query: Query;
  result: { items: AuditJson[]; total: number; page: number; pageSize: number };
  errors?: FormErrors;
}) {
  const { t, locale } = p.page;
  const errors = p.errors ?? {};
  return (
    <Layout page={p.page} title={t('accounts.audit.title')}>
      <PageHeader title={t('accounts.audit.title')} subtitle={t('accounts.audit.subtitle')} />
      <ErrorSummary t={t} errors={errors} />
      <Form action="/admin/audit" method="get" class="filters">
        <TextField
          name="entityType"
          label={t('accounts.audit.entityType')}
          value={p.query.entityType}
          error={errors.entityType}
          maxlength={60}
        />
        <TextField name="entityId" label={t('accounts.audit.entityId')} value={p.query.entityId} error={errors.entityId} maxlength={100} />
        <TextField name="actor" label={t('accounts.audit.actor')} value={p.query.actor} error={errors.actor} maxlength={36} />
        <TextField name="from" type="date" label={t('accounts.audit.from')} value={p.query.from} error={errors.from} />
        <TextField name="to" type="date" label={t('accounts.audit.to')} value={p.query.to} error={errors.to} />
        <div class="filter-actions">
          <Button>{escapeHtml(t('common.filter'))}</Button>
          <LinkButton href="/admin/audit" variant="secondary">
            {escapeHtml(t('common.reset'))}
          </LinkButton>
        </div>
      </Form>
      <DataTable<AuditJson>
        t={t}
        caption={t('accounts.audit.caption')}
        baseUrl="/admin/audit"
        query={p.query}
        rows={p.result.items}
        emptyState={<EmptyState title={t('accounts.audit.emptyTitle')} body={t('accounts.audit.emptyBody')} />}
        columns={[
          { key: 'at', label: t('accounts.audit.colAt'), render: (a) => escapeHtml(formatDateTime(new Date(a.at), locale)) },
          {
            key: 'actor',
            label: t('accounts.audit.colActor'),
            render: (a) =>
              a.actorId ? (
                <a href={`/admin/pengguna/${a.actorId}`} safe>
                  {a.actorName ?? a.actorId}
                </a>
              ) : (
                escapeHtml(t('accounts.audit.system'))
              ),
          },
          { key: 'action', label: t('accounts.audit.colAction'), render: (a) => <code safe>{a.action}</code> },
          {
            key: 'entity',
            label: t('accounts.audit.colEntity'),
            render: (a) =>
              a.entityType === 'user' && a.entityId ? (
                <a href={`/admin/pengguna/${a.entityId}`} safe>
                  {`${a.entityType} ${a.entityId}`}
                </a>
              ) : (
                escapeHtml(`${a.entityType}${a.entityId ? ` ${a.entityId}` : ''}`)
              ),
          },
          {
            key: 'changes',
            label: t('accounts.audit.colChanges'),
            render: (a) => (
              <>
                <Json label={t('accounts.audit.before')} value={a.before} />
                <Json label={t('accounts.audit.after')} value={a.after} />
              </>
            ),
          },
        ]}
      />
      <Pagination
        t={t}
        locale={locale}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        baseUrl="/admin/audit"
        query={p.query}
      />
    </Layout>
  );
}
