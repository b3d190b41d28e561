import type { ApiClient } from './api-client.ts'
import { apiError } from './api-client.ts'

/** One server-sent event. */
export interface SseMessage {
  id?: string
  event: string
  data: string
}

/** Parses a text/event-stream body as the SSE format says: blocks split by a blank line, `:` lines are comments. */
export async function * readSse (body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n')
    let cut: number
    while ((cut = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, cut)
      text = text.slice(cut + 2)
      const m: SseMessage = { event: 'message', data: '' }
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue
        const i = line.indexOf(':')
        const field = i < 0 ? line : line.slice(0, i)
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
        if (field === 'id') m.id = value
        else if (field === 'event') m.event = value
        else if (field === 'data') data.push(value)
      }
      if (data.length) yield { ...m, data: data.join('\n') }
    }
  }
}

export interface FollowOptions {
  domain?: string
  signal: AbortSignal
  /** Each time the stream is (re)opened; `resumed` is false the first time. */
  onOpen?: (resumed: boolean) => void | Promise<void>
  onMessage: (m: SseMessage) => void | Promise<void>
  /** The connection dropped; it is retried after `retryMs`. */
  onDrop?: (reason: string) => void
  retryMs?: number
}

/**
 * Follows GET /v1/events with fetch, so that the bearer token goes in a header,
 * and reconnects with Last-Event-ID so that no event is missed or repeated.
 * Ends when the signal aborts; an HTTP error (401, 403, 422) ends it with that error.
 */
export async function followEvents (api: ApiClient, opts: FollowOptions): Promise<void> {
  let lastId: string | undefined
  let resumed = false
  const path = `/v1/events${opts.domain ? `?domain=${encodeURIComponent(opts.domain)}` : ''}`
  while (!opts.signal.aborted) {
    let reason = 'the server closed the stream'
    try {
      const res = await api.fetch(path, {
        signal: opts.signal,
        headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) }
      })
      if (res.status >= 400 && res.status < 500) throw await apiError(res, 'GET /v1/events')
      if (!res.ok || !res.body) {
        reason = `the server answered ${res.status}`
      } else {
        await opts.onOpen?.(resumed)
        resumed = true
        for await (const m of readSse(res.body)) {
          if (m.id) lastId = m.id
          await opts.onMessage(m)
        }
      }
    } catch (err) {
      if (opts.signal.aborted) return
      if ((err as { status?: number }).status) throw err
      reason = (err as Error).message.split('\n')[0]
    }
    if (opts.signal.aborted) return
    opts.onDrop?.(reason)
    await new Promise(resolve => setTimeout(resolve, opts.retryMs ?? 2000))
  }
}
