import type { FastifyInstance } from 'fastify'
import { httpRequestDuration } from '../metrics/registry.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A response that lasts as long as the client wants (an event stream): left out of request durations. */
    longLived?: boolean
  }
}

/** Observes every answered request by its route pattern, never its raw URL, so that guids do not become label values. */
export function registerHttpMetrics (app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config?.longLived) return
    httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000)
  })
}
