import Type from 'typebox'
import type { FastifyInstance } from 'fastify'
import { ServiceUnavailableError, ValidationError } from '../../domain/errors.ts'
import type { TaskEvent } from '../../domain/event.ts'
import type { EventHub } from '../../events/hub.ts'
import { openEventStream } from '../../events/sse-stream.ts'
import type { Position, StoredEvent } from '../../store/events.ts'
import { scopeOf } from '../auth.ts'
import { problems } from '../responses.ts'

export interface EventRouteDeps {
  hub: EventHub
  /** A comment line goes out this often so that proxies and clients see the stream alive. */
  heartbeatMs: number
  /** A client this far behind (bytes unread) is disconnected; it resumes with Last-Event-ID. */
  maxBufferBytes?: number
}

export const EVENT_STREAM_TYPE = 'text/event-stream'
const CURSOR = /^([0-9]{1,20})-([0-9]{1,19})$/
// Tells EventSource how long to wait before reconnecting.
const RETRY_MS = 2000

function parseCursor (raw: string, field: string): Position {
  const m = CURSOR.exec(raw)
  // In range of xid8 and bigint too: past them every read fails, the stream ends and the client resumes from the same id forever.
  if (!m || BigInt(m[1]) > 18446744073709551615n || BigInt(m[2]) > 9223372036854775807n) {
    throw new ValidationError([{ field, message: 'is not an event id this server sent; pass the id of the last event received' }])
  }
  return { tx: m[1], id: m[2] }
}

function toJson (e: StoredEvent): TaskEvent {
  return {
    id: `${e.position.tx}-${e.position.id}`,
    type: e.type,
    guid: e.guid,
    domain: e.domain,
    state: e.state,
    at: e.at.toISOString(),
    ...(e.task ? { task: e.task } : {})
  }
}

/** One SSE message; JSON.stringify never emits a raw newline, so one data line suffices. */
export function frame (e: StoredEvent): string {
  const body = toJson(e)
  return `id: ${body.id}\nevent: ${body.type}\ndata: ${JSON.stringify(body)}\n\n`
}

const EventsQuery = Type.Object({
  domain: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'Only events of this domain.' })),
  last_event_id: Type.Optional(Type.String({ maxLength: 64, description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header.' }))
}, { additionalProperties: false })

const EventsHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ maxLength: 64, description: 'Resume after this event id; EventSource sends it when it reconnects.' }))
})

export function eventRoutes (deps: EventRouteDeps) {
  const maxBuffer = deps.maxBufferBytes ?? 4 << 20
  return async function (app: FastifyInstance) {
    // Open streams would hold app.close() forever: end them first, and their
    // clients reconnect to another replica.
    app.addHook('preClose', async () => { await deps.hub.close() })

    app.get('/v1/events', {
      config: { longLived: true },
      schema: {
        operationId: 'streamEvents',
        summary: 'Follow task changes',
        description: 'A server-sent event stream (`text/event-stream`) of task changes: `task_created`, `task_changed` and `task_removed`, ' +
          'each with `id:`, `event:` (the type) and one `data:` line holding a TaskEvent. Events of every replica arrive in one order. ' +
          'To resume without gaps or repeats, send the last id received as the Last-Event-ID header (EventSource does so itself). ' +
          'Events are kept for TASKBBS_EVENTS_RETENTION; when a resumed stream may have missed pruned events it starts with a `reset` event: re-list tasks, then read on. ' +
          'Comment lines keep an idle stream alive. A token sees only the domains it may read.',
        tags: ['events'],
        querystring: EventsQuery,
        headers: EventsHeaders,
        response: {
          200: { description: 'The stream, open until the client leaves or the server shuts down.', content: { [EVENT_STREAM_TYPE]: { schema: Type.Ref('TaskEvent') } } },
          ...problems('VALIDATION_FAILED', 'SERVICE_UNAVAILABLE')
        }
      }
    }, async (request, reply) => {
      const q = request.query as { domain?: string, last_event_id?: string }
      const header = request.headers['last-event-id'] as string | undefined
      const from = q.last_event_id !== undefined
        ? parseCursor(q.last_event_id, 'querystring.last_event_id')
        : (header ? parseCursor(header, 'headers.last-event-id') : undefined)
      const scope = scopeOf(request)
      const domains = q.domain === undefined ? scope : (scope === undefined || scope.includes(q.domain) ? [q.domain] : [])

      // The one failure worth an HTTP error: no connection to follow events.
      try {
        await deps.hub.ready()
      } catch (err) {
        request.log.warn({ err }, 'cannot follow task events')
        throw new ServiceUnavailableError('task events cannot be followed right now; retry shortly')
      }

      const stream = openEventStream({
        hub: deps.hub,
        raw: request.raw,
        log: request.log,
        ...(domains ? { domains } : {}),
        ...(from ? { from } : {}),
        heartbeatMs: deps.heartbeatMs,
        maxBufferBytes: maxBuffer,
        encode: events => events.map(frame),
        prelude: `retry: ${RETRY_MS}\n\n`,
        gap: 'event: reset\ndata: {"reason":"events after Last-Event-ID were pruned; list tasks again, then read on"}\n\n',
        slowClient: 'event client too slow; disconnecting it (it resumes with Last-Event-ID)'
      })
      return reply
        .header('content-type', `${EVENT_STREAM_TYPE}; charset=utf-8`)
        .header('cache-control', 'no-cache')
        .header('x-accel-buffering', 'no')
        .send(stream)
    })
  }
}
