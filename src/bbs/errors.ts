import { create } from '@bufbuild/protobuf'
import { InvalidStateTransitionError, TaskbbsError, type ErrorCode } from '../domain/errors.ts'
import type { TaskState } from '../domain/task.ts'
import { isDatabaseUnavailable } from '../store/pool.ts'
import { STATE_NAMES } from './convert.ts'
import { type Error as PbError, ErrorSchema, Error_Type } from './gen/error_pb.ts'

/**
 * taskbbs error codes as BBS error types. The BBS client compares types
 * (models.ErrResourceNotFound.Equal(err)), so these are the contract; messages
 * are taskbbs's own, more precise ones, except for state transitions, whose
 * wording clients and operators know ("Cannot transition from X to Y").
 */
const TYPES: Record<ErrorCode, Error_Type> = {
  VALIDATION_FAILED: Error_Type.InvalidRequest,
  BAD_REQUEST: Error_Type.InvalidRequest,
  UNAUTHORIZED: Error_Type.InvalidRequest,
  FORBIDDEN: Error_Type.InvalidRequest,
  NOT_FOUND: Error_Type.InvalidRequest,
  METHOD_NOT_ALLOWED: Error_Type.InvalidRequest,
  PAYLOAD_TOO_LARGE: Error_Type.InvalidRequest,
  UNSUPPORTED_MEDIA_TYPE: Error_Type.InvalidRequest,
  TASK_NOT_FOUND: Error_Type.ResourceNotFound,
  TASK_EXISTS: Error_Type.ResourceExists,
  INVALID_STATE_TRANSITION: Error_Type.InvalidStateTransition,
  RATE_LIMITED: Error_Type.UnknownError,
  INTERNAL: Error_Type.UnknownError,
  SERVICE_UNAVAILABLE: Error_Type.UnknownError
}

// fastify's own errors on these routes: a body over the limit, one cut short.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE'
}

function transitionMessage (err: InvalidStateTransitionError): string {
  // BBS refuses a delete of a task that is not RESOLVING as a transition to Resolving.
  const to = err.to === 'DELETED' ? 'Resolving' : STATE_NAMES[err.to as TaskState] ?? err.to
  return `Cannot transition from ${STATE_NAMES[err.from as TaskState] ?? err.from} to ${to}`
}

/** Any error as a BBS models.Error; `internal` is true when it is ours, not the client's, and should be logged. */
export function toBbsError (err: unknown): { error: PbError, internal: boolean } {
  if (err instanceof InvalidStateTransitionError) {
    return { error: create(ErrorSchema, { type: Error_Type.InvalidStateTransition, message: transitionMessage(err) }), internal: false }
  }
  if (err instanceof TaskbbsError) return { error: create(ErrorSchema, { type: TYPES[err.code], message: err.message }), internal: false }
  const code = (err as { code?: string }).code
  if (code && FASTIFY_CODES[code]) {
    return { error: create(ErrorSchema, { type: Error_Type.InvalidRequest, message: (err as Error).message }), internal: false }
  }
  const status = (err as { statusCode?: number }).statusCode
  if (status === 429) return { error: create(ErrorSchema, { type: Error_Type.UnknownError, message: (err as Error).message }), internal: false }
  if (status && status >= 400 && status < 500) {
    return { error: create(ErrorSchema, { type: Error_Type.InvalidRequest, message: (err as Error).message }), internal: false }
  }
  if (isDatabaseUnavailable(err)) {
    return { error: create(ErrorSchema, { type: Error_Type.UnknownError, message: 'the database cannot be reached right now; retry shortly' }), internal: false }
  }
  return { error: create(ErrorSchema, { type: Error_Type.UnknownError, message: 'internal error; the server log has the details' }), internal: true }
}
