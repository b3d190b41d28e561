import Type from 'typebox'
import { ERROR_CATALOGUE, type ErrorCode } from '../domain/errors.ts'
import { PROBLEM_CONTENT_TYPE } from './problem.ts'

/**
 * Response entries for a route's schema: the success body plus one
 * problem+json entry per status the route can answer with, so that the
 * OpenAPI document lists every status and its body. Every route may also
 * answer 500 and 503 (database unreachable, or the server shutting down).
 */
export function problems (...codes: ErrorCode[]): Record<number, unknown> {
  const out: Record<number, unknown> = {}
  for (const code of new Set<ErrorCode>([...codes, 'INTERNAL', 'SERVICE_UNAVAILABLE'])) {
    const { status } = ERROR_CATALOGUE[code]
    const entry = out[status] as { description: string } | undefined
    const description = entry ? `${entry.description}, ${code}` : `Problem: ${code}`
    out[status] = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: Type.Ref('Problem') } } }
  }
  return out
}

export function json (description: string, schema: unknown): unknown {
  return { description, content: { 'application/json': { schema } } }
}
