import { Agent, request } from 'undici'
import { isIP } from 'node:net'
import { type UrlPolicy, forbiddenAddress, guardedLookup } from './url-policy.ts'

export type SendResult =
  | { kind: 'status', status: number }
  | { kind: 'timeout', error: string }
  | { kind: 'connection', error: string }
  | { kind: 'forbidden', error: string }

/** Response bytes read before the body is dropped: consumers' replies are not our business. */
export const MAX_RESPONSE_BYTES = 64 * 1024

export interface SenderOptions {
  policy: UrlPolicy
  timeoutMs: number
  /** Connections per origin; deliveries beyond it queue in the pool. */
  connections: number
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

function classify (err: unknown): SendResult {
  const e = err as { code?: string, name?: string, message?: string, cause?: { code?: string, message?: string } }
  const code = e.code ?? e.cause?.code
  const message = e.cause?.message ?? e.message ?? String(err)
  if (code === 'CALLBACK_ADDRESS_FORBIDDEN') return { kind: 'forbidden', error: message }
  if ((code && TIMEOUT_CODES.has(code)) || e.name === 'TimeoutError') return { kind: 'timeout', error: `timed out: ${message}` }
  return { kind: 'connection', error: code ? `${code}: ${message}` : message }
}

/**
 * One POST of a callback. Pooled keep-alive connections (undici), no
 * redirects, a hard timeout covering connect, headers and body, and the
 * response body capped.
 */
export class CallbackSender {
  private readonly agent: Agent
  private readonly timeoutMs: number
  private readonly policy: UrlPolicy

  constructor (o: SenderOptions) {
    this.timeoutMs = o.timeoutMs
    this.policy = o.policy
    this.agent = new Agent({
      connections: o.connections,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
      connect: { timeout: o.timeoutMs, lookup: guardedLookup(o.policy) as never }
    })
  }

  async send (url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    // The connector's lookup never runs for an IP literal, so judge those here: a URL
    // stored under a laxer policy (development mode, an allow-list entry since removed)
    // must not reach loopback or metadata addresses from a production worker.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
    if (isIP(host)) {
      const why = forbiddenAddress(this.policy, host)
      if (why) return { kind: 'forbidden', error: `${why}; refused` }
    }
    let res: Awaited<ReturnType<typeof request>>
    try {
      res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'taskbbs-callback', ...headers },
        signal: AbortSignal.timeout(this.timeoutMs)
      })
    } catch (err) {
      return classify(err)
    }
    // The status decides; a body that is huge, slow or broken changes nothing.
    try {
      let read = 0
      for await (const chunk of res.body) {
        read += (chunk as Buffer).length
        if (read > MAX_RESPONSE_BYTES) { res.body.destroy(); break }
      }
    } catch {}
    return { kind: 'status', status: res.statusCode }
  }

  async close (): Promise<void> {
    await this.agent.close()
  }
}
