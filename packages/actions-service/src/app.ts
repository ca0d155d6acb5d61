/**
 * The HTTP API (Fastify 5). Request and response bodies are the zod schemas of
 * `@usage-analytics/actions`, validated here and published at `GET /openapi.json`.
 */
import swagger from '@fastify/swagger';
import { ACTIONS, ACTION_BY_KEY, Me, RegistryAgents, allowedActions } from '@usage-analytics/actions';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS, callerOf } from './actions/context.js';
import { ACTION_ROUTES } from './actions/index.js';
import { audit } from './audit.js';
import { AuthError, type Verifier } from './auth.js';
import type { Db } from './db.js';
import { HttpError } from './errors.js';
import { QuotaLimiter } from './quota-limiter.js';
import { outboxRoutes } from './outbox/routes.js';
import { listAgents } from './registry.js';
import type { UsageData } from './usage-data.js';

export interface AppOptions {
  db: Db;
  usage: UsageData;
  verify: Verifier;
  /** The clock (tests move it). */
  now?: () => Date;
  /** Origins allowed to call from a browser (CORS); default none. */
  corsOrigins?: readonly string[];
  logger?: boolean;
  /** The key the gateway sends in `x-gateway-key` to `POST /quota/check` (env GATEWAY_KEY). */
  gatewayKey?: string;
  /** The limiter's clock (ms); tests move it to a window's end. */
  limiterClock?: () => number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, usage, verify } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 256 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'usage-analytics actions service', version: '1', description: 'The actions of the Usage Analytics tab (PRD Table 3).' },
      components: { securitySchemes: { portalToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ portalToken: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return reply.status(err.status).send(err.body());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)',
        message: v.message ?? 'invalid',
      }));
      const e = new HttpError(400, 'validation', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues[0]?.field, issues);
      return reply.status(400).send(e.body());
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send(new HttpError(status, 'validation', (err as Error).message).body());
    }
    req.log.error(err);
    return reply.status(500).send({ error: { code: 'internal', message: 'the actions service failed; nothing was changed (see its log)' } });
  });

  // CORS for the portal's origins (the dialogs call from the browser).
  const origins = new Set(options.corsOrigins ?? []);
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && (origins.has(origin) || origins.has('*'))) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'origin');
      reply.header('access-control-allow-headers', 'authorization, content-type, idempotency-key');
      reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      reply.header('access-control-expose-headers', 'content-disposition, x-total-rows');
      reply.header('access-control-max-age', '600');
      if (req.method === 'OPTIONS') return reply.status(204).send();
    }
  });

  // Every /v1 call carries the portal's token; a missing one is 401, a forged or expired one 403 (audited).
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/v1/') || req.method === 'OPTIONS') return;
    const header = req.headers.authorization;
    try {
      req.caller = { actor: await verify(header) };
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      if (!header) throw new HttpError(401, 'unauthorized', e.message, 'Authorization');
      await audit(db, { actor: { userId: '(unverified token)' }, action: actionOf(req), target: null, outcome: 'denied', status: 403, reason: e.message });
      throw new HttpError(403, 'forbidden', e.message, 'Authorization');
    }
  });

  // Unknown routes (an action of the catalogue not implemented yet among them) answer in the API's error shape.
  app.setNotFoundHandler((req, reply) => {
    const spec = ACTION_BY_KEY.get(actionOf(req));
    const todo = spec && !app.hasRoute({ method: 'POST', url: `/v1/actions/${spec.key}` });
    const what = todo ? `${spec.name} (${spec.id}) is not implemented by this service yet` : `no route ${req.method} ${req.url.split('?')[0]}`;
    return reply.status(404).send(new HttpError(404, 'not_found', what).body());
  });

  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true, db: db.kind, snapshot: usage.snapshotId }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/v1/me', { schema: { summary: 'Who the token names and what they may do', response: { 200: Me, ...ERRORS } } }, async (req) => {
    const { actor } = callerOf(req);
    return { userId: actor.userId, name: actor.name, roles: actor.roles as Me['roles'], departments: actor.departments, actions: allowedActions(actor.roles) };
  });

  app.get(
    '/v1/actions',
    {
      schema: {
        summary: 'The action catalogue: roles and scope per action (PRD Table 3)',
        response: {
          200: z.array(z.object({ id: z.string(), key: z.string(), name: z.string(), priority: z.string(), roles: z.array(z.string()), scope: z.string() })),
        },
      },
    },
    async () => ACTIONS.map((a) => ({ ...a, roles: [...a.roles] })),
  );

  app.get(
    '/v1/registry/agents',
    {
      schema: {
        summary: 'The agent registry as the actions left it (read by the exporter for the next snapshot)',
        response: { 200: RegistryAgents, ...ERRORS },
      },
    },
    async () => listAgents(db),
  );

  const limiter = new QuotaLimiter(db, options.limiterClock);
  app.addHook('onClose', async () => limiter.close());
  const ctx = { db, usage, now, limiter, gatewayKey: options.gatewayKey };
  for (const routes of ACTION_ROUTES) routes(app, ctx);
  outboxRoutes(app, ctx);

  return app;
}

function actionOf(req: FastifyRequest): string {
  const m = /^\/v1\/actions\/([^/?]+)/.exec(req.url);
  return m ? decodeURIComponent(m[1]) : req.url.split('?')[0];
}
