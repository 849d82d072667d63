import type { FastifyInstance } from 'fastify';

/** The public home page. */
export async function homeModule(_app: FastifyInstance) {}
