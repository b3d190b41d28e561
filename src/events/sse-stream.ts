import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { eventClients, eventsSent } from '../metrics/registry.ts'
import type { Position, StoredEvent } from '../store/events.ts'
import type { EventHub } from './hub.ts'

export interface EventStreamOptions {
  hub: EventHub
  /** The request whose connection the stream lives on; the stream ends when it closes. */
  raw: IncomingMessage
  log: { warn (obj: object, msg: string): void }
  domains?: readonly string[]
  from?: Position
  heartbeatMs: number
  /** Bytes a live client may fall behind before it is disconnected (it resumes from its last id). */
  maxBufferBytes: number
  /** The wire frames of a batch of events, in order; an event may have none. */
  encode (events: StoredEvent[]): string[]
  /** Written before any event (the SSE retry hint). */
  prelude?: string
  /** Written when events after `from` were pruned, if this wire format can say so. */
  gap?: string
  /** What the log says of a client that fell too far behind. */
  slowClient: string
}

/**
 * One server-sent event stream over the event hub, whatever its wire format
 * (the JSON API's and Diego BBS's): subscribes from a position, writes the
 * frames, keeps an idle stream alive with comment lines, waits for a client
 * that is catching up and drops one that falls too far behind live, and
 * unsubscribes when either side leaves. The caller has checked hub.ready().
 */
export function openEventStream (o: EventStreamOptions): PassThrough {
  const stream = new PassThrough()
  let closed = false
  let unsubscribe = () => {}
  const left = new AbortController()
  const end = () => {
    if (closed) return
    closed = true
    left.abort()
    clearInterval(heartbeat)
    unsubscribe()
    eventClients.dec()
    stream.end()
  }
  eventClients.inc()
  stream.on('close', end)
  o.raw.on('close', end)
  if (o.prelude) stream.write(o.prelude)
  // A comment: the SSE reader skips it, proxies see the stream alive.
  const heartbeat = setInterval(() => { if (!closed) stream.write(': keep-alive\n\n') }, o.heartbeatMs)
  heartbeat.unref()

  const follow = async () => {
    let live = false
    const subscription = await o.hub.subscribe({
      ...(o.domains ? { domains: o.domains } : {}),
      ...(o.from ? { from: o.from } : {}),
      signal: left.signal,
      deliver: async events => {
        if (closed) return
        const frames = o.encode(events)
        if (frames.length === 0) return
        const ok = stream.write(frames.join(''))
        eventsSent.inc(frames.length)
        if (!live) {
          // Catching up: wait for the client rather than buffer the backlog.
          if (!ok) await Promise.race([once(stream, 'drain'), once(stream, 'close')])
        } else if (stream.writableLength > o.maxBufferBytes) {
          o.log.warn({ buffered: stream.writableLength }, o.slowClient)
          end()
        }
      },
      end,
      ...(o.gap ? { gap: () => { stream.write(o.gap!) } } : {})
    })
    live = true
    if (closed) { subscription.close(); return }
    unsubscribe = () => subscription.close()
  }
  follow().catch(err => {
    o.log.warn({ err }, 'following task events failed; the client reconnects')
    end()
  })
  return stream
}
