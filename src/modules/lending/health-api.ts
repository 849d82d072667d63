import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GOVERNANCE_QUESTIONS, HEALTH_ASPECTS } from './health.js';
import * as svc from './health-service.js';

/**
 * JSON API of the health self-assessment (issue 6 item 7): weights per koperasi, a fiscal year's
 * indicators from the books with a preview score, saving the pengurus' governance answers as the
 * year's assessment, and the history year by year. Pengurus of the koperasi write; dinas reads;
 * anyone else gets 404. Weights or answers that break the rules → 422.
 */
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const Kop = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KopYear = Type.Object({ id: Type.String({ format: 'uuid' }), year: Type.Integer({ minimum: 1900, maximum: 9998 }) });
const tags = ['lending'];
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Weight = Type.Integer({ description: 'Whole number 0–100' });
const Weights = Type.Object({
  aspects: Type.Object(Object.fromEntries(HEALTH_ASPECTS.map((a) => [a, Weight]))),
  indicators: Type.Object(Object.fromEntries(svc.HEALTH_INDICATORS.map((k) => [k, Weight]))),
});
const WeightsOut = Type.Intersect([Weights, Type.Object({ isDefault: Type.Boolean() })]);
const Part = Type.Object({ key: Type.String(), label: N(Type.String()), amount: Type.Integer() });
const Answer = Type.Object({ questionId: Type.String(), answer: Type.Boolean(), note: N(Type.String()) });
const Assessment = Type.Object({
  id: N(Type.String()),
  koperasiId: Type.String(),
  year: Type.Integer(),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  score: Type.Number({ description: '0–100, two decimals' }),
  category: Type.String(),
  aspects: Type.Array(Type.Object({ key: Type.String(), weight: Type.Integer(), score: N(Type.Number()) })),
  indicators: Type.Array(
    Type.Object({
      key: Type.String(),
      aspect: Type.String(),
      weight: Type.Integer(),
      numerator: Type.Integer(),
      denominator: Type.Integer(),
      value: N(Type.String({ description: 'Percent, two decimals' })),
      score: N(Type.Integer()),
      numeratorParts: Type.Array(Part),
      denominatorParts: Type.Array(Part),
    }),
  ),
  governance: Type.Array(Answer),
  weights: Weights,
  assessedBy: N(Type.String()),
  assessedAt: N(Type.String()),
});
const YearOut = Type.Object({
  year: Type.Integer(),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  closed: Type.Boolean(),
  preview: Assessment,
  weights: Weights,
  assessment: N(Assessment),
});
const SaveInput = Type.Object(
  {
    governance: Type.Array(
      Type.Object({
        questionId: Type.String({ description: GOVERNANCE_QUESTIONS.join(', ') }),
        answer: Type.Boolean(),
        note: Type.Optional(N(Type.String())),
      }),
      { description: 'Every governance question answered exactly once' },
    ),
  },
  { additionalProperties: false },
);

export async function healthApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const p = (req: FastifyRequest) => req.params as { id: string; year: number };

  app.get(
    '/api/v1/koperasi/:id/health/weights',
    {
      schema: {
        tags,
        summary: 'Health assessment weights (defaults until pengurus save their own)',
        params: Kop,
        response: { 200: WeightsOut, ...errors },
      },
    },
    async (req) => svc.getHealthWeights(db(), req.ctx, p(req).id),
  );

  app.put(
    '/api/v1/koperasi/:id/health/weights',
    {
      schema: {
        tags,
        summary: 'Save the health assessment weights (aspects add up to 100; indicators of each aspect add up to 100, else 422)',
        params: Kop,
        body: Type.Object({
          aspects: Type.Record(Type.String(), Type.Any()),
          indicators: Type.Record(Type.String(), Type.Any()),
        }),
        response: { 200: WeightsOut, ...errors },
      },
    },
    async (req) =>
      svc.updateHealthWeights(
        db(),
        req.ctx,
        p(req).id,
        req.body as { aspects: Record<string, unknown>; indicators: Record<string, unknown> },
      ),
  );

  app.get(
    '/api/v1/koperasi/:id/health',
    {
      schema: {
        tags,
        summary: 'Saved health assessments year by year',
        params: Kop,
        response: {
          200: Type.Object({
            years: Type.Array(
              Type.Object({ year: Type.Integer(), score: Type.Number(), category: Type.String(), assessedAt: Type.String() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ years: await svc.healthHistory(db(), req.ctx, p(req).id) }),
  );

  app.get(
    '/api/v1/koperasi/:id/health/:year',
    {
      schema: {
        tags,
        summary: 'A fiscal year: indicators from the books (with how they were computed), a preview score and the saved assessment',
        params: KopYear,
        response: { 200: YearOut, ...errors },
      },
    },
    async (req) => svc.healthYear(db(), req.ctx, p(req).id, Number(p(req).year)),
  );

  app.post(
    '/api/v1/koperasi/:id/health/:year',
    {
      schema: {
        tags,
        summary: 'Save (or replace) the assessment of a fiscal year with the governance answers; 201 when new',
        params: KopYear,
        body: SaveInput,
        response: { 200: Assessment, 201: Assessment, ...errors },
      },
    },
    async (req, reply) => {
      const r = await svc.saveAssessment(db(), req.ctx, p(req).id, Number(p(req).year), req.body as { governance: unknown });
      return reply.status(r.created ? 201 : 200).send(r.assessment);
    },
  );
}
