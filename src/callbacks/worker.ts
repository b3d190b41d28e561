import type pg from 'pg'
import { type AttemptOutcome, type Delivery, claimDeliveries, dropDelivery, finishDeliveries, recordAttempt, scheduleRetry } from '../store/callbacks.ts'
import { GroupCommit } from '../loops/group-commit.ts'
import { coalesced } from '../loops/coalesced.ts'
import { CHANNELS, Listener } from '../store/notify.ts'
import { type SendResult, CallbackSender } from './sender.ts'
import { signatureHeaders } from './signing.ts'
import type { UrlPolicy } from './url-policy.ts'

export interface CallbackWorkerOptions {
  pool: pg.Pool
  databaseUrl: string
  workerId: string
  policy: UrlPolicy
  /** Per-attempt limit for connect + response (a hang past it counts as a timeout). */
  requestTimeoutMs: number
  /** Diego: "try again after a short period of time, typically 30 seconds". */
  retryIntervalMs: number
  /** Diego: "after about 2 minutes without a successful response … give up and delete". */
  giveUpAfterMs: number
  /** Deliveries in flight at once. */
  concurrency: number
  pollIntervalMs: number
  signingKey?: Buffer
  log: { info (obj: object, msg: string): void, warn (obj: object, msg: string): void, error (obj: object, msg: string): void }
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void
}

/** Diego: "Diego will immediately retry the callback up to 3 times" on 503/504. */
export const IMMEDIATE_RETRIES = 3

const UNAVAILABLE = new Set([503, 504])

/**
 * Delivers completion callbacks from the outbox with Diego's rules. Any
 * response but 503/504 resolves the task (it is deleted); 503/504 is retried at
 * once up to 3 times; then, and on timeouts and connection errors, the
 * delivery waits retryIntervalMs; past giveUpAfterMs the task is deleted.
 *
 * States: stopped → running (claims on NOTIFY and poll) → stopping (no claims,
 * waits for deliveries in flight) → stopped.
 */
export class CallbackWorker {
  private readonly o: CallbackWorkerOptions
  private readonly sender: CallbackSender
  private readonly finisher: GroupCommit<string>
  private state: 'stopped' | 'running' | 'stopping' = 'stopped'
  private listener?: Listener
  private timer?: NodeJS.Timeout
  private inFlight = new Set<Promise<void>>()
  readonly stats: Record<AttemptOutcome, number> = { resolved: 0, retry_now: 0, retry_later: 0, given_up: 0 }

  constructor (options: CallbackWorkerOptions) {
    this.o = options
    this.sender = new CallbackSender({ policy: options.policy, timeoutMs: options.requestTimeoutMs, connections: options.concurrency })
    this.finisher = new GroupCommit(guids => finishDeliveries(options.pool, guids))
  }

  async start (): Promise<void> {
    if (this.state !== 'stopped') return
    this.state = 'running'
    this.listener = new Listener(this.o.databaseUrl, [CHANNELS.callbackReady], () => this.wake(), () => this.wake())
    await this.listener.start()
    this.timer = setInterval(() => this.wake(), this.o.pollIntervalMs)
    this.timer.unref()
    this.wake()
  }

  wake (): void {
    if (this.state === 'running') this.claimSoon()
  }

  private readonly claimSoon = coalesced(() => this.claim(),
    err => this.o.log.warn({ err }, 'claiming callback deliveries failed; retrying on the next wake-up'))

  private async claim (): Promise<void> {
    while (this.state === 'running') {
      const room = this.o.concurrency - this.inFlight.size
      // Refill in batches: one claim per finished delivery would cost a query each.
      if (room <= 0 || (this.inFlight.size > 0 && room < Math.ceil(this.o.concurrency / 4))) return
      // Long enough for a whole round of immediate retries; a dead worker's lock runs out after it.
      const lockMs = (IMMEDIATE_RETRIES + 1) * this.o.requestTimeoutMs + 5000
      const batch = await claimDeliveries(this.o.pool, this.o.workerId, room, lockMs)
      for (const d of batch) {
        const p: Promise<void> = (d.owned ? this.deliver(d) : dropDelivery(this.o.pool, d))
          .catch(err => this.o.log.error({ err, guid: d.guid }, 'callback delivery failed; its lock will run out and it will be retried'))
          .finally(() => { this.inFlight.delete(p); this.wake() })
        this.inFlight.add(p)
      }
      if (batch.length < room) return
    }
  }

  private async attempt (d: Delivery, n: number, body: string, result: SendResult, started: number, outcome: AttemptOutcome): Promise<void> {
    const durationMs = Math.round(performance.now() - started)
    await recordAttempt(this.o.pool, d.id, {
      attempt: n,
      at: new Date(Date.now() - durationMs),
      durationMs,
      outcome,
      ...(result.kind === 'status' ? { status: result.status } : { error: result.error })
    })
    this.count(outcome, durationMs)
  }

  private count (outcome: AttemptOutcome, durationMs: number): void {
    this.stats[outcome]++
    this.o.onAttempt?.(outcome, durationMs)
  }

  private async deliver (d: Delivery): Promise<void> {
    const body = JSON.stringify(d.payload)
    const messageId = `msg_${d.guid}_${d.id}`
    let n = d.attempts
    for (let immediate = 0; ; immediate++) {
      n++
      const headers = this.o.signingKey ? signatureHeaders(this.o.signingKey, messageId, body) : {}
      const started = performance.now()
      const result = await this.sender.send(d.url, body, headers)
      if (result.kind === 'status' && !UNAVAILABLE.has(result.status)) {
        // No attempt row: the task and its attempts are deleted in the same breath.
        this.count('resolved', Math.round(performance.now() - started))
        // The slot is free once the receiver answered; the delivery stays locked
        // until the batched delete commits, so no other worker can send it again.
        this.finish(d.guid)
        return
      }
      if (result.kind === 'forbidden') {
        await this.attempt(d, n, body, result, started, 'given_up')
        return this.giveUp(d, n, result.error)
      }
      if (result.kind === 'status' && immediate < IMMEDIATE_RETRIES) {
        await this.attempt(d, n, body, result, started, 'retry_now')
        continue
      }
      const next = new Date(Date.now() + this.o.retryIntervalMs)
      const reason = result.kind === 'status' ? `answered ${result.status}` : result.error
      if (next.getTime() > d.createdAt.getTime() + this.o.giveUpAfterMs) {
        await this.attempt(d, n, body, result, started, 'given_up')
        return this.giveUp(d, n, reason)
      }
      await this.attempt(d, n, body, result, started, 'retry_later')
      await scheduleRetry(this.o.pool, d, next)
      return
    }
  }

  private finish (guid: string): void {
    this.finisher.add(guid).catch(err =>
      this.o.log.error({ err, guid }, 'deleting a resolved task failed; its delivery lock will run out and the callback will be sent again'))
  }

  private async giveUp (d: Delivery, attempts: number, reason: string): Promise<void> {
    this.o.log.warn({ event: 'callback_given_up', guid: d.guid, url: d.url, attempts, reason, age_ms: Date.now() - d.createdAt.getTime() },
      'completion callback given up; the task is deleted')
    this.finish(d.guid)
  }

  async stop (): Promise<void> {
    if (this.state === 'stopped') return
    this.state = 'stopping'
    clearInterval(this.timer)
    await this.listener?.close()
    await Promise.allSettled([...this.inFlight])
    await this.finisher.drain()
    await this.sender.close()
    this.state = 'stopped'
  }
}
