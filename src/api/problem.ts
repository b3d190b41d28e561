import Type from 'typebox'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { StringEnum } from '../domain/common.ts'
import { ERROR_CATALOGUE, type ErrorCode, type FieldError, TaskbbsError } from '../domain/errors.ts'
import { isDatabaseUnavailable } from '../store/pool.ts'
import { toFieldErrors } from './validation.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** RFC 9457 problem details, with taskbbs's stable `code` and, for validation, every bad field. */
export const Problem = Type.Object({
  type: Type.String({ description: 'URI naming the problem type: `urn:taskbbs:problem:CODE`.' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: StringEnum(Object.keys(ERROR_CATALOGUE), { description: 'Stable machine-readable code.' }),
  instance: Type.Optional(Type.String({ description: 'The request path.' })),
  request_id: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({
    field: Type.String({ description: 'Dotted path of the field, [i] for array items.' }),
    message: Type.String()
  }, { additionalProperties: false })))
}, { $id: 'Problem', additionalProperties: false })

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  instance?: string
  request_id?: string
  errors?: FieldError[]
}

/**
 * Field errors listed in one answer. A 1 MiB body can hold 300,000 wrong array
 * items; listing each made a 20 MB answer to it. The first ones name the
 * problem well enough, and the detail says how many more there were.
 */
export const MAX_REPORTED_ERRORS = 100

export function problemOf (code: ErrorCode, detail: string, errors?: FieldError[]): ProblemBody {
  const { status, title } = ERROR_CATALOGUE[code]
  if (errors && errors.length > MAX_REPORTED_ERRORS) {
    const more = errors.length - MAX_REPORTED_ERRORS
    errors = errors.slice(0, MAX_REPORTED_ERRORS)
    detail = `${errors.map(e => `${e.field}: ${e.message}`).join('; ')}; and ${more} more errors`
  }
  return { type: `urn:taskbbs:problem:${code}`, title, status, detail, code, ...(errors ? { errors } : {}) }
}

export function sendProblem (reply: FastifyReply, request: FastifyRequest, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE)
    .send({ ...body, instance: request.url.split('?')[0], request_id: String(request.id) })
}

// fastify's own errors, by the code it gives them, and what we call them.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST'
}

/** Maps any error to problem+json. Unknown errors are logged and become a 500 that reveals nothing. */
export function toProblem (err: FastifyError | TaskbbsError | Error): ProblemBody {
  if (err instanceof TaskbbsError) return problemOf(err.code, err.message, err.errors)
  const fe = err as FastifyError
  if (fe.validation) {
    const errors = toFieldErrors(fe.validation as never, fe.validationContext ?? 'body')
    return problemOf('VALIDATION_FAILED', errors.map(e => `${e.field}: ${e.message}`).join('; '), errors)
  }
  if (fe.code && FASTIFY_CODES[fe.code]) return problemOf(FASTIFY_CODES[fe.code], fe.message)
  if (fe.statusCode === 429) return problemOf('RATE_LIMITED', fe.message)
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return problemOf('BAD_REQUEST', fe.message)
  // The database is down or restarting: the request may succeed shortly, so say so (503), not "we failed" (500).
  if (isDatabaseUnavailable(err)) return problemOf('SERVICE_UNAVAILABLE', 'the database cannot be reached right now; retry shortly')
  return problemOf('INTERNAL', 'the server failed to answer this request; it has been logged')
}

/** Longest path parameter the router reads; longer ones never reach a route (see frameworkProblem). */
export const MAX_PARAM_LENGTH = 1024

/**
 * Errors the router raises before any route or error handler runs: a path
 * segment that is not valid percent-encoding, or one longer than
 * MAX_PARAM_LENGTH. Without this fastify answers them with its own JSON
 * (a 414 for the second), which is not problem+json and is in no route's
 * documented answers. A parameter that long is refused like one over its
 * schema's maxLength: 422 naming the path parameters.
 */
export function frameworkProblem (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? problemOf('VALIDATION_FAILED', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
      [{ field: 'params', message: `must not be longer than ${MAX_PARAM_LENGTH} characters` }])
    : problemOf('BAD_REQUEST', 'the request path is not valid: a segment is not valid percent-encoding')
  return sendProblem(reply, request, body)
}

const CLIENT_ERROR_DETAIL: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'the request headers are larger than this server reads',
  ERR_HTTP_REQUEST_TIMEOUT: 'the request did not arrive in time'
}

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers,
 * headers too large, a body framed two ways, too slow) never become a fastify
 * request. fastify's default answers them with its own JSON; this one answers
 * problem+json like every other refusal, 400 BAD_REQUEST, and closes.
 */
export function clientErrorProblem (err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  if (socket.writable) {
    const detail = CLIENT_ERROR_DETAIL[err.code ?? ''] ?? 'the request is not valid HTTP/1.1'
    const body = JSON.stringify(problemOf('BAD_REQUEST', detail))
    socket.write(`HTTP/1.1 400 Bad Request\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

export function registerProblemHandlers (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const body = toProblem(err)
    if (body.code === 'SERVICE_UNAVAILABLE') {
      request.log.warn({ err: { message: err.message, code: err.code } }, 'request refused: the database is unavailable')
      reply.header('retry-after', '1')
    } else if (body.status >= 500) request.log.error({ err }, 'request failed')
    return sendProblem(reply, request, body)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, problemOf('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; see /docs`)))
}
