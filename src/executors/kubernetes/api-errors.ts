import { ApiException } from '@kubernetes/client-node'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Kubernetes API failures, read from the Status object the API server sends
 * (client-node 2.x leaves it as a JSON string in ApiException.body), and the
 * retry rule for the ones that pass: throttling (429), server trouble (5xx)
 * and a connection that failed. Anything else is an answer, not a hiccup.
 */
export interface ApiFailure {
  /** HTTP status; undefined when no answer arrived. */
  status?: number
  /** Status.reason: AlreadyExists, NotFound, Forbidden, Invalid, Conflict, ... */
  reason?: string
  message: string
  retryAfterMs?: number
}

export function apiFailure (err: unknown): ApiFailure {
  if (err instanceof ApiException) {
    let body: { reason?: string, message?: string } | undefined
    try {
      body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body as typeof body
    } catch {}
    const retryAfter = Number(err.headers?.['retry-after'])
    return {
      status: err.code,
      reason: body?.reason,
      message: body?.message ?? `HTTP ${err.code}`,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined
    }
  }
  const e = err as { message?: string, cause?: { code?: string, message?: string }, code?: string }
  const code = e?.cause?.code ?? e?.code
  return { message: `${e?.message ?? String(err)}${code ? ` (${code})` : ''}` }
}

export const isNotFound = (err: unknown) => apiFailure(err).status === 404
export const isAlreadyExists = (err: unknown) => apiFailure(err).status === 409 && apiFailure(err).reason === 'AlreadyExists'

/**
 * Quota admission answers 403 Forbidden with "exceeded quota: …", or "status
 * unknown for quota: …" while the quota controller has not counted usage yet.
 * Both clear with time (or elsewhere), so the task goes back to PENDING.
 */
export function isQuotaRefusal (err: unknown): boolean {
  const f = apiFailure(err)
  return f.status === 403 && /exceeded quota|status unknown for quota/i.test(f.message)
}

/** Worth trying again: throttling, server trouble, a connection that failed. */
export function isTransient (err: unknown): boolean {
  if (err instanceof ApiException) return err.code === 429 || err.code === 500 || err.code === 502 || err.code === 503 || err.code === 504
  // undici's fetch rejects with TypeError("fetch failed") and the socket error as cause.
  const e = err as { name?: string, message?: string, cause?: { code?: string } }
  return (e?.name === 'TypeError' && e.message === 'fetch failed') || typeof e?.cause?.code === 'string'
}

export interface RetryOptions {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 6, baseDelayMs: 100, maxDelayMs: 5000 }

/**
 * Runs an API call, retrying transient failures with capped exponential
 * backoff and full jitter; a 429's Retry-After is honoured up to the cap.
 * With the defaults a call gives up after about 10 s of trying.
 */
export async function withRetry<T> (op: () => Promise<T>, opts: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op()
    } catch (err) {
      if (attempt >= opts.attempts || !isTransient(err)) throw err
      const backoff = Math.random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt)
      const hinted = apiFailure(err).retryAfterMs
      await sleep(Math.min(opts.maxDelayMs, Math.max(backoff, hinted ?? 0)))
    }
  }
}
