import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { registry } from '../../metrics/registry.ts'
import { scopedExposition } from '../../metrics/scoped.ts'
import { scopeOf } from '../auth.ts'

export interface MetricsRouteDeps {
  /** This app's scrape-time gauges (tasks, pool, scheduler); see metrics/collectors.ts. */
  app: Registry
}

export function metricsRoutes (deps: MetricsRouteDeps) {
  return async function (app: FastifyInstance) {
    app.get('/metrics', {
      // Metrics name every domain with tasks: not for every tenant's token;
      // an admin token limited to some domains sees only their series.
      config: { access: 'admin' },
      schema: {
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        description: 'Prometheus text exposition: HTTP durations, tasks by state and domain, scheduler, convergence, executor, callback, event stream and database pool metrics. ' +
          'Needs an admin token; a token limited to some domains reads only the series labelled with one of its domains.',
        tags: ['operations'],
        response: { 200: { description: 'Metrics in the Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } }
      }
    }, async (request, reply) => {
      const scope = scopeOf(request)
      if (scope !== undefined) return reply.type(registry.contentType).send(await scopedExposition([registry, deps.app], scope))
      // Two expositions one after the other are one valid exposition: no
      // metric name is in both registries.
      const text = (await registry.metrics()) + (await deps.app.metrics())
      return reply.type(registry.contentType).send(text)
    })
  }
}
