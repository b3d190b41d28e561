import { Gauge, type Registry } from 'prom-client'
import type pg from 'pg'
import type { OriginState } from '../callbacks/fairness.ts'
import { countFailingDeliveries } from '../store/stats.ts'

/** Origins reported one by one; the rest are summed under `other`, so that the label set stays bounded. */
export const MAX_ORIGIN_LABELS = 20

/** What /metrics reads from a callback worker; CallbackWorker has it (`fair`). */
export interface CallbackSource { readonly fair: { originStates (): OriginState[] } }

/** The label of an origin: its host (and port) only, never a path, query or user info. */
export function originLabel (origin: string): string {
  return origin === 'other' ? origin : origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '')
}

/** Sums by label, keeping the `limit` largest by `rank` and putting the rest under `other`. */
function bounded<T> (items: T[], label: (t: T) => string, rank: (t: T) => number, limit: number): Map<string, T[]> {
  const out = new Map<string, T[]>()
  const sorted = [...items].sort((a, b) => rank(b) - rank(a))
  for (const [i, item] of sorted.entries()) {
    const key = i < limit ? label(item) : 'other'
    out.set(key, [...(out.get(key) ?? []), item])
  }
  return out
}

/**
 * Per-origin callback gauges, read at scrape time: deliveries in flight and
 * breaker state from this replica's worker, deliveries waiting for a retry
 * after a failed attempt from the outbox (all replicas).
 */
export function registerCallbackOriginMetrics (registers: Registry[], src: { pool: pg.Pool, callbacks?: () => CallbackSource | undefined }): void {
  const states = () => bounded(src.callbacks?.()?.fair.originStates() ?? [], s => originLabel(s.origin), s => s.inFlight * 1000 + s.failures, MAX_ORIGIN_LABELS)
  new Gauge({
    name: 'taskbbs_callback_origin_in_flight',
    help: `Completion callbacks this replica has in flight, by receiver origin host (the ${MAX_ORIGIN_LABELS} busiest; the rest as "other").`,
    labelNames: ['origin'] as const,
    registers,
    collect () {
      this.reset()
      for (const [origin, list] of states()) this.set({ origin }, list.reduce((n, s) => n + s.inFlight, 0))
    }
  })
  new Gauge({
    name: 'taskbbs_callback_origin_circuit_open',
    help: 'Receiver origin hosts whose circuit breaker is open on this replica (timeouts or connection errors in a row; one probe at a time until one answers): 1 open, 0 closed.',
    labelNames: ['origin'] as const,
    registers,
    collect () {
      this.reset()
      for (const [origin, list] of states()) this.set({ origin }, list.some(s => s.open) ? 1 : 0)
    }
  })
  new Gauge({
    name: 'taskbbs_callback_failing_deliveries',
    help: `Completion callbacks whose last attempt failed and that wait for a retry, by receiver origin host (the ${MAX_ORIGIN_LABELS} with most; the rest as "other").`,
    labelNames: ['origin'] as const,
    registers,
    async collect () {
      this.reset()
      try {
        for (const r of await countFailingDeliveries(src.pool, MAX_ORIGIN_LABELS)) this.inc({ origin: originLabel(r.origin) }, r.count)
      } catch {
        // taskbbs_database_up already says the database could not be read.
      }
    }
  })
}
