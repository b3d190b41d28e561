import type pg from 'pg'
import { eventsPruned } from '../metrics/registry.ts'
import { pruneEvents } from '../store/events.ts'

export interface EventPrunerOptions {
  pool: pg.Pool
  /** Events older than this are deleted. */
  retentionMs: number
  log: { warn (obj: object, msg: string): void }
}

/**
 * Keeps task_events to the retention window. Every replica runs one: deletes
 * are idempotent, so two replicas pruning at once only share the work.
 * States: stopped → running → stopped; stop() waits for a pass in progress.
 */
export class EventPruner {
  private readonly o: EventPrunerOptions
  private timer?: NodeJS.Timeout
  private pass?: Promise<void>
  /** A tenth of the retention, between 1 s and 1 min: events outlive it by at most that. */
  readonly intervalMs: number

  constructor (options: EventPrunerOptions) {
    this.o = options
    this.intervalMs = Math.min(60_000, Math.max(1000, options.retentionMs / 10))
  }

  start (): void {
    if (this.timer) return
    this.timer = setInterval(() => { this.runOnce() }, this.intervalMs)
    this.timer.unref()
  }

  runOnce (): Promise<void> {
    this.pass ??= pruneEvents(this.o.pool, this.o.retentionMs)
      .then(n => { eventsPruned.inc(n) })
      .catch(err => this.o.log.warn({ err }, 'pruning task events failed; retrying next interval'))
      .finally(() => { this.pass = undefined })
    return this.pass
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.pass
  }
}
