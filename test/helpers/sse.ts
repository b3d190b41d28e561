import type { FastifyInstance } from 'fastify'
import { request } from 'undici'

/** One server-sent event as a client sees it. */
export interface SseMessage {
  id?: string
  event: string
  data: string
}

/**
 * A real client of an event stream: an HTTP request over a socket, its body
 * parsed as the SSE format says (blocks separated by a blank line; `:` lines
 * are comments). Messages queue until a test takes them.
 */
export class SseClient {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly messages: SseMessage[] = []
  comments = 0
  ended = false
  private readonly waiters: Array<() => void> = []
  private readonly body: AsyncIterable<Buffer> & { destroy (): void }

  constructor (status: number, headers: SseClient['headers'], body: SseClient['body']) {
    this.status = status
    this.headers = headers
    this.body = body
  }

  static async open (base: string, path: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET'): Promise<SseClient> {
    const res = await request(new URL(path, base), { method, headers: { accept: 'text/event-stream', ...headers } })
    const client = new SseClient(res.statusCode, res.headers, res.body as unknown as SseClient['body'])
    client.pump().catch(() => {})
    return client
  }

  private async pump (): Promise<void> {
    let text = ''
    try {
      for await (const chunk of this.body) {
        text += chunk.toString('utf8')
        let cut: number
        while ((cut = text.indexOf('\n\n')) >= 0) {
          this.parse(text.slice(0, cut))
          text = text.slice(cut + 2)
        }
      }
    } finally {
      this.ended = true
      this.notify()
    }
  }

  private parse (block: string): void {
    const m: SseMessage = { event: 'message', data: '' }
    let data: string[] | undefined
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) { this.comments++; continue }
      const i = line.indexOf(':')
      const field = i < 0 ? line : line.slice(0, i)
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
      if (field === 'id') m.id = value
      else if (field === 'event') m.event = value
      else if (field === 'data') (data ??= []).push(value)
    }
    if (data) {
      m.data = data.join('\n')
      this.messages.push(m)
    }
    this.notify()
  }

  private notify (): void {
    for (const w of this.waiters.splice(0)) w()
  }

  /** Waits until `n` messages have arrived (or the stream ends, or the timeout), and returns them all. */
  async waitFor (n: number, timeoutMs = 5000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs
    while (this.messages.length < n && !this.ended && Date.now() < deadline) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
    return this.messages
  }

  /** Waits for a condition on the stream's state. */
  async until (done: () => boolean, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!done() && !this.ended && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
    return done()
  }

  /** The task events received, parsed. */
  events (): Array<{ id: string, type: string, guid: string, domain: string, state: string, at: string, task?: Record<string, unknown> }> {
    return this.messages.filter(m => m.event.startsWith('task_')).map(m => JSON.parse(m.data))
  }

  close (): void {
    this.body.destroy()
  }
}

/** Listens on a free loopback port; returns the base URL. The app's teardown closes it. */
export async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  return `http://127.0.0.1:${port}`
}
