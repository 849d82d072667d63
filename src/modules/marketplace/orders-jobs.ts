import type { FastifyInstance } from 'fastify';
import { EXPIRE_ORDERS_JOB, expireDueOrders } from './orders-service.js';

/**
 * Background work of the orders: `market.orders.expire` cancels unpaid orders whose payment time
 * (ORDER_PAYMENT_TIMEOUT_HOURS) ran out and returns their stock. Every unpaid order schedules one
 * run at its expiry time (unique per order); each run also sweeps any other order that is due, so
 * a lost job never leaves an order hanging, and drops idempotency records older than 48 hours.
 */
export function registerOrderJobs(app: FastifyInstance) {
  if (app.jobs.has(EXPIRE_ORDERS_JOB)) return;
  app.jobs.register(EXPIRE_ORDERS_JOB, async ({ db, config, log }) => {
    const cancelled = await expireDueOrders(db, { config });
    if (cancelled.length) log.info({ orders: cancelled }, 'unpaid orders cancelled (payment time ran out)');
  });
}
