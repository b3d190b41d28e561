import type pg from 'pg'
import type { Queryable } from './tasks.ts'

export interface Delivery {
  id: string
  guid: string
  url: string
  /** scheme://host[:port], lower-cased, without user info. */
  origin: string
  /** The origin and the URL's path. */
  destination: string
  payload: Record<string, unknown>
  createdAt: Date
  attempts: number
}

export type AttemptOutcome = 'resolved' | 'retry_now' | 'retry_later' | 'given_up'

export interface AttemptRecord {
  attempt: number
  at: Date
  durationMs: number
  status?: number
  error?: string
  outcome: AttemptOutcome
}

/** A due delivery as the claim sees it before choosing: where it goes, and whether its give-up window has passed. */
export interface DueDelivery {
  id: string
  origin: string
  destination: string
  expired: boolean
}

export interface DueQuery {
  /** Origins and destinations with no free slot: their deliveries are left for later. */
  fullOrigins: string[]
  fullDestinations: string[]
  /** Origins and destinations whose circuit is open: their deliveries past the give-up window are returned even when full, to be given up unsent. */
  openKeys: string[]
  giveUpAfterMs: number
  limit: number
}

/**
 * Due, unlocked deliveries, oldest first, except those to full origins and
 * destinations (so that a receiver holding all its slots does not fill every
 * batch with work that cannot start). Reads only; claimDeliveries locks the
 * ones the worker chose.
 */
export async function findDueDeliveries (db: Queryable, q: DueQuery): Promise<DueDelivery[]> {
  const { rows } = await db.query<{ id: string, origin: string, destination: string, expired: boolean }>({
    name: 'taskbbs_due_deliveries',
    text: `SELECT id, origin, destination, created_at < clock_timestamp() - make_interval(secs => $4::double precision / 1000) AS expired
       FROM callback_deliveries
       WHERE next_attempt_at <= clock_timestamp() AND (locked_until IS NULL OR locked_until < clock_timestamp())
         AND ((origin <> ALL($1::text[]) AND destination <> ALL($2::text[]))
           OR ((origin = ANY($3::text[]) OR destination = ANY($3::text[])) AND created_at < clock_timestamp() - make_interval(secs => $4::double precision / 1000)))
       ORDER BY next_attempt_at LIMIT $5`,
    values: [q.fullOrigins, q.fullDestinations, q.openKeys, q.giveUpAfterMs, q.limit]
  })
  return rows
}

/**
 * Claims the given deliveries for this worker until lockMs from now (those
 * another worker took meanwhile are skipped), and in the same statement moves
 * the tasks of first attempts COMPLETED → RESOLVING, as BBS's completion
 * worker does before it calls back. `owned` is false when a client had already
 * claimed (or deleted) the task: then the callback is not sent — Diego's rule
 * of one resolver per task. A worker that dies holding a delivery lets the
 * lock run out; another worker then sends it.
 */
export async function claimDeliveries (db: Queryable, workerId: string, ids: string[], lockMs: number): Promise<Array<Delivery & { owned: boolean }>> {
  const { rows } = await db.query<{ id: string, guid: string, url: string, origin: string, destination: string, payload: Record<string, unknown>, created_at: Date, attempts: number, owned: boolean }>({
    name: 'taskbbs_claim_deliveries',
    text: `WITH c AS (
       SELECT id FROM callback_deliveries
       WHERE id = ANY($2::bigint[]) AND next_attempt_at <= clock_timestamp() AND (locked_until IS NULL OR locked_until < clock_timestamp())
       FOR UPDATE SKIP LOCKED
     ), d AS (
       UPDATE callback_deliveries d SET locked_by = $1, locked_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
       FROM c WHERE d.id = c.id
       RETURNING d.id, d.guid, d.url, d.origin, d.destination, d.payload, d.created_at, d.attempts
     ), r AS (
       UPDATE tasks t SET state = 'RESOLVING', updated_at = clock_timestamp()
       FROM d WHERE t.guid = d.guid AND d.attempts = 0 AND t.state = 'COMPLETED'
       RETURNING t.guid
     )
     SELECT d.*, (d.attempts > 0 OR r.guid IS NOT NULL) AS owned FROM d LEFT JOIN r ON r.guid = d.guid`,
    values: [workerId, ids, lockMs]
  })
  return rows.map(r => ({ id: r.id, guid: r.guid, url: r.url, origin: r.origin, destination: r.destination, payload: r.payload, createdAt: r.created_at, attempts: r.attempts, owned: r.owned }))
}

export async function recordAttempt (db: Queryable, deliveryId: string, a: AttemptRecord): Promise<void> {
  await db.query(
    `WITH a AS (INSERT INTO callback_attempts (delivery_id, attempt, at, duration_ms, status, error, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7))
     UPDATE callback_deliveries SET attempts = $2, last_error = COALESCE($6, '') WHERE id = $1`,
    [deliveryId, a.attempt, a.at, a.durationMs, a.status ?? null, a.error ?? null, a.outcome])
}

/**
 * Ends deliveries by deleting their RESOLVING tasks; the deliveries and their
 * attempts go with them (ON DELETE CASCADE). One statement for many: the
 * worker group-commits resolved callbacks.
 */
export async function finishDeliveries (db: Queryable, guids: string[]): Promise<void> {
  await db.query({
    name: 'taskbbs_finish_deliveries',
    text: `WITH t AS (DELETE FROM tasks WHERE guid = ANY($1::text[]) AND state = 'RESOLVING' RETURNING guid)
     DELETE FROM callback_deliveries WHERE guid = ANY($1::text[]) AND guid NOT IN (SELECT guid FROM t)`,
    values: [guids]
  })
}

/** Drops a delivery without touching its task (a client resolved the task first). */
export async function dropDelivery (db: Queryable, d: Delivery): Promise<void> {
  await db.query('DELETE FROM callback_deliveries WHERE id = $1', [d.id])
}

export async function scheduleRetry (db: Queryable, d: Delivery, at: Date): Promise<void> {
  await db.query('UPDATE callback_deliveries SET next_attempt_at = $2, locked_by = NULL, locked_until = NULL WHERE id = $1', [d.id, at])
}

export interface DeliveryView {
  url: string
  created_at: string
  next_attempt_at: string
  attempts: Array<{ attempt: number, at: string, duration_ms: number, status?: number, error?: string, outcome: AttemptOutcome }>
}

export async function readDelivery (db: pg.Pool, guid: string): Promise<DeliveryView | undefined> {
  const { rows: [d] } = await db.query<{ id: string, url: string, created_at: Date, next_attempt_at: Date }>(
    'SELECT id, url, created_at, next_attempt_at FROM callback_deliveries WHERE guid = $1', [guid])
  if (!d) return undefined
  const { rows } = await db.query<{ attempt: number, at: Date, duration_ms: number, status: number | null, error: string | null, outcome: AttemptOutcome }>(
    'SELECT attempt, at, duration_ms, status, error, outcome FROM callback_attempts WHERE delivery_id = $1 ORDER BY attempt', [d.id])
  return {
    url: d.url,
    created_at: d.created_at.toISOString(),
    next_attempt_at: d.next_attempt_at.toISOString(),
    attempts: rows.map(r => ({
      attempt: r.attempt, at: r.at.toISOString(), duration_ms: r.duration_ms, outcome: r.outcome,
      ...(r.status !== null ? { status: r.status } : {}), ...(r.error !== null ? { error: r.error } : {})
    }))
  }
}
