import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type pg from 'pg'
import { ActionSchema } from './domain/action.ts'
import { Task, TaskList, TaskStateSchema } from './domain/task.ts'
import { TaskDefinition } from './domain/task-definition.ts'
import type { DefinitionPolicy } from './domain/validate.ts'
import type { FieldError } from './domain/errors.ts'
import { parseJsonBody } from './api/json-body.ts'
import { registerOpenApi } from './api/openapi.ts'
import { Problem, registerProblemHandlers } from './api/problem.ts'
import { healthRoutes } from './api/routes/health.ts'
import { LogPage, logRoutes } from './api/routes/logs.ts'
import { taskRoutes } from './api/routes/tasks.ts'
import { buildValidatorCompiler } from './api/validation.ts'

export interface AppOptions {
  pool: pg.Pool
  policy: DefinitionPolicy
  bodyLimit: number
  logger?: FastifyServerOptions['logger']
  /** False while draining: /readyz then answers 503. */
  accepting?: () => boolean
  /** The executor's desire-time check: parts of a definition it cannot run. */
  unsupported?: (definition: TaskDefinition) => FieldError[]
}

/** Schemas every route may reference by $id; each becomes an OpenAPI component. */
export const SHARED_SCHEMAS = [ActionSchema, TaskStateSchema, TaskDefinition, Task, TaskList, LogPage, Problem]

export const LOG_REDACT = ['req.headers.authorization', '*.image_password', 'image_password', '*.signing_secret']

/** Builds the HTTP application without listening: tests use inject() or listen themselves. */
export async function buildApp (opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true }
  })
  for (const s of SHARED_SCHEMAS) app.addSchema(s)
  app.setValidatorCompiler(buildValidatorCompiler(SHARED_SCHEMAS))

  // Only JSON bodies, read by the strict parser (no duplicate keys, bounded depth).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try { done(null, parseJsonBody(body as string)) } catch (err) { done(err as Error, undefined) }
  })

  registerProblemHandlers(app)
  await registerOpenApi(app)
  await app.register(healthRoutes({ pool: opts.pool, accepting: opts.accepting ?? (() => true) }))
  await app.register(taskRoutes({ pool: opts.pool, policy: opts.policy, unsupported: opts.unsupported ?? (() => []) }))
  await app.register(logRoutes({ pool: opts.pool }))
  return app
}
