import type { FastifyInstance } from 'fastify';
import { catalogueModule } from './catalogue-web.js';
import { discoveryModule } from './discovery-web.js';
import { ordersModule } from './orders-web.js';
import { publicMarketModule } from './public-web.js';

/**
 * Marketplace (issue 4). Each marketplace part registers its routes here, one line each
 * (catalogue, orders, discovery). Tables: migration 0009_marketplace (tables.ts) and
 * 0010_marketplace_orders (orders-tables.ts).
 */
export async function marketplaceModule(app: FastifyInstance) {
  await catalogueModule(app);
  await ordersModule(app);
  await discoveryModule(app);
  await publicMarketModule(app);
}
