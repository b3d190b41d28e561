import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export const API_INFO = {
  title: 'taskbbs',
  version: '0.1.0',
  description: 'Run one-off container tasks behind a small, strict HTTP API modeled on the Cloud Foundry Diego BBS task API. ' +
    'Errors are RFC 9457 problem+json with a stable `code`.'
}

/**
 * OpenAPI 3.1 from the routes' TypeBox schemas. Shared schemas keep their $id as
 * their component name, so generated clients get `Task`, `TaskDefinition`,
 * `Action`… rather than `def-0`.
 */
export async function registerOpenApi (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: API_INFO,
      tags: [
        { name: 'tasks', description: 'Desire, read, cancel and resolve tasks.' },
        { name: 'operations', description: 'Health and readiness.' }
      ]
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String((json as { $id?: string }).$id ?? `def-${i}`)
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
