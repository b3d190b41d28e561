import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type pg from 'pg'
import type { TaskDefinition } from './domain/task-definition.ts'
import type { DefinitionPolicy } from './domain/validate.ts'
import type { FieldError } from './domain/errors.ts'
import { parseJsonBody } from './api/json-body.ts'
import { API_INFO, registerOpenApi } from './api/openapi.ts'
import { MAX_PARAM_LENGTH, clientErrorProblem, frameworkProblem, problemOf, registerProblemHandlers, sendProblem } from './api/problem.ts'
import { healthRoutes } from './api/routes/health.ts'
import { logRoutes } from './api/routes/logs.ts'
import { taskRoutes } from './api/routes/tasks.ts'
import { callbackRoutes } from './api/routes/callbacks.ts'
import { bodyValidator, buildValidatorCompiler } from './api/validation.ts'
import { type BbsRouteDeps, bbsRoutes } from './bbs/routes.ts'
import { type Authenticator, registerAuth } from './api/auth.ts'
import { type RateLimitSettings, registerRateLimit } from './api/rate-limit.ts'
import { registerHttpMetrics } from './api/http-metrics.ts'
import { LOG_REDACT_PATHS, registerRequestLog } from './api/request-log.ts'
import { eventRoutes } from './api/routes/events.ts'
import { metricsRoutes } from './api/routes/metrics.ts'
import { EventHub } from './events/hub.ts'
import { type SchedulerSource, appRegistry } from './metrics/collectors.ts'
import type { CallbackSource } from './metrics/callback-origins.ts'
import { uiRoutes } from './ui/route.ts'
import { type UnreadBodyLimits, registerUnreadBodyDrain } from './api/unread-body.ts'
import { TES_SCHEMAS } from './tes/schemas.ts'
import { API_SCHEMAS } from './api/schemas.ts'
import { tesRoutes } from './tes/routes.ts'

export interface AppOptions {
  pool: pg.Pool
  policy: DefinitionPolicy
  bodyLimit: number
  logger?: FastifyServerOptions['logger']
  /** False while draining: /readyz then answers 503. */
  accepting?: () => boolean
  /** Server-specific desire-time refusals (what the executor cannot run, forbidden callback URLs), each naming its field. */
  unsupported?: (definition: TaskDefinition) => FieldError[]
  /** Bearer tokens; undefined turns authentication off (server.ts allows that only in development). */
  auth?: Authenticator
  /** GET /v1/events: heartbeat period, and the LISTEN connection's URL when the pool has no connectionString. */
  events?: { heartbeatMs?: number, pollIntervalMs?: number, databaseUrl?: string }
  /** Where /metrics reads scheduler counters; absent on an API-only replica. */
  scheduler?: () => SchedulerSource | undefined
  /** Where /metrics reads per-origin callback state; absent where the callback worker is off. */
  callbacks?: () => CallbackSource | undefined
  /** A request (headers and body) not received whole in this time is answered 400 and its connection closed. Default 60 s. */
  requestTimeoutMs?: number
  /** Requests per caller (token, else address) and window; absent or max 0: no limit. */
  rateLimit?: RateLimitSettings
  /** How much of a refused request's unread body is read and discarded, and for how long, before its connection is closed. */
  unreadBody?: Partial<UnreadBodyLimits>
  /** Serve Diego BBS's protobuf routes on this app too, with this idea of who calls (the plain development listener). */
  bbs?: { identify: BbsRouteDeps['identify'] }
}

/** Schemas every route may reference by $id; each becomes an OpenAPI component. */
export const SHARED_SCHEMAS = [...API_SCHEMAS, ...TES_SCHEMAS]

export const LOG_REDACT = LOG_REDACT_PATHS

/** Builds the HTTP application without listening: tests use inject() or listen themselves. */
export async function buildApp (opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit,
    requestIdHeader: 'x-request-id',
    // While closing, the hook below answers 503 as problem+json instead of fastify's own JSON.
    return503OnClosing: false,
    // fastify's default, 0, lets a client that never finishes its body hold a connection forever.
    requestTimeout: opts.requestTimeoutMs ?? 60_000,
    // Above every parameter's own maxLength (guid: 255), so that the schema, not the router, judges length.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem
  })
  for (const s of SHARED_SCHEMAS) app.addSchema(s)
  app.setValidatorCompiler(buildValidatorCompiler(SHARED_SCHEMAS))

  // Only JSON bodies, read by the strict parser (no duplicate keys, bounded depth).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try { done(null, parseJsonBody(body as string)) } catch (err) { done(err as Error, undefined) }
  })

  registerProblemHandlers(app)
  registerUnreadBodyDrain(app, opts.unreadBody)
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onRequest', async (request, reply) => {
    // A closing process is still alive: only /healthz keeps answering.
    if (!closing || request.url === '/healthz') return
    reply.header('connection', 'close').header('retry-after', '1')
    return sendProblem(reply, request, problemOf('SERVICE_UNAVAILABLE', 'the server is shutting down; retry, another replica will answer'))
  })
  // Before any route: auth gives each route its access level as it is added.
  registerAuth(app, { authenticator: opts.auth, pool: opts.pool })
  await registerRateLimit(app, opts.rateLimit, opts.auth !== undefined)
  registerRequestLog(app)
  registerHttpMetrics(app)
  await registerOpenApi(app)
  await app.register(healthRoutes({ pool: opts.pool, accepting: opts.accepting ?? (() => true) }))
  await app.register(taskRoutes({ pool: opts.pool, policy: opts.policy, unsupported: opts.unsupported ?? (() => []) }))
  await app.register(logRoutes({ pool: opts.pool }))
  const hub = new EventHub({
    pool: opts.pool,
    databaseUrl: opts.events?.databaseUrl ?? opts.pool.options.connectionString ?? '',
    ...(opts.events?.pollIntervalMs ? { pollIntervalMs: opts.events.pollIntervalMs } : {}),
    log: app.log
  })
  const heartbeatMs = opts.events?.heartbeatMs ?? 15_000
  await app.register(eventRoutes({ hub, heartbeatMs }))
  if (opts.bbs) {
    await app.register(bbsRoutes({
      pool: opts.pool,
      policy: opts.policy,
      unsupported: opts.unsupported ?? (() => []),
      schemaErrors: bodyValidator(SHARED_SCHEMAS, 'TaskDefinition'),
      hub,
      heartbeatMs,
      identify: opts.bbs.identify
    }))
  }
  await app.register(metricsRoutes({ app: appRegistry({ pool: opts.pool, scheduler: opts.scheduler, callbacks: opts.callbacks }) }))
  await app.register(callbackRoutes({ pool: opts.pool }))
  await app.register(uiRoutes())
  // GA4GH TES 1.1 under /ga4gh/tes/v1, on the same store and scheduler (src/tes).
  await app.register(tesRoutes({ pool: opts.pool, policy: opts.policy, unsupported: opts.unsupported ?? (() => []), version: API_INFO.version }))
  return app
}
