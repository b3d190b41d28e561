import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { CALLBACK_WEBHOOK } from '../callbacks/payload.ts'
import type { FastifyInstance } from 'fastify'

export const API_INFO = {
  title: 'taskbbs',
  version: '0.1.0',
  description: 'Run one-off container tasks behind a small, strict HTTP API modeled on the Cloud Foundry Diego BBS task API. ' +
    'Errors are RFC 9457 problem+json with a stable `code`.'
}

interface OpenApiPaths { paths?: Record<string, Record<string, { parameters?: Array<{ in: string, name: string }> }>> }

/**
 * A route's `::` is a literal colon (TES's `/tasks/{id}:cancel`), but
 * @fastify/swagger writes the word after it as a parameter (`{id}:{cancel}`).
 * A `{name}` that no operation of the path declares is turned back into text.
 */
export function literalColons<T extends OpenApiPaths> (doc: T): T {
  if (!doc.paths) return doc
  const paths: NonNullable<OpenApiPaths['paths']> = {}
  for (const [path, item] of Object.entries(doc.paths)) {
    const declared = new Set(Object.values(item).flatMap(op => (op.parameters ?? []).filter(p => p.in === 'path').map(p => p.name)))
    paths[path.replace(/:\{(\w+)\}/g, (m, name: string) => declared.has(name) ? m : `:${name}`)] = item
  }
  return { ...doc, paths }
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
      webhooks: CALLBACK_WEBHOOK,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A token from the operator\'s TASKBBS_TOKENS. Each token has a role (read, write, admin) and a set of domains; ' +
              'tasks of other domains answer 404 as if absent. /healthz, /readyz and this document need no token.'
          }
        }
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'tasks', description: 'Desire, read, cancel and resolve tasks.' },
        { name: 'events', description: 'Server-sent events of task changes.' },
        { name: 'operations', description: 'Health, readiness and metrics.' },
        { name: 'tes', description: 'GA4GH Task Execution Service 1.1 under /ga4gh/tes/v1, for workflow engines and py-tes.' }
      ]
    },
    transformObject: (documentObject) => literalColons((documentObject as { openapiObject: OpenApiPaths }).openapiObject) as never,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String((json as { $id?: string }).$id ?? `def-${i}`)
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger())
}
