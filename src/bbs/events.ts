import { create, toBinary } from '@bufbuild/protobuf'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ServiceUnavailableError } from '../domain/errors.ts'
import type { EventHub } from '../events/hub.ts'
import { openEventStream } from '../events/sse-stream.ts'
import type { Position, StoredEvent } from '../store/events.ts'
import { scopeOf } from '../api/auth.ts'
import { taskToProto } from './convert.ts'
import { TaskChangedEventSchema, TaskCreatedEventSchema, TaskRemovedEventSchema } from './gen/events_pb.ts'

const POSITION = /^([0-9]{1,20})-([0-9]{1,19})$/

/**
 * One SSE frame as BBS writes it: `id`, `event` (task_created, task_changed,
 * task_removed) and `data`, the standard base64 of the event message. The id
 * is taskbbs's stream position (BBS counts from 0 per connection; its client
 * only passes ids back), so a reconnecting client resumes where it left off.
 */
export function bbsFrame (e: StoredEvent): string | undefined {
  let payload: Uint8Array
  if (e.type === 'task_created' && e.task) {
    payload = toBinary(TaskCreatedEventSchema, create(TaskCreatedEventSchema, { task: taskToProto(e.task) }))
  } else if (e.type === 'task_changed' && e.task) {
    // Events written before the task_events.previous column existed have no before: the after stands in.
    payload = toBinary(TaskChangedEventSchema, create(TaskChangedEventSchema, { before: taskToProto(e.before ?? e.task), after: taskToProto(e.task) }))
  } else if (e.type === 'task_removed' && e.before) {
    payload = toBinary(TaskRemovedEventSchema, create(TaskRemovedEventSchema, { task: taskToProto(e.before) }))
  } else {
    return undefined
  }
  return `id: ${e.position.tx}-${e.position.id}\nevent: ${e.type}\ndata: ${Buffer.from(payload).toString('base64')}\n\n`
}

/**
 * POST /v1/events/tasks.r1: every task change the caller may see, from now
 * (or after the Last-Event-ID the client's reconnect sends). Unlike the JSON
 * stream, no `reset` event: BBS clients know none, and a client that resumes
 * past pruned events simply continues.
 */
export function bbsEventRoute (deps: { hub: EventHub, heartbeatMs: number, maxBufferBytes?: number }) {
  const maxBuffer = deps.maxBufferBytes ?? 4 << 20
  return async function (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers['last-event-id']
    const m = typeof header === 'string' ? POSITION.exec(header) : null
    const from: Position | undefined = m ? { tx: m[1], id: m[2] } : undefined
    const domains = scopeOf(request)
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
      encode: events => events.map(bbsFrame).filter(f => f !== undefined),
      slowClient: 'BBS event client too slow; disconnecting it'
    })
    return reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-store, must-revalidate')
      .send(stream)
  }
}
