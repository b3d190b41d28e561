import type { components } from '../generated/taskbbs.ts'
import type { Connection } from './connect.ts'

export type TaskEvent = components['schemas']['TaskEvent']

/** Events after the Last-Event-ID sent were pruned: list tasks again, then read on. */
export interface Reset { type: 'reset', reason: string }

/**
 * The server sends a comment every TASKBBS_EVENTS_HEARTBEAT_INTERVAL (15 s by
 * default), so a stream silent for this long is taken as dead.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000

export class IdleTimeoutError extends Error {
  override readonly name = 'IdleTimeoutError'
  readonly code = 'EVENTS_IDLE'
  constructor (ms: number) { super(`the events stream was silent for ${ms} ms`) }
}

export class EventStreamError extends Error {
  override readonly name = 'EventStreamError'
  readonly code = 'EVENTS_REFUSED'
  readonly status: number
  readonly body: string
  constructor (status: number, body: string) {
    super(`GET /v1/events answered ${status}: ${body}`)
    this.status = status
    this.body = body
  }
}

export interface FollowOptions {
  domain?: string
  /** Resume after this event id ("0-0": from the oldest event kept). */
  lastEventId?: string
  /** Ends the stream (the generator then throws the signal's reason). */
  signal?: AbortSignal
  /** Throw IdleTimeoutError when no line, heartbeats included, came for this long. */
  idleTimeoutMs?: number
}

/**
 * GET /v1/events as typed events: each TaskEvent (its `id` is the position to
 * resume from) and a Reset when a resumed stream may have missed events.
 * Leaving the loop closes the connection.
 */
export async function * followEvents (client: Connection, options: FollowOptions = {}): AsyncGenerator<TaskEvent | Reset> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  const stop = new AbortController()
  const idle = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const arm = () => { clearTimeout(timer); timer = setTimeout(() => idle.abort(new IdleTimeoutError(idleMs)), idleMs) }
  const signal = AbortSignal.any([stop.signal, idle.signal, ...(options.signal ? [options.signal] : [])])
  const url = new URL('/v1/events', client.baseUrl)
  if (options.domain !== undefined) url.searchParams.set('domain', options.domain)
  const headers: Record<string, string> = { accept: 'text/event-stream' }
  if (client.token) headers.authorization = `Bearer ${client.token}`
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
  try {
    arm()
    const response = await fetch(url, { headers, signal })
    if (response.status !== 200 || !response.body) throw new EventStreamError(response.status, await response.text())
    const decoder = new TextDecoder()
    let buffered = ''
    let event = 'message'
    let data: string[] = []
    for await (const chunk of response.body) {
      arm()
      buffered += decoder.decode(chunk, { stream: true })
      let end: number
      while ((end = buffered.search(/\r?\n/)) >= 0) {
        const line = buffered.slice(0, end)
        buffered = buffered.slice(buffered[end] === '\r' ? end + 2 : end + 1)
        if (line === '') {
          if (data.length > 0) {
            const payload = JSON.parse(data.join('\n'))
            yield event === 'reset' ? { type: 'reset', reason: String(payload.reason ?? '') } : payload as TaskEvent
          }
          event = 'message'
          data = []
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':')
          const name = colon < 0 ? line : line.slice(0, colon)
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (name === 'event') event = value
          else if (name === 'data') data.push(value)
        }
      }
    }
  } catch (err) {
    if (signal.aborted) throw signal.reason
    throw err
  } finally {
    clearTimeout(timer)
    stop.abort()
  }
}
