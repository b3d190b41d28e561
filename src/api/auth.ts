import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { type Grant, type Role, tokenDigest } from '../config/tokens.ts'
import { ForbiddenError, TaskNotFoundError } from '../domain/errors.ts'
import { taskDomain } from '../store/scope.ts'
import { problemOf, sendProblem } from './problem.ts'
import { problems } from './responses.ts'

/**
 * Who may call a route: anyone, or a bearer token of at least this role.
 * Routes say so in `config.access`; without it, GET and HEAD need `read` and
 * every other method `write`, so a new route is never public by accident.
 */
export type Access = 'public' | Role

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    /** The caller's token; set on every non-public route. */
    grant?: Grant
  }
}

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 }

/** With authentication off (development, no tokens): every route, every domain. */
const DEVELOPMENT_GRANT: Grant = { name: 'development (authentication off)', role: 'admin', domains: '*', digest: Buffer.alloc(32) }

/** Checks presented tokens against the configured ones, in time independent of which (if any) matches. */
export class Authenticator {
  private readonly grants: readonly Grant[]

  constructor (grants: readonly Grant[]) {
    if (grants.length === 0) throw new Error('an Authenticator needs at least one token')
    this.grants = grants
  }

  verify (token: string): Grant | undefined {
    // Digests have one length, so timingSafeEqual applies; every grant is
    // compared, so the time does not tell which entry matched.
    const digest = tokenDigest(token)
    let found: Grant | undefined
    for (const g of this.grants) {
      if (timingSafeEqual(g.digest, digest)) found ??= g
    }
    return found
  }
}

function accessOf (method: string, config: { access?: Access } | undefined): Access {
  return config?.access ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write')
}

function challenge (reply: FastifyReply, request: FastifyRequest, detail: string, invalid: boolean): FastifyReply {
  reply.header('www-authenticate', `Bearer realm="taskbbs"${invalid ? ', error="invalid_token"' : ''}`)
  return sendProblem(reply, request, problemOf('UNAUTHORIZED', detail))
}

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i

/**
 * Installs authentication: every route gets its access level and its 401/403
 * answers in the OpenAPI document; every request to a non-public route must
 * carry a bearer token of a sufficient role. Register before any route.
 * `authenticator` undefined turns checking off (every caller is admin).
 */
export function registerAuth (app: FastifyInstance, deps: { authenticator: Authenticator | undefined, pool: pg.Pool }): void {
  const { authenticator } = deps
  app.decorateRequest('grant', undefined)

  app.addHook('onRoute', (route) => {
    const method = Array.isArray(route.method) ? route.method[0] : route.method
    // Swagger UI's own pages and assets are as public as /openapi.json.
    const access = route.url.startsWith('/docs') ? 'public' : accessOf(method, route.config)
    route.config = { ...route.config, access }
    if (!route.schema || route.schema.hide) return
    if (access === 'public') {
      route.schema = { ...route.schema, security: [] } as typeof route.schema
      return
    }
    const response = { ...(route.schema.response as Record<string, unknown> | undefined) }
    const extra = problems('UNAUTHORIZED', ...(access === 'read' ? [] : ['FORBIDDEN' as const]))
    for (const [status, entry] of Object.entries(extra)) if (!(status in response)) response[status] = entry
    route.schema = { ...route.schema, response }
  })

  app.addHook('onRequest', async (request, reply) => {
    const access = accessOf(request.method, request.routeOptions.config)
    // An unknown route answers 404 to anyone: nothing there to protect. BBS
    // routes identify their callers themselves (src/bbs), by client certificate.
    if (access === 'public' || request.routeOptions.url === undefined || request.routeOptions.config?.bbs) return
    let grant = DEVELOPMENT_GRANT
    if (authenticator) {
      const header = request.headers.authorization
      if (!header) return challenge(reply, request, 'this route needs an Authorization: Bearer <token> header', false)
      const m = BEARER.exec(header)
      const found = m ? authenticator.verify(m[1]) : undefined
      if (!found) return challenge(reply, request, 'the bearer token is not valid', true)
      grant = found
    }
    request.grant = grant
    if (authenticator) reply.log = request.log = request.log.child({ token_name: grant.name })
    if (RANK[grant.role] < RANK[access]) {
      return sendProblem(reply, request, problemOf('FORBIDDEN', `this token has the ${grant.role} role; ${request.method} ${request.routeOptions.url} needs ${access}`))
    }
  })

  // A net under every /v1/tasks/{guid}… route, present and future: another
  // domain's task answers 404 as if absent. Routes that change a task check
  // again atomically (store/scope.ts); this read alone could race a re-desire.
  app.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url
    const guid = (request.params as { guid?: unknown } | undefined)?.guid
    if (!url?.startsWith('/v1/tasks/:guid') || typeof guid !== 'string') return
    const scope = scopeOf(request)
    if (scope === undefined) return
    const domain = await taskDomain(deps.pool, guid)
    if (domain !== undefined && !scope.includes(domain)) throw new TaskNotFoundError(guid)
  })
}

/**
 * The domains the caller may see, for filtering queries: undefined for every
 * domain. A request without a grant (a route wrongly left public) sees none.
 */
export function scopeOf (request: FastifyRequest): readonly string[] | undefined {
  const g = request.grant
  if (!g) return []
  return g.domains === '*' ? undefined : g.domains
}

export function inScope (request: FastifyRequest, domain: string): boolean {
  const scope = scopeOf(request)
  return scope === undefined || scope.includes(domain)
}

/**
 * Desiring into a domain the token does not cover is 403, not 404: the client
 * named the domain itself, so the answer reveals nothing about other tenants,
 * and "forbidden" tells the operator what to fix.
 */
export function requireDomain (request: FastifyRequest, domain: string): void {
  if (!inScope(request, domain)) throw new ForbiddenError(`this token may not use domain ${JSON.stringify(domain)}`)
}
