import type { FastifyInstance } from 'fastify';
import { booksApi } from './api.js';

/**
 * Cooperative books (issue 5): members, simpanan pokok/wajib/sukarela, double-entry journal with
 * approval and reversal, monthly periods, sukarela interest and reports. JSON API only for now;
 * the web pages and PDF/XLSX reports come later.
 */
export async function booksModule(app: FastifyInstance) {
  await booksApi(app);
}
