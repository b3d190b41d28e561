import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { type FieldError, TaskNotFoundError, ValidationError } from '../../domain/errors.ts'
import type { TaskState } from '../../domain/task.ts'
import { GUID_PATTERN, type TaskDefinition } from '../../domain/task-definition.ts'
import { type DefinitionPolicy, definitionErrors, topLevelRuleErrors } from '../../domain/validate.ts'
import { toFieldErrors } from '../validation.ts'
import { inTaskScope } from '../../store/scope.ts'
import { cancelTask, deleteTask, getTask, insertTask, listTasks, resolvingTask } from '../../store/tasks.ts'
import { AfterCommitNotifier } from '../../store/notify.ts'
import { inScope, requireDomain, scopeOf } from '../auth.ts'
import { json, problems } from '../responses.ts'

export interface TaskRouteDeps {
  pool: pg.Pool
  policy: DefinitionPolicy
  unsupported: (definition: TaskDefinition) => FieldError[]
}

const GuidParams = Type.Object({
  guid: Type.String({ minLength: 1, maxLength: 255, pattern: GUID_PATTERN, description: 'The task guid.', examples: ['hello-1'] })
})

export const MAX_PAGE = 1000
const ListQuery = Type.Object({
  domain: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })),
  state: Type.Optional(Type.Ref('TaskState')),
  cell_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })),
  // Optional with a default: the validator fills it in, and the OpenAPI document
  // does not mark it required (generated clients would otherwise demand it).
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 100, description: `Page size, 1–${MAX_PAGE}.` })),
  cursor: Type.Optional(Type.String({ maxLength: 64, description: 'next_cursor of the previous page.' }))
}, { additionalProperties: false })

const CURSOR = /^v1:(\d{1,19})$/
const MAX_BIGINT = 9223372036854775807n
function encodeCursor (id: string): string { return Buffer.from(`v1:${id}`).toString('base64url') }
function decodeCursor (cursor: string): string {
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString())
  // 19 digits can still exceed a bigint id: the query would fail (a 500) instead of this 422.
  if (!m || BigInt(m[1]) > MAX_BIGINT) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this server issued; pass next_cursor from a previous page' }])
  return m[1]
}

function schemaAndRuleErrors (err: Error & { validation?: unknown[], validationContext?: string }, body: unknown): Error {
  if (!err.validation || err.validationContext !== 'body') return err
  const errors = toFieldErrors(err.validation as never, 'body')
  const named = new Set(errors.map(e => e.field))
  for (const e of topLevelRuleErrors(body)) if (!named.has(e.field)) errors.push(e)
  return new ValidationError(errors)
}

export function taskRoutes (deps: TaskRouteDeps) {
  const { pool, policy, unsupported } = deps
  return async function (app: FastifyInstance) {
    // Desires' NOTIFYs go after their commits, many together (migrations/0005).
    // A failed wake-up is a warning, as a failed claim is: the polls make it up.
    const notifier = new AfterCommitNotifier(pool, err => app.log.warn({ err }, 'could not send the wake-up of desired tasks; schedulers will find them on their next poll'))
    app.addHook('onClose', async () => { await notifier.drain() })
    app.post('/v1/tasks', {
      schema: {
        operationId: 'desireTask',
        summary: 'Desire a task',
        description: 'Stores the task as PENDING; the scheduler runs it. Validation reports every bad field at once.',
        tags: ['tasks'],
        body: Type.Ref('TaskDefinition'),
        response: {
          201: json('The task, as stored.', Type.Ref('Task')),
          ...problems('BAD_REQUEST', 'VALIDATION_FAILED', 'FORBIDDEN', 'TASK_EXISTS', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
        }
      },
      // The handler sees schema errors so that it can add the rule errors it can still judge.
      attachValidation: true
    }, async (request, reply) => {
      if (request.validationError) throw schemaAndRuleErrors(request.validationError, request.body)
      const def = request.body as TaskDefinition
      const errors = definitionErrors(def, policy)
      if (errors.length === 0) errors.push(...unsupported(def))
      if (errors.length) throw new ValidationError(errors)
      requireDomain(request, def.domain)
      const task = await insertTask(pool, def, { notifyAfterCommit: true })
      notifier.desired()
      request.log.info({ guid: task.guid, domain: task.domain }, 'task desired')
      return reply.code(201).header('location', `/v1/tasks/${task.guid}`).send(task)
    })

    app.get('/v1/tasks', {
      schema: {
        operationId: 'listTasks',
        summary: 'List tasks',
        description: 'Filters combine with AND. Pages follow desire order; a cursor stays valid while tasks come and go.',
        tags: ['tasks'],
        querystring: ListQuery,
        response: { 200: json('A page of tasks.', Type.Ref('TaskList')), ...problems('VALIDATION_FAILED') }
      }
    }, async (request) => {
      const q = request.query as { domain?: string, state?: TaskState, cell_id?: string, limit: number, cursor?: string }
      const afterId = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
      const page = await listTasks(pool, { domain: q.domain, domains: scopeOf(request), state: q.state, cell_id: q.cell_id, limit: q.limit, afterId })
      return { tasks: page.tasks, ...(page.more && page.lastId ? { next_cursor: encodeCursor(page.lastId) } : {}) }
    })

    app.get('/v1/tasks/:guid', {
      schema: {
        operationId: 'getTask',
        summary: 'Get a task',
        tags: ['tasks'],
        params: GuidParams,
        response: { 200: json('The task.', Type.Ref('Task')), ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND') }
      }
    }, async (request) => {
      const { guid } = request.params as { guid: string }
      const task = await getTask(pool, guid)
      // Another domain's task is as absent as a missing one: 404, never 403.
      if (!task || !inScope(request, task.domain)) throw new TaskNotFoundError(guid)
      return task
    })

    app.post('/v1/tasks/:guid/cancel', {
      schema: {
        operationId: 'cancelTask',
        summary: 'Cancel a task',
        description: 'PENDING or RUNNING → COMPLETED with failed: true and failure_reason "task was cancelled". A running task is stopped.',
        tags: ['tasks'],
        params: GuidParams,
        response: { 200: json('The cancelled task.', Type.Ref('Task')), ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND', 'INVALID_STATE_TRANSITION') }
      }
    }, async (request) => {
      const { guid } = request.params as { guid: string }
      const task = await inTaskScope(pool, guid, scopeOf(request), db => cancelTask(db, guid))
      request.log.info({ guid }, 'task cancelled')
      return task
    })

    app.post('/v1/tasks/:guid/resolving', {
      schema: {
        operationId: 'resolvingTask',
        summary: 'Start resolving a completed task',
        description: 'COMPLETED → RESOLVING, so that one client claims the result before deleting the task.',
        tags: ['tasks'],
        params: GuidParams,
        response: { 200: json('The task, now RESOLVING.', Type.Ref('Task')), ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND', 'INVALID_STATE_TRANSITION') }
      }
    }, async (request) => {
      const { guid } = request.params as { guid: string }
      return inTaskScope(pool, guid, scopeOf(request), db => resolvingTask(db, guid))
    })

    app.delete('/v1/tasks/:guid', {
      schema: {
        operationId: 'deleteTask',
        summary: 'Delete a resolving task',
        description: 'Only a RESOLVING task can be deleted.',
        tags: ['tasks'],
        params: GuidParams,
        response: { 204: { description: 'Deleted.', type: 'null' }, ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND', 'INVALID_STATE_TRANSITION') }
      }
    }, async (request, reply) => {
      const { guid } = request.params as { guid: string }
      await inTaskScope(pool, guid, scopeOf(request), db => deleteTask(db, guid))
      request.log.info({ guid }, 'task deleted')
      return reply.code(204).send()
    })
  }
}

