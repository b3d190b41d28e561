import type pg from 'pg'
import { type AttemptOutcome, type Delivery, claimDeliveries, dropDelivery, findDueDeliveries, finishDeliveries, recordAttempt, scheduleRetry } from '../store/callbacks.ts'
import { GroupCommit } from '../loops/group-commit.ts'
import { coalesced } from '../loops/coalesced.ts'
import { CHANNELS, Listener } from '../store/notify.ts'
import { type SendResult, CallbackSender } from './sender.ts'
import { signatureHeaders } from './signing.ts'
import { type FairnessOptions, FairShare } from './fairness.ts'
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
  /** How the slots are shared between receivers (defaults derive from concurrency; see FairShare). */
  fairness?: Omit<FairnessOptions, 'concurrency'>
  pollIntervalMs: number
  signingKey?: Buffer
  log: { info (obj: object, msg: string): void, warn (obj: object, msg: string): void, error (obj: object, msg: string): void }
  onAttempt?: (outcome: AttemptOutcome, durationMs: number) => void
}

/** Diego: "Diego will immediately retry the callback up to 3 times" on 503/504. */
export const IMMEDIATE_RETRIES = 3

const UNAVAILABLE = new Set([503, 504])
/** Destinations whose last failure is remembered for give-up messages. */
const LAST_FAILURES_KEPT = 1000

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
  private readonly lastFailure = new Map<string, string>()
  private state: 'stopped' | 'running' | 'stopping' = 'stopped'
  private listener?: Listener
  private timer?: NodeJS.Timeout
  private inFlight = new Set<Promise<void>>()
  /** Slots per origin and destination, and their circuit breakers. */
  readonly fair: FairShare
  readonly stats: Record<AttemptOutcome, number> = { resolved: 0, retry_now: 0, retry_later: 0, given_up: 0 }

  constructor (options: CallbackWorkerOptions) {
    this.o = options
    this.fair = new FairShare({ concurrency: options.concurrency, ...options.fairness })
    // No origin gets more connections than slots it may use.
    this.sender = new CallbackSender({ policy: options.policy, timeoutMs: options.requestTimeoutMs, connections: this.fair.healthySlots })
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
      const full = this.fair.full()
      // A few times the room: some candidates may share a destination with no slot left.
      const scan = room * 4
      const due = await findDueDeliveries(this.o.pool, {
        fullOrigins: full.origins, fullDestinations: full.destinations, openKeys: full.open, giveUpAfterMs: this.o.giveUpAfterMs, limit: scan
      })
      // Past the give-up window to a receiver whose breaker is open: given up without a request.
      const unsent = new Set(due.filter(d => d.expired && (this.fair.originHealth(d.origin) === 'open' || this.fair.destinationHealth(d.destination) === 'open')).map(d => d.id))
      const chosen = this.fair.pick(due.filter(d => !unsent.has(d.id)), room)
      if (chosen.length === 0 && unsent.size === 0) return
      const batch = await claimDeliveries(this.o.pool, this.o.workerId, [...unsent, ...chosen.map(d => d.id)], lockMs)
      for (const d of batch) {
        let work: Promise<void>
        if (!d.owned) work = dropDelivery(this.o.pool, d)
        else if (unsent.has(d.id)) work = this.giveUpUnsent(d)
        else {
          this.fair.start(d.origin, d.destination)
          work = this.deliver(d).finally(() => this.fair.end(d.origin, d.destination))
        }
        const p: Promise<void> = work
          .catch(err => this.o.log.error({ err, guid: d.guid }, 'callback delivery failed; its lock will run out and it will be retried'))
          .finally(() => { this.inFlight.delete(p); this.wake() })
        this.inFlight.add(p)
      }
      if (due.length < scan) return
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
      if (result.kind !== 'forbidden') this.fair.record(d.origin, d.destination, result.kind === 'status' ? 'answer' : 'failure')
      this.rememberFailure(d.destination, result.kind === 'status' ? (UNAVAILABLE.has(result.status) ? `answered ${result.status}` : undefined) : result.error)
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

  /**
   * Diego gives up "after about 2 minutes without a successful response". A
   * delivery whose window passed while its receiver's breaker was open (it
   * waited for the single probe slot) is given up without one more request
   * that would almost surely time out too.
   */
  private async giveUpUnsent (d: Delivery): Promise<void> {
    const key = this.fair.destinationHealth(d.destination) === 'open' ? d.destination : d.origin
    // Counted, but not as an attempt: nothing was sent.
    this.stats.given_up++
    const last = this.lastFailure.get(d.destination)
    return this.giveUp(d, d.attempts, `not sent again: ${key} keeps failing (circuit open${last ? `; last: ${last}` : ''}) and the give-up window has passed${d.attempts ? '' : '; never attempted'}`)
  }

  /**
   * The last failure per destination, so that a delivery given up behind an
   * open breaker still says why its receiver failed. Bounded: the oldest
   * entry goes first; an answer that resolves clears the destination.
   */
  private rememberFailure (destination: string, failure: string | undefined): void {
    this.lastFailure.delete(destination)
    if (failure === undefined) return
    this.lastFailure.set(destination, failure)
    if (this.lastFailure.size > LAST_FAILURES_KEPT) this.lastFailure.delete(this.lastFailure.keys().next().value!)
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
