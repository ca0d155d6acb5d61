/** What an action's routes get from the app: the database, the snapshot, the clock, and the typed Fastify instance. */
import { ErrorBody } from '@usage-analytics/actions';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db.js';
import { HttpError } from '../errors.js';
import type { QuotaLimiter } from '../quota-limiter.js';
import type { UsageData } from '../usage-data.js';
import type { Caller } from './authorise.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface ActionContext {
  db: Db;
  usage: UsageData;
  now: () => Date;
  /** The A2.10 limiter behind `POST /quota/check` (one per app: its queues live in this process). */
  limiter: QuotaLimiter;
  /** The shared key the gateway sends in `x-gateway-key`; unset = the quota check answers 503. */
  gatewayKey?: string;
}

/** Registers one action's routes (`/v1/actions/<key>` and its preview). */
export type ActionRoutes = (app: App, ctx: ActionContext) => void;

/** The error responses every route documents. */
export const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** The verified caller of a /v1 request (set by the app's token hook). */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new HttpError(401, 'unauthorized', 'no verified caller');
  return req.caller;
}
