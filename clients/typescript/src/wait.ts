import type { components } from '../generated/taskbbs.ts'
import type { Connection } from './connect.ts'
import { followEvents, IdleTimeoutError } from './events.ts'

export type Task = components['schemas']['Task']

export class TaskRemovedError extends Error {
  override readonly name = 'TaskRemovedError'
  readonly code = 'TASK_REMOVED'
  readonly guid: string
  constructor (guid: string) {
    super(`task ${guid} was removed before it completed`)
    this.guid = guid
  }
}

export interface WaitOptions {
  /** Give up with a TimeoutError (DOMException) after this long; 300 000 when absent. */
  timeoutMs?: number
  /** Read the task again when the stream was quiet this long; 5000 when absent. */
  pollMs?: number
  signal?: AbortSignal
}

const done = (task: Task) => task.state === 'COMPLETED' || task.state === 'RESOLVING'

async function read (client: Connection, guid: string): Promise<Task> {
  const got = await client.GET('/v1/tasks/{guid}', { params: { path: { guid } } })
  if (got.data) return got.data
  if (got.response.status === 404) throw new TaskRemovedError(guid)
  throw new Error(`GET /v1/tasks/${guid} answered ${got.response.status}: ${JSON.stringify(got.error)}`)
}

/**
 * The task once it is COMPLETED (or RESOLVING: completed, its callback under
 * way). Follows the events stream and reads the task again whenever the stream
 * was quiet for `pollMs`, since a change made while the stream was being
 * opened is not in it.
 */
export async function waitForCompletion (client: Connection, guid: string, options: WaitOptions = {}): Promise<Task> {
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 300_000), ...(options.signal ? [options.signal] : [])])
  let lastEventId: string | undefined
  for (;;) {
    signal.throwIfAborted()
    // Stopped on the way out, so that leaving does not wait for the stream's next line.
    const stop = new AbortController()
    const events = followEvents(client, { signal: AbortSignal.any([signal, stop.signal]), idleTimeoutMs: options.pollMs ?? 5000, ...(lastEventId ? { lastEventId } : {}) })
    try {
      // Started before the task is read, so that a change after the read is in the stream (the poll covers the rest).
      const first = events.next()
      first.catch(() => {}) // awaited below, after the task has been read
      const task = await read(client, guid)
      if (done(task)) return task
      for (let next = await first; !next.done; next = await events.next()) {
        const event = next.value
        if (event.type === 'reset') break
        lastEventId = event.id
        if (event.guid !== guid) continue
        if (event.type === 'task_removed') throw new TaskRemovedError(guid)
        if (event.state === 'COMPLETED' || event.state === 'RESOLVING') return event.task ?? await read(client, guid)
      }
    } catch (err) {
      if (!(err instanceof IdleTimeoutError)) throw err
    } finally {
      stop.abort()
      await events.return(undefined).catch(() => {})
    }
  }
}
