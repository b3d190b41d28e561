import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type pg from 'pg'
import { API_SCHEMAS } from '../api/schemas.ts'
import type { FieldError } from '../domain/errors.ts'
import type { TaskDefinition } from '../domain/task-definition.ts'
import type { DefinitionPolicy } from '../domain/validate.ts'
import { type RateLimitSettings, registerRateLimit } from '../api/rate-limit.ts'
import { registerRequestLog } from '../api/request-log.ts'
import { registerHttpMetrics } from '../api/http-metrics.ts'
import { bodyValidator } from '../api/validation.ts'
import { EventHub } from '../events/hub.ts'
import { type BbsClient, certificateIdentity } from './clients.ts'
import { bbsRoutes } from './routes.ts'

export interface BbsListenerOptions {
  pool: pg.Pool
  policy: DefinitionPolicy
  bodyLimit: number
  unsupported?: (definition: TaskDefinition) => FieldError[]
  /** PEM files: server certificate and key, and the CA that signs client certificates. */
  tls: { certFile: string, keyFile: string, caFile: string }
  clients: readonly BbsClient[]
  logger?: FastifyServerOptions['logger']
  rateLimit?: RateLimitSettings
  events: { databaseUrl: string, heartbeatMs: number, pollIntervalMs?: number }
  requestTimeoutMs?: number
}

/**
 * The production BBS listener, as the real BBS serves it: HTTPS that requires
 * a client certificate signed by the configured client CA (the handshake
 * fails without one), and only the BBS routes. Anything else is a plain 404,
 * as BBS's router answers an unknown route.
 */
export async function buildBbsApp (o: BbsListenerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: o.bodyLimit,
    requestTimeout: o.requestTimeoutMs ?? 60_000,
    https: {
      cert: readFileSync(o.tls.certFile),
      key: readFileSync(o.tls.keyFile),
      ca: readFileSync(o.tls.caFile),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2'
    }
  })
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n'))
  // Caller = certificate name (the grant the BBS routes set), so one client's burst cannot starve the others.
  await registerRateLimit(app, o.rateLimit, true)
  registerRequestLog(app)
  registerHttpMetrics(app)
  const hub = new EventHub({ pool: o.pool, databaseUrl: o.events.databaseUrl, ...(o.events.pollIntervalMs ? { pollIntervalMs: o.events.pollIntervalMs } : {}), log: app.log })
  app.addHook('preClose', async () => { await hub.close() })
  await app.register(bbsRoutes({
    pool: o.pool,
    policy: o.policy,
    unsupported: o.unsupported ?? (() => []),
    schemaErrors: bodyValidator(API_SCHEMAS, 'TaskDefinition'),
    hub,
    heartbeatMs: o.events.heartbeatMs,
    identify: certificateIdentity(o.clients)
  }))
  return app
}
