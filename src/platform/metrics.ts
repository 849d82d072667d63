import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { resolveSession } from './auth/sessions.js';
import { hasRole } from './context.js';
import { notFound } from './errors.js';

const JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
const LOCAL_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Prometheus metrics for one app instance (its own registry, so tests can build many apps):
 * process metrics, HTTP requests by method, route pattern and status, jobs by status and the
 * outbox backlog (both counted when scraped). Served at GET /metrics to localhost and admins only.
 */
export function installMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'nl_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nl_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const db = () => app.deps.db.db;
  new Gauge({
    name: 'nl_jobs',
    help: 'Background jobs in the jobs table, by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const r = await sql<{ status: string; n: number }>`select status, count(*)::int as n from jobs group by status`.execute(db());
      for (const s of JOB_STATUSES) this.set({ status: s }, r.rows.find((x) => x.status === s)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'nl_outbox_messages',
    help: 'Outbox messages, by delivery status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const r = await sql<{ status: string; n: number }>`select status, count(*)::int as n from outbox_messages group by status`.execute(
        db(),
      );
      for (const s of OUTBOX_STATUSES) this.set({ status: s }, r.rows.find((x) => x.status === s)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'nl_outbox_pending_messages',
    help: 'Outbox messages waiting to be delivered',
    registers: [registry],
    async collect() {
      const r = await sql<{ n: number }>`select count(*)::int as n from outbox_messages where status = 'pending'`.execute(db());
      this.set(r.rows[0]?.n ?? 0);
    },
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    // The route pattern (/api/v1/umkm/:id), never the raw URL: unknown paths share one label.
    const route = req.routeOptions?.url ?? '(unmatched)';
    if (route === '/metrics') return;
    const labels = { method: req.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    if (!(await mayReadMetrics(app, req))) throw notFound();
    return reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics());
  });

  return registry;
}

/** Localhost (the scraper on the same machine) or an admin (session cookie or bearer token). */
async function mayReadMetrics(app: FastifyInstance, req: FastifyRequest): Promise<boolean> {
  if (LOCAL_ADDRESSES.has(req.ip)) return true;
  if (hasRole(req.ctx, 'admin')) return true;
  const auth = req.headers.authorization;
  if (!req.ctx.user && auth?.startsWith('Bearer ')) {
    const user = await resolveSession(app.deps.db.db, auth.slice(7).trim(), 'api');
    return hasRole({ user }, 'admin');
  }
  return false;
}
