import { Agent, request } from 'undici'

/** One answer (or its absence) as the loader saw it. */
export interface Sent {
  guid: string
  at: number
  /** HTTP status; 0 when no answer came (connection refused, reset, timed out). */
  status: number
  code?: string
  error?: string
}

export interface Loader {
  readonly sent: Sent[]
  /** Stops sending and waits for the requests in flight. */
  stop (): Promise<Sent[]>
}

export interface LoaderOptions {
  /** Concurrent senders, each on its own keep-alive connection. */
  workers?: number
  /** Guids are `${prefix}-${n}`. */
  prefix: string
  /** Upper bound on requests, whatever happens. */
  maxRequests?: number
  /** Per-request limit. */
  timeoutMs?: number
}

/**
 * A steady desire load from the test process: `workers` loops, each POSTing a
 * new task as soon as the previous answer came, over keep-alive connections.
 * Bounded in count (maxRequests) and, by the caller's stop(), in time.
 */
export function startLoader (base: string, o: LoaderOptions): Loader {
  const workers = o.workers ?? 4
  const maxRequests = o.maxRequests ?? 20_000
  const timeoutMs = o.timeoutMs ?? 5000
  const agent = new Agent({ connections: workers, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  const sent: Sent[] = []
  let running = true
  let next = 0
  const loop = async () => {
    while (running && next < maxRequests) {
      const guid = `${o.prefix}-${next++}`
      const body = JSON.stringify({ guid, domain: 'load', root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'true', user: 'root' } } })
      try {
        const res = await request(`${base}/v1/tasks`, {
          method: 'POST', dispatcher: agent, body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs)
        })
        const text = await res.body.text()
        let code: string | undefined
        if (res.statusCode !== 201) { try { code = (JSON.parse(text) as { code?: string }).code } catch {} }
        sent.push({ guid, at: Date.now(), status: res.statusCode, ...(code ? { code } : {}) })
      } catch (err) {
        sent.push({ guid, at: Date.now(), status: 0, error: (err as { code?: string }).code ?? (err as Error).message })
        // Nothing listening: do not spin.
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    }
  }
  const loops = Array.from({ length: workers }, loop)
  return {
    sent,
    async stop () {
      running = false
      await Promise.all(loops)
      await agent.close()
      return sent
    }
  }
}

/** Counts answers by status: {"201": 812, "503": 40, "no answer": 3}. */
export function byStatus (sent: Sent[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of sent) {
    const k = s.status === 0 ? 'no answer' : String(s.status)
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
