import type pg from 'pg'
import { CHANNELS } from './notify.ts'
import { withTransaction } from './transaction.ts'

export interface ConvergeSettings {
  /** PENDING longer than this fails "not started within time limit" (Diego: 30 min). */
  pendingTimeoutMs: number
  /** PENDING untouched this long is offered to the schedulers again (Diego: 30 s). */
  kickPendingMs: number
  /** RESOLVING longer than this goes back to COMPLETED (Diego: 30 s). */
  resolvingTimeoutMs: number
  /** COMPLETED whose first completion is older than this is deleted (Diego: 2 min). */
  completedTtlMs: number
  /**
   * The executor's work outlives its replica (Kubernetes pods): a RUNNING task
   * whose lease ran out is adopted by another replica, which fails it only if
   * its work is really gone, so convergence leaves it alone.
   */
  adoption?: boolean
}

export interface ConvergeReport {
  expiredPending: string[]
  kickedPending: number
  lostRunning: string[]
  demotedResolving: string[]
  deletedCompleted: string[]
}

const CONVERGE_LOCK_KEY = 7_406_221_002

export const NOT_STARTED_REASON = 'not started within time limit'
export const CELL_DISAPPEARED_REASON = 'cell disappeared before completion'

// A task whose callback is still being delivered belongs to the outbox, which
// retries and gives up on Diego's schedule; convergence leaves it alone.
const NO_DELIVERY = 'NOT EXISTS (SELECT 1 FROM callback_deliveries d WHERE d.guid = tasks.guid)'
// TES clients never resolve: a task submitted through TES stays readable after
// it completes, until deleted through /v1 (migrations/0008_tes_tasks.sql).
const NOT_TES = 'NOT EXISTS (SELECT 1 FROM tes_tasks k WHERE k.guid = tasks.guid)'

const ms = (i: number) => `make_interval(secs => $${i}::double precision / 1000)`

/**
 * One convergence pass in Diego's order, in one transaction, on at most one
 * replica at a time (a transaction-level advisory lock; the others skip).
 * Returns undefined when another replica holds the lock.
 */
export async function convergeOnce (pool: pg.Pool, s: ConvergeSettings): Promise<ConvergeReport | undefined> {
  return withTransaction(pool, async client => {
    const { rows: [lock] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [CONVERGE_LOCK_KEY])
    if (!lock.ok) return undefined
    const guids = (r: pg.QueryResult<{ guid: string }>) => r.rows.map(x => x.guid)
    const expiredPending = guids(await client.query(
      `UPDATE tasks SET state = 'COMPLETED', failed = true, failure_reason = $2, updated_at = clock_timestamp(),
         first_completed_at = COALESCE(first_completed_at, clock_timestamp())
       WHERE state = 'PENDING' AND created_at < clock_timestamp() - ${ms(1)} RETURNING guid`,
      [s.pendingTimeoutMs, NOT_STARTED_REASON]))
    const { rows: [kick] } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE state = 'PENDING' AND updated_at < clock_timestamp() - ${ms(1)}`, [s.kickPendingMs])
    if (kick.n > 0) await client.query(`SELECT pg_notify('${CHANNELS.desired}', '')`)
    if (s.adoption) {
      // Nobody is told when a replica dies: wake the schedulers to adopt its work.
      const { rows: [orphaned] } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM tasks WHERE state = 'RUNNING' AND lease_expires_at < clock_timestamp()`)
      if (orphaned.n > 0 && kick.n === 0) await client.query(`SELECT pg_notify('${CHANNELS.desired}', '')`)
    }
    const lostRunning = s.adoption ? [] : guids(await client.query(
      `UPDATE tasks SET state = 'COMPLETED', failed = true, failure_reason = $1, lease_owner = NULL, lease_expires_at = NULL,
         updated_at = clock_timestamp(), first_completed_at = COALESCE(first_completed_at, clock_timestamp())
       WHERE state = 'RUNNING' AND lease_expires_at < clock_timestamp() RETURNING guid`,
      [CELL_DISAPPEARED_REASON]))
    const demotedResolving = guids(await client.query(
      `UPDATE tasks SET state = 'COMPLETED', updated_at = clock_timestamp()
       WHERE state = 'RESOLVING' AND updated_at < clock_timestamp() - ${ms(1)} AND ${NO_DELIVERY} RETURNING guid`, [s.resolvingTimeoutMs]))
    const deletedCompleted = guids(await client.query(
      `DELETE FROM tasks WHERE state = 'COMPLETED' AND first_completed_at < clock_timestamp() - ${ms(1)} AND ${NO_DELIVERY} AND ${NOT_TES} RETURNING guid`,
      [s.completedTtlMs]))
    return { expiredPending, kickedPending: kick.n, lostRunning, demotedResolving, deletedCompleted }
  })
}
