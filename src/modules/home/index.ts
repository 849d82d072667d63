import type { FastifyInstance } from 'fastify';
import { homeCampaignsSection } from '../marketplace/discovery-views.js';
import { robotsTxt } from '../marketplace/seo-sitemap.js';
import { homeFacts } from './service.js';
import { HomePage } from './views/home.js';

/** The public home page and robots.txt. */
export async function homeModule(app: FastifyInstance) {
  app.nav.add({ href: '/', label: 'nav.home', audience: 'public', order: 0 });
  const regionFacts = homeFacts(app.deps.db.db);
  const ROBOTS_TXT = robotsTxt(app.deps.config.publicUrl, ['/admin', '/akun', '/dasbor']);

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const [regions, campaigns] = await Promise.all([regionFacts(), homeCampaignsSection(app.deps.db.db, req.ctx.t, req.ctx.locale)]);
    return reply.type('text/html; charset=utf-8').send(HomePage({ page: req.page(reply), regions, campaigns }));
  });

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(ROBOTS_TXT);
  });
}
