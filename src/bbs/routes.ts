import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import type { Grant } from '../config/tokens.ts'
import { type FieldError, TaskNotFoundError, TaskbbsError, ValidationError } from '../domain/errors.ts'
import { GUID_PATTERN, type TaskDefinition } from '../domain/task-definition.ts'
import { type DefinitionPolicy, definitionErrors } from '../domain/validate.ts'
import type { Task } from '../domain/task.ts'
import { inScope, requireDomain, scopeOf } from '../api/auth.ts'
import { toFieldErrors } from '../api/validation.ts'
import type { EventHub } from '../events/hub.ts'
import { inTaskScope } from '../store/scope.ts'
import { cancelTask, deleteTask, getTask, insertTask, listTasks, resolvingTask } from '../store/tasks.ts'
import { definitionFromProto, taskToProto } from './convert.ts'
import { toBbsError } from './errors.ts'
import { bbsEventRoute } from './events.ts'
import { PingResponseSchema } from './gen/ping_pb.ts'
import { DesireTaskRequestSchema, TaskByGuidRequestSchema, TaskGuidRequestSchema, TaskLifecycleResponseSchema, TaskResponseSchema, TasksRequestSchema, TasksResponseSchema } from './gen/task_requests_pb.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A BBS route: its caller is identified by the BBS listener (client certificate), not by a bearer token. */
    bbs?: boolean
  }
}

export const PROTOBUF_TYPE = 'application/x-protobuf'

export interface BbsRouteDeps {
  pool: pg.Pool
  policy: DefinitionPolicy
  unsupported: (definition: TaskDefinition) => FieldError[]
  /** The TaskDefinition schema's validator, the one the JSON API uses; returns the schema errors as field errors. */
  schemaErrors: (definition: unknown) => FieldError[]
  hub: EventHub
  heartbeatMs: number
  /** Who the caller is and which domains it may act on; a TaskbbsError refuses the request. */
  identify: (request: FastifyRequest) => Grant | TaskbbsError
}

const GUID = new RegExp(GUID_PATTERN)
const LIST_PAGE = 1000

function checkGuid (guid: string): void {
  if (!GUID.test(guid) || guid.length > 255) throw new ValidationError([{ field: 'task_guid', message: 'must be 1–255 of a-z, A-Z, 0-9, _ and -' }])
}

function decode<S extends DescMessage> (schema: S, request: FastifyRequest): MessageShape<S> {
  const body = request.body as Buffer | undefined
  try {
    return fromBinary(schema, body ?? new Uint8Array(0))
  } catch (err) {
    // BBS: models.ErrBadRequest, "the request received is invalid".
    throw new TaskbbsError('BAD_REQUEST', `the request body is not a valid ${schema.typeName}: ${(err as Error).message}`)
  }
}

export function sendMessage<S extends DescMessage> (reply: FastifyReply, schema: S, message: MessageShape<S>): FastifyReply {
  // Always 200: a BBS client reads the outcome from the message, and retries any other answer.
  return reply.code(200).type(PROTOBUF_TYPE).send(Buffer.from(toBinary(schema, message)))
}

async function allTasks (pool: pg.Pool, filter: { domain?: string, cell_id?: string, domains?: readonly string[] }): Promise<Task[]> {
  // BBS answers a list with every task at once; read it in pages so no one query is unbounded.
  const tasks: Task[] = []
  let afterId: string | undefined
  for (;;) {
    const page = await listTasks(pool, { ...filter, limit: LIST_PAGE, ...(afterId ? { afterId } : {}) })
    tasks.push(...page.tasks)
    if (!page.more || !page.lastId) return tasks
    afterId = page.lastId
  }
}

/**
 * Diego BBS's task routes over protobuf, onto the same store, lifecycle and
 * events as the JSON API. Registered as its own encapsulated context: bodies
 * of any content type are read as protobuf, and every error, including the
 * framework's (a body too large, a refused rate), answers 200 with a
 * models.Error inside, as BBS does. A non-protobuf answer would make the BBS
 * client retry the call, even a desire.
 */
export function bbsRoutes (deps: BbsRouteDeps) {
  const { pool, policy, unsupported, schemaErrors } = deps
  return async function (app: FastifyInstance) {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => { done(null, body) })

    app.setErrorHandler(async (err, request, reply) => {
      const { error, internal } = toBbsError(err)
      if (internal) request.log.error({ err }, 'BBS request failed')
      else request.log.info({ bbs_error: error.type, msg: error.message }, 'BBS request refused')
      if (request.routeOptions.url === '/v1/ping') return sendMessage(reply, PingResponseSchema, create(PingResponseSchema, { available: false }))
      // Every BBS response message carries its error as field 1, so one encoding fits all of them.
      return sendMessage(reply, TaskLifecycleResponseSchema, create(TaskLifecycleResponseSchema, { error }))
    })

    app.addHook('onRequest', async (request) => {
      const vcap = request.headers['x-vcap-request-id']
      if (typeof vcap === 'string') request.log = request.log.child({ vcap_request_id: vcap.slice(0, 128) })
      const who = deps.identify(request)
      if (who instanceof TaskbbsError) throw who
      request.grant = who
    })

    const post = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
      app.post(url, { config: { bbs: true }, schema: { hide: true } }, handler)

    post('/v1/ping', async (_request, reply) => sendMessage(reply, PingResponseSchema, create(PingResponseSchema, { available: true })))

    post('/v1/tasks/desire.r2', async (request, reply) => {
      const req = decode(DesireTaskRequestSchema, request)
      if (!req.taskDefinition) throw new ValidationError([{ field: 'task_definition', message: 'is required' }])
      const def = definitionFromProto(req.taskGuid, req.domain, req.taskDefinition)
      let errors = schemaErrors(def)
      if (errors.length === 0) errors = definitionErrors(def, policy)
      if (errors.length === 0) errors = unsupported(def)
      if (errors.length) throw new ValidationError(errors)
      requireDomain(request, def.domain)
      const task = await insertTask(pool, def)
      request.log.info({ guid: task.guid, domain: task.domain }, 'task desired')
      return sendMessage(reply, TaskLifecycleResponseSchema, create(TaskLifecycleResponseSchema))
    })

    post('/v1/tasks/list.r3', async (request, reply) => {
      const req = decode(TasksRequestSchema, request)
      const tasks = await allTasks(pool, {
        ...(req.domain ? { domain: req.domain } : {}),
        ...(req.cellId ? { cell_id: req.cellId } : {}),
        ...(scopeOf(request) ? { domains: scopeOf(request) } : {})
      })
      return sendMessage(reply, TasksResponseSchema, create(TasksResponseSchema, { tasks: tasks.map(taskToProto) }))
    })

    post('/v1/tasks/get_by_task_guid.r3', async (request, reply) => {
      const { taskGuid } = decode(TaskByGuidRequestSchema, request)
      checkGuid(taskGuid)
      const task = await getTask(pool, taskGuid)
      // Another domain's task is as absent as a missing one.
      if (!task || !inScope(request, task.domain)) throw new TaskNotFoundError(taskGuid)
      return sendMessage(reply, TaskResponseSchema, create(TaskResponseSchema, { task: taskToProto(task) }))
    })

    const lifecycle = (url: string, change: (db: Parameters<typeof cancelTask>[0], guid: string) => Promise<unknown>, verb: string) =>
      post(url, async (request, reply) => {
        const { taskGuid } = decode(TaskGuidRequestSchema, request)
        checkGuid(taskGuid)
        await inTaskScope(pool, taskGuid, scopeOf(request), db => change(db, taskGuid))
        request.log.info({ guid: taskGuid }, verb)
        return sendMessage(reply, TaskLifecycleResponseSchema, create(TaskLifecycleResponseSchema))
      })
    lifecycle('/v1/tasks/cancel', cancelTask, 'task cancelled')
    lifecycle('/v1/tasks/resolving', resolvingTask, 'task resolving')
    lifecycle('/v1/tasks/delete', deleteTask, 'task deleted')

    app.post('/v1/events/tasks.r1', { config: { bbs: true, longLived: true }, schema: { hide: true } }, bbsEventRoute({ hub: deps.hub, heartbeatMs: deps.heartbeatMs }))
  }
}
