/**
 * The error catalogue. Every error the API answers with has a stable `code`
 * listed here; the API renders them once, as RFC 9457 problem+json. Codes never
 * change meaning; new ones are added, none are reused.
 */

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 422, title: 'The request is not valid' },
  BAD_REQUEST: { status: 400, title: 'The request could not be read' },
  UNAUTHORIZED: { status: 401, title: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, title: 'This token may not do that' },
  NOT_FOUND: { status: 404, title: 'No such route' },
  TASK_NOT_FOUND: { status: 404, title: 'No such task' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this route' },
  TASK_EXISTS: { status: 409, title: 'A task with this guid already exists' },
  INVALID_STATE_TRANSITION: { status: 409, title: 'The task is not in a state that allows this' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service cannot answer right now' }
} as const

export type ErrorCode = keyof typeof ERROR_CATALOGUE

export interface FieldError {
  /** Path of the offending field, dotted, with [i] for array items: `egress_rules[0].ports`. */
  field: string
  message: string
}

export class TaskbbsError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly title: string
  readonly errors?: FieldError[]

  constructor (code: ErrorCode, detail: string, errors?: FieldError[]) {
    super(detail)
    this.name = new.target.name
    this.code = code
    this.status = ERROR_CATALOGUE[code].status
    this.title = ERROR_CATALOGUE[code].title
    if (errors) this.errors = errors
  }
}

export class ValidationError extends TaskbbsError {
  constructor (errors: FieldError[]) {
    super('VALIDATION_FAILED', errors.map(e => `${e.field}: ${e.message}`).join('; '), errors)
  }
}

export class TaskExistsError extends TaskbbsError {
  constructor (guid: string) { super('TASK_EXISTS', `task ${guid} already exists; desire it under another guid`) }
}

export class TaskNotFoundError extends TaskbbsError {
  constructor (guid: string) { super('TASK_NOT_FOUND', `task ${guid} was not found`) }
}

export class InvalidStateTransitionError extends TaskbbsError {
  readonly from: string
  readonly to: string
  /** `allowed`: the states the transition starts from, named in the message so it says what would have worked. */
  constructor (guid: string, from: string, to: string, allowed?: readonly string[]) {
    super('INVALID_STATE_TRANSITION', allowed?.length
      ? `task ${guid} is ${from}; only a ${allowed.join(' or ')} task can become ${to}`
      : `task ${guid} is ${from}; it cannot become ${to}`)
    this.from = from
    this.to = to
  }
}

export class ForbiddenError extends TaskbbsError {
  constructor (detail: string) { super('FORBIDDEN', detail) }
}

export class ServiceUnavailableError extends TaskbbsError {
  constructor (detail: string) { super('SERVICE_UNAVAILABLE', detail) }
}
