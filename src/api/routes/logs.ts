import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { TaskNotFoundError } from '../../domain/errors.ts'
import { GUID_PATTERN } from '../../domain/task-definition.ts'
import { readLogs } from '../../store/logs.ts'
import { inTaskScope } from '../../store/scope.ts'
import { getTask } from '../../store/tasks.ts'
import { scopeOf } from '../auth.ts'
import { json, problems } from '../responses.ts'

const LogPage = Type.Object({
  lines: Type.Array(Type.Object({
    seq: Type.Integer({ description: 'Position in the task output; pass the last one as after_seq to read on.' }),
    at: Type.String({ format: 'date-time' }),
    source: Type.String({ description: 'The action log_source, else the task log_source, else TASK.' }),
    stream: Type.Unsafe<'stdout' | 'stderr' | 'system'>({ type: 'string', enum: ['stdout', 'stderr', 'system'] }),
    line: Type.String()
  }, { additionalProperties: false }))
}, { additionalProperties: false, $id: 'LogPage' })

export { LogPage }

export function logRoutes (deps: { pool: pg.Pool }) {
  return async function (app: FastifyInstance) {
    app.get('/v1/tasks/:guid/logs', {
      schema: {
        operationId: 'getTaskLogs',
        summary: "Read a task's output",
        description: 'Lines of stdout, stderr and system messages in order, bounded per task. Output is flushed about every second while the task runs.',
        tags: ['tasks'],
        params: Type.Object({ guid: Type.String({ minLength: 1, maxLength: 255, pattern: GUID_PATTERN, examples: ['hello-1'] }) }),
        querystring: Type.Object({
          // Optional with defaults the validator fills in, so that clients may omit them.
          // seq is a Postgres integer: a larger after_seq must fail here (422), not in the query (500).
          after_seq: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }))
        }, { additionalProperties: false }),
        response: { 200: json('Log lines.', Type.Ref('LogPage')), ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND') }
      }
    }, async (request) => {
      const { guid } = request.params as { guid: string }
      const { after_seq: afterSeq, limit } = request.query as { after_seq: number, limit: number }
      const lines = await inTaskScope(deps.pool, guid, scopeOf(request), async db => {
        if (!await getTask(db, guid)) throw new TaskNotFoundError(guid)
        return readLogs(db, guid, afterSeq, limit)
      })
      return { lines: lines.map(l => ({ ...l, at: l.at.toISOString() })) }
    })
  }
}
