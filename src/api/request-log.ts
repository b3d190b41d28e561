import type { FastifyInstance } from 'fastify'

/**
 * Secrets that never reach a log line, whatever object carries them: pino
 * replaces them with "[Redacted]". Paths are pino's (one `*` = one level).
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.headers.authorization',
  'image_password', '*.image_password', '*.*.image_password', 'definition.image_password',
  'signing_secret', '*.signing_secret', 'signingKey', '*.signingKey', 'secret', '*.secret',
  'token', '*.token', '*.*.token', 'authorization', '*.authorization',
  'TASKBBS_TOKENS', '*.TASKBBS_TOKENS', 'TASKBBS_CALLBACK_SIGNING_SECRET', '*.TASKBBS_CALLBACK_SIGNING_SECRET'
]

/**
 * Every log line of a request about one task carries its guid, next to the
 * request id (reqId) fastify adds, so that one grep finds a task's story.
 */
export function registerRequestLog (app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const guid = (request.params as { guid?: unknown } | undefined)?.guid
    if (typeof guid === 'string' && guid.length <= 255) reply.log = request.log = request.log.child({ guid })
  })
}
