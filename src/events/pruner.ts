import type pg from 'pg'
import { eventsPruned } from '../metrics/registry.ts'
import { pruneEvents } from '../store/events.ts'
import { Periodic } from '../loops/periodic.ts'

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
export class EventPruner extends Periodic {
  constructor (o: EventPrunerOptions) {
    // A tenth of the retention, between 1 s and 1 min: events outlive it by at most that.
    super(Math.min(60_000, Math.max(1000, o.retentionMs / 10)), () => pruneEvents(o.pool, o.retentionMs)
      .then(n => { eventsPruned.inc(n) })
      .catch(err => o.log.warn({ err }, 'pruning task events failed; retrying next interval')))
  }
}
