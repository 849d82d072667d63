import type { FastifyInstance } from 'fastify';
import { homeFacts } from './service.js';
import { HomePage } from './views/home.js';

const ROBOTS_TXT = ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /akun', 'Disallow: /dasbor', 'Disallow: /api/', ''].join(
  '\n',
);

/** The public home page and robots.txt. */
export async function homeModule(app: FastifyInstance) {
  app.nav.add({ href: '/', label: 'nav.home', audience: 'public', order: 0 });
  const regionFacts = homeFacts(app.deps.db.db);

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const regions = await regionFacts();
    return reply.type('text/html; charset=utf-8').send(HomePage({ page: req.page(reply), regions }));
  });

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(ROBOTS_TXT);
  });
}
