import Type from 'typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { StringEnum } from '../domain/common.ts'
import { ERROR_CATALOGUE, type ErrorCode, type FieldError, TaskbbsError } from '../domain/errors.ts'
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

export function problemOf (code: ErrorCode, detail: string, errors?: FieldError[]): ProblemBody {
  const { status, title } = ERROR_CATALOGUE[code]
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
  return problemOf('INTERNAL', 'the server failed to answer this request; it has been logged')
}

export function registerProblemHandlers (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const body = toProblem(err)
    if (body.status >= 500) request.log.error({ err }, 'request failed')
    return sendProblem(reply, request, body)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, problemOf('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; see /docs`)))
}
