import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TaskbbsError } from '../domain/errors.ts'
import { problems } from './responses.ts'

export interface RateLimitSettings {
  /** Requests one caller may make per window; 0 turns limiting off. */
  max: number
  windowMs: number
}

/**
 * Requests per caller and window (@fastify/rate-limit, in-process: each
 * replica counts its own). The caller is the bearer token that authenticated
 * the request, so that one client's burst cannot starve the others behind the
 * same proxy; with authentication off, the client address. Public routes
 * (health, readiness, OpenAPI, docs) are never limited: probes must not be
 * refused for someone else's burst. Over the limit: 429 RATE_LIMITED with
 * Retry-After. Counted before the body is read, so a flood of large bodies is
 * refused cheaply. Register after auth (it needs each route's access level and
 * each request's grant) and before any route.
 */
export async function registerRateLimit (app: FastifyInstance, settings: RateLimitSettings | undefined, authenticated: boolean): Promise<void> {
  // Documented whether or not this server limits: an operator may turn it on.
  app.addHook('onRoute', (route) => {
    if (route.config?.access === 'public' || !route.schema || route.schema.hide) return
    const response = { ...(route.schema.response as Record<string, unknown> | undefined) }
    for (const [status, entry] of Object.entries(problems('RATE_LIMITED'))) if (!(status in response)) response[status] = entry
    route.schema = { ...route.schema, response }
  })
  if (!settings || settings.max <= 0) return
  const seconds = settings.windowMs / 1000
  const callerOf = (request: FastifyRequest) => authenticated && request.grant ? `token:${request.grant.name}` : `ip:${request.ip}`
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: settings.max,
    timeWindow: settings.windowMs,
    keyGenerator: callerOf,
    allowList: (request) => request.routeOptions.config?.access === 'public',
    errorResponseBuilder: (request, context) => new TaskbbsError('RATE_LIMITED',
      `more than ${context.max} requests in ${seconds} s from this ${callerOf(request).startsWith('token:') ? 'token' : 'address'}; retry in ${context.after}`)
  })
}
