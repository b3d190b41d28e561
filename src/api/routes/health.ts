import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { ping } from '../../store/pool.ts'
import { problemOf, sendProblem } from '../problem.ts'
import { json, problems } from '../responses.ts'

export interface HealthDeps {
  pool: pg.Pool
  /** False while the process drains before exit. */
  accepting: () => boolean
}

const Status = Type.Object({ status: Type.String() })

export function healthRoutes (deps: HealthDeps) {
  return async function (app: FastifyInstance) {
    app.get('/healthz', {
      config: { access: 'public' },
      schema: { operationId: 'health', summary: 'Liveness', tags: ['operations'], response: { 200: json('The process is alive.', Status) } }
    }, async () => ({ status: 'ok' }))

    app.get('/readyz', {
      config: { access: 'public' },
      schema: {
        operationId: 'ready',
        summary: 'Readiness: the database answers and the process is not draining',
        tags: ['operations'],
        response: { 200: json('Ready for traffic.', Status), ...problems('SERVICE_UNAVAILABLE') }
      }
    }, async (request, reply) => {
      if (!deps.accepting()) return sendProblem(reply, request, problemOf('SERVICE_UNAVAILABLE', 'the server is shutting down'))
      if (!await ping(deps.pool)) return sendProblem(reply, request, problemOf('SERVICE_UNAVAILABLE', 'the database does not answer; check DATABASE_URL and that PostgreSQL is up'))
      return { status: 'ready' }
    })
  }
}
