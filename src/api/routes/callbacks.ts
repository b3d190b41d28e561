import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { TaskNotFoundError } from '../../domain/errors.ts'
import { GUID_PATTERN } from '../../domain/task-definition.ts'
import { readDelivery } from '../../store/callbacks.ts'
import { getTask } from '../../store/tasks.ts'
import { json, problems } from '../responses.ts'

export function callbackRoutes (deps: { pool: pg.Pool }) {
  return async function (app: FastifyInstance) {
    app.get('/v1/tasks/:guid/callbacks', {
      schema: {
        operationId: 'getTaskCallbacks',
        summary: "A task's completion callback and every attempt to deliver it",
        description: 'Available while the task exists; a resolved or given-up callback deletes the task.',
        tags: ['tasks'],
        params: Type.Object({ guid: Type.String({ minLength: 1, maxLength: 255, pattern: GUID_PATTERN, examples: ['hello-1'] }) }),
        response: { 200: json('The delivery and its attempts.', Type.Ref('CallbackStatus')), ...problems('VALIDATION_FAILED', 'TASK_NOT_FOUND') }
      }
    }, async (request) => {
      const { guid } = request.params as { guid: string }
      if (!await getTask(deps.pool, guid)) throw new TaskNotFoundError(guid)
      return { delivery: await readDelivery(deps.pool, guid) ?? null }
    })
  }
}
