import Type from 'typebox'

/**
 * The body POSTed to completion_callback_url: what BBS sends as its
 * TaskCallbackResponse, with created_at as RFC 3339 like the rest of this API.
 * The migration's trigger builds it; this schema documents it.
 */
export const TaskCallback = Type.Object({
  task_guid: Type.String(),
  failed: Type.Boolean(),
  failure_reason: Type.String(),
  result: Type.String({ description: 'First 10 KB of result_file.' }),
  annotation: Type.String(),
  created_at: Type.String({ format: 'date-time' })
}, { $id: 'TaskCallback', additionalProperties: false })

export const CallbackStatus = Type.Object({
  delivery: Type.Union([Type.Null(), Type.Object({
    url: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    next_attempt_at: Type.String({ format: 'date-time' }),
    attempts: Type.Array(Type.Object({
      attempt: Type.Integer({ minimum: 1 }),
      at: Type.String({ format: 'date-time' }),
      duration_ms: Type.Integer({ minimum: 0 }),
      status: Type.Optional(Type.Integer({ description: 'HTTP status, when the receiver answered.' })),
      error: Type.Optional(Type.String({ description: 'Timeout, connection or policy error, when it did not.' })),
      outcome: Type.Unsafe<'resolved' | 'retry_now' | 'retry_later' | 'given_up'>({ type: 'string', enum: ['resolved', 'retry_now', 'retry_later', 'given_up'] })
    }, { additionalProperties: false }))
  }, { additionalProperties: false })], { description: 'null when the task has no callback pending.' })
}, { $id: 'CallbackStatus', additionalProperties: false })

/** The OpenAPI 3.1 webhook describing the callback, for consumers and generated clients. */
export const CALLBACK_WEBHOOK = {
  taskCompleted: {
    post: {
      operationId: 'taskCompletedCallback',
      summary: 'Sent to completion_callback_url when a task completes',
      description: 'Any response but 503/504 resolves the task, which is then deleted. 503 or 504 is retried at once up to 3 times; ' +
        'after that, and on timeouts or connection errors, every ~30 s; after ~2 minutes the task is given up and deleted. ' +
        'With a signing secret configured, carries Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature.',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TaskCallback' } } } },
      responses: {
        200: { description: 'Any status except 503/504 resolves the task.' },
        503: { description: 'Retried immediately up to 3 times, then after the retry interval.' },
        504: { description: 'As 503.' }
      }
    }
  }
}
