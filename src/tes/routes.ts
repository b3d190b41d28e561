import { randomUUID } from 'node:crypto'
import Type from 'typebox'
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { type FieldError, InvalidStateTransitionError, TaskNotFoundError, TaskbbsError } from '../domain/errors.ts'
import { ActionSchema } from '../domain/action.ts'
import { GUID_PATTERN, TaskDefinition } from '../domain/task-definition.ts'
import { type DefinitionPolicy, definitionErrors, unstorableErrors } from '../domain/validate.ts'
import { requireDomain, scopeOf } from '../api/auth.ts'
import { problemOf, sendProblem, toProblem } from '../api/problem.ts'
import { json, problems } from '../api/responses.ts'
import { buildValidatorCompiler, toFieldErrors } from '../api/validation.ts'
import { inTaskScope } from '../store/scope.ts'
import { cancelTask } from '../store/tasks.ts'
import { getTesTask, insertTesTask, listTesTasks, readTesLogs, type TesTaskRow } from '../store/tes.ts'
import { MARKS, STARTED_MARKER } from './marks.ts'
import { TES_STATES, TES_VIEWS, type TesState, type TesTask, type TesTaskCreate, type TesView } from './schemas.ts'
import { stateCondition } from './state.ts'
import { toDefinition } from './to-definition.ts'
import { tesView } from './view.ts'

export const TES_PREFIX = '/ga4gh/tes/v1'
/** The tag that names a TES task's domain, when the caller's token does not decide it. */
export const DOMAIN_TAG = 'taskbbs.domain'
/** The domain of TES tasks from a caller that may use every domain and names none. */
export const DEFAULT_DOMAIN = 'tes'
export const MAX_PAGE_SIZE = 2047
const DEFAULT_PAGE_SIZE = 256
/**
 * FULL pages carry every task's output: 2047 tasks with logs near the writer's
 * bound would be gigabytes in one answer. TES's page_size is a most, so FULL
 * pages are shorter and next_page_token says there is more.
 */
export const MAX_FULL_PAGE_SIZE = 32

export interface TesRouteDeps {
  pool: pg.Pool
  policy: DefinitionPolicy
  unsupported: (definition: TaskDefinition) => FieldError[]
  version: string
}

/** TES answers bad input with 400; taskbbs's own routes say 422. Same problem+json, every bad field named. */
export class TesBadRequestError extends TaskbbsError {
  constructor (errors: FieldError[]) {
    super('BAD_REQUEST', errors.map(e => `${e.field}: ${e.message}`).join('; '), errors)
  }
}

const View = Type.Optional(Type.Unsafe<TesView>({ type: 'string', enum: [...TES_VIEWS], default: 'MINIMAL', description: 'MINIMAL: id and state; BASIC: all but executor stdout/stderr, input content and system logs; FULL: everything.' }))
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 255, pattern: GUID_PATTERN, description: 'The task id.' }) })
// PostgreSQL text cannot hold NUL: a filter with one could match nothing, and is refused.
const NO_NUL = '^[^\\u0000]*$'
const ListQuery = Type.Object({
  name_prefix: Type.Optional(Type.String({ maxLength: 1024, pattern: NO_NUL, description: 'Only tasks whose name starts with this.' })),
  state: Type.Optional(Type.Unsafe<TesState>({ type: 'string', enum: [...TES_STATES], description: 'Only tasks in this state.' })),
  tag_key: Type.Optional(Type.Array(Type.String({ maxLength: 255, pattern: NO_NUL }), { maxItems: 64, description: 'Tag keys, zipped with tag_value; a key without a value matches any value.' })),
  tag_value: Type.Optional(Type.Array(Type.String({ maxLength: 4096, pattern: NO_NUL }), { maxItems: 64, description: 'Tag values, in the order of tag_key.' })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Tasks per page, 1–${MAX_PAGE_SIZE}.` })),
  page_token: Type.Optional(Type.String({ maxLength: 64, description: 'next_page_token of the previous page.' })),
  view: View
}, { additionalProperties: false })
const ViewQuery = Type.Object({ view: View }, { additionalProperties: false })

const TOKEN = /^tes1:(\d{1,18})$/
const encodeToken = (id: string) => Buffer.from(`tes1:${id}`).toString('base64url')
function decodeToken (token: string): string {
  const m = TOKEN.exec(Buffer.from(token, 'base64url').toString())
  if (!m) throw new TesBadRequestError([{ field: 'page_token', message: 'is not a token this server issued; pass next_page_token from a previous page' }])
  return m[1]
}

/**
 * The domain a TES task goes into: the `taskbbs.domain` tag when set (the
 * token must cover it, else 403), else the token's only domain; a token of
 * several domains must name one; a token of every domain (and development
 * without tokens) puts it in "tes".
 */
function domainOf (request: FastifyRequest, tags: Record<string, string> | undefined): string {
  const tagged = tags?.[DOMAIN_TAG]
  if (tagged !== undefined) {
    if (!/^[^\u0000-\u001f\u007f]{1,255}$/.test(tagged)) throw new TesBadRequestError([{ field: `tags.${DOMAIN_TAG}`, message: 'must be a domain name: 1–255 characters, no control characters' }])
    requireDomain(request, tagged)
    return tagged
  }
  const domains = request.grant?.domains
  if (domains === undefined || domains === '*') return DEFAULT_DOMAIN
  if (domains.length === 1) return domains[0]
  throw new TesBadRequestError([{ field: `tags.${DOMAIN_TAG}`, message: `is required: this token may use several domains (${domains.join(', ')}); name one` }])
}

/** Each validation error answers 400 on these routes, with its fields, as TES says; everything else as on /v1. */
function tesErrorHandler (err: FastifyError, request: FastifyRequest, reply: Parameters<typeof sendProblem>[0]) {
  let body = toProblem(err)
  if (body.code === 'VALIDATION_FAILED') body = problemOf('BAD_REQUEST', body.detail, body.errors)
  if (body.code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', '1')
  else if (body.status >= 500) request.log.error({ err }, 'request failed')
  return sendProblem(reply, request, body)
}

const TES_TAG = ['tes']

/** The schema every desire passes, applied to what the mapping made of a TES task. */
const validDefinition = buildValidatorCompiler([ActionSchema, TaskDefinition])({ schema: { $ref: 'TaskDefinition' }, httpPart: 'body', method: 'POST', url: '' }) as
  ((data: unknown) => boolean) & { errors?: Parameters<typeof toFieldErrors>[0] | null }

function definitionSchemaErrors (def: TaskDefinition): FieldError[] {
  return validDefinition(def) ? [] : toFieldErrors(validDefinition.errors ?? [], 'body')
}

export function tesRoutes (deps: TesRouteDeps) {
  const { pool, policy, unsupported } = deps

  async function render (rows: TesTaskRow[], view: TesView): Promise<TesTask[]> {
    const logs = view === 'MINIMAL' ? new Map() : await readTesLogs(pool, rows.filter(r => r.task.state !== 'PENDING').map(r => r.task.guid), view === 'FULL', MARKS.outputSourcePrefix)
    return rows.map(r => tesView(r, logs.get(r.task.guid) ?? [], view))
  }

  return async function (app: FastifyInstance) {
    app.setErrorHandler(tesErrorHandler)
    // A query key given once arrives as a string; TES's tag_key and tag_value are arrays.
    app.addHook('preValidation', async (request) => {
      const q = request.query as Record<string, unknown> | undefined
      if (!q) return
      for (const k of ['tag_key', 'tag_value']) if (typeof q[k] === 'string') q[k] = [q[k]]
    })

    app.get(`${TES_PREFIX}/service-info`, {
      schema: {
        operationId: 'GetServiceInfo',
        summary: 'TES: service information',
        tags: TES_TAG,
        response: { 200: json('GA4GH service-info of the TES API.', Type.Ref('tesServiceInfo')), ...problems() }
      }
    }, async (request) => {
      // This deployment documents itself: its own API documentation page.
      const docs = `${request.protocol}://${request.host}/docs`
      return {
        id: 'io.taskbbs.tes',
        name: 'taskbbs',
        type: { group: 'org.ga4gh', artifact: 'tes', version: '1.1.0' },
        description: 'GA4GH TES 1.1 on taskbbs: tasks run as Diego tasks on Kubernetes or as local processes; see the README, "GA4GH TES".',
        organization: { name: 'taskbbs', url: docs },
        documentationUrl: docs,
        version: deps.version,
        storage: ['http://', 'https://'],
        tesResources_backend_parameters: []
      }
    })

    app.post(`${TES_PREFIX}/tasks`, {
      schema: {
        operationId: 'CreateTask',
        summary: 'TES: create a task',
        description: 'Validates the task (400 naming each bad field), stores it as a Diego task and answers its id.',
        tags: TES_TAG,
        body: Type.Ref('tesTaskCreate'),
        response: { 200: json('The new task\'s id.', Type.Ref('tesCreateTaskResponse')), ...problems('BAD_REQUEST', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE') }
      }
    }, async (request) => {
      // What the server sets is dropped here, whatever the client sent.
      const { id: _id, state: _state, logs: _logs, creation_time: _created, ...body } = request.body as TesTaskCreate
      // Name, description and tags are stored as they are, beside the definition.
      const unstorable = unstorableErrors(body)
      if (unstorable.length) throw new TesBadRequestError(unstorable)
      const domain = domainOf(request, body.tags)
      const guid = randomUUID()
      const mapped = toDefinition(body, guid, domain)
      if ('errors' in mapped) throw new TesBadRequestError(mapped.errors)
      // The mapping's own output is checked like any desire; a finding names the taskbbs field it became.
      const errors = definitionSchemaErrors(mapped.definition)
      if (errors.length === 0) errors.push(...definitionErrors(mapped.definition, policy))
      if (errors.length === 0) errors.push(...unsupported(mapped.definition))
      if (errors.length) throw new TesBadRequestError(errors.map(e => ({ field: `(as taskbbs task) ${e.field}`, message: e.message })))
      // TES: "Backends shall not store or return unsupported keys."
      const document: Record<string, unknown> = { ...body }
      if (body.resources) {
        const { backend_parameters: _ignored, ...resources } = body.resources
        document.resources = resources
      }
      await insertTesTask(pool, mapped.definition, { name: body.name ?? '', tags: body.tags ?? {}, document })
      request.log.info({ guid, domain }, 'TES task created')
      return { id: guid }
    })

    app.get(`${TES_PREFIX}/tasks`, {
      schema: {
        operationId: 'ListTasks',
        summary: 'TES: list tasks',
        description: 'Newest first. Filters combine with AND.',
        tags: TES_TAG,
        querystring: ListQuery,
        response: { 200: json('A page of tasks.', Type.Ref('tesListTasksResponse')), ...problems('BAD_REQUEST') }
      }
    }, async (request) => {
      const q = request.query as { name_prefix?: string, state?: TesState, tag_key?: string[], tag_value?: string[], page_size: number, page_token?: string, view?: TesView }
      const keys = q.tag_key ?? []
      const values = q.tag_value ?? []
      if (values.length > keys.length) throw new TesBadRequestError([{ field: 'querystring.tag_value', message: 'has more items than tag_key; each value pairs with the key at its position' }])
      const page = await listTesTasks(pool, STARTED_MARKER, {
        domains: scopeOf(request),
        namePrefix: q.name_prefix,
        tags: keys.map((k, i) => [k, values[i] ?? '']),
        state: q.state === undefined ? undefined : stateCondition(q.state),
        beforeId: q.page_token === undefined ? undefined : decodeToken(q.page_token),
        limit: q.view === 'FULL' ? Math.min(q.page_size, MAX_FULL_PAGE_SIZE) : q.page_size
      })
      const tasks = await render(page.rows, q.view ?? 'MINIMAL')
      const last = page.rows.at(-1)
      return { tasks, ...(page.more && last ? { next_page_token: encodeToken(last.id) } : {}) }
    })

    app.get(`${TES_PREFIX}/tasks/:id`, {
      schema: {
        operationId: 'GetTask',
        summary: 'TES: get a task',
        tags: TES_TAG,
        params: IdParams,
        querystring: ViewQuery,
        response: { 200: json('The task in the view asked for.', Type.Ref('tesTask')), ...problems('BAD_REQUEST', 'TASK_NOT_FOUND') }
      }
    }, async (request) => {
      const { id } = request.params as { id: string }
      const row = await getTesTask(pool, id, scopeOf(request), STARTED_MARKER)
      // Another domain's task, a task desired through /v1 and no task at all are one answer.
      if (!row) throw new TaskNotFoundError(id)
      return (await render([row], (request.query as { view?: TesView }).view ?? 'MINIMAL'))[0]
    })

    // /tasks/{id}:cancel. `::` is a literal colon; the router ends a plain
    // parameter only at / or -, so the id is a regular expression (the guid's).
    app.post(`${TES_PREFIX}/tasks/:id(${GUID_PATTERN.slice(0, -1)})::cancel`, {
      schema: {
        operationId: 'CancelTask',
        summary: 'TES: cancel a task',
        description: 'A queued or running task is stopped and becomes CANCELED; cancelling a finished task changes nothing.',
        tags: TES_TAG,
        params: IdParams,
        response: { 200: json('Cancelled (or already finished).', Type.Ref('tesCancelTaskResponse')), ...problems('BAD_REQUEST', 'TASK_NOT_FOUND') }
      }
    }, async (request) => {
      const { id } = request.params as { id: string }
      const scope = scopeOf(request)
      const row = await getTesTask(pool, id, scope, STARTED_MARKER)
      if (!row) throw new TaskNotFoundError(id)
      try {
        await inTaskScope(pool, id, scope, db => cancelTask(db, id))
        request.log.info({ guid: id }, 'TES task cancelled')
      } catch (err) {
        // It finished meanwhile (or had): TES clients cancel what may just have ended.
        if (!(err instanceof InvalidStateTransitionError)) throw err
      }
      return {}
    })
  }
}
