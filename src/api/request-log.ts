import type { FastifyInstance, FastifyRequest } from 'fastify'

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

// Query parameters whose values never reach a log line: a client that puts its
// token (or any secret) in the URL must not leak it into the request log.
const SECRET_QUERY = /^(access_?token|token|api_?key|key|password|passwd|secret|signature|sig|auth|authorization|credentials?)$/i

/** The URL as logged: values of secret-looking query parameters replaced by [Redacted]. */
export function redactUrl (url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = url.slice(q + 1).split('&').map(p => {
    const eq = p.indexOf('=')
    let name = eq < 0 ? p : p.slice(0, eq)
    try { name = decodeURIComponent(name.replace(/\+/g, ' ')) } catch {}
    return eq >= 0 && SECRET_QUERY.test(name.replace(/\[.*$/, '')) ? `${p.slice(0, eq)}=[Redacted]` : p
  })
  return `${url.slice(0, q + 1)}${params.join('&')}`
}

/** fastify's request serializer with the URL redacted (redactUrl). */
export const LOG_SERIALIZERS = {
  req (req: FastifyRequest) {
    const version = req.headers['accept-version']
    return {
      method: req.method,
      url: redactUrl(req.url),
      version: typeof version === 'string' ? version : undefined,
      host: req.host,
      remoteAddress: req.ip,
      remotePort: req.socket?.remotePort
    }
  }
}

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
