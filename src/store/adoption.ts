import { CHANNELS } from './notify.ts'
import { type ClaimedTask, type ClaimedRow, CLAIMED_COLUMNS, type Lease, toClaimed } from './scheduling.ts'
import type { Queryable } from './tasks.ts'

/**
 * Leases of running work that outlives its replica (Kubernetes pods). A
 * RUNNING task whose lease ran out (its replica died) or was released (its
 * replica stopped) is taken over by another replica, which finds the work and
 * records its outcome; the fencing token, bumped on every takeover, makes
 * sure only the newest holder can.
 */

/**
 * Takes over up to `limit` RUNNING tasks whose lease expired or was released;
 * with `includeOwn`, also those still leased to this cell id (a replica
 * restarted under the same id holds leases it no longer knows about).
 * cell_id is left alone: it names where the work runs, not who watches it.
 */
export async function adoptTasks (db: Queryable, cellId: string, limit: number, leaseMs: number, includeOwn = false): Promise<ClaimedTask[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH c AS (
       SELECT guid FROM tasks
       WHERE state = 'RUNNING' AND (lease_expires_at < clock_timestamp() OR ($4 AND lease_owner = $1))
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE tasks t SET lease_owner = $1,
       lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000),
       fencing_token = t.fencing_token + 1
     FROM c WHERE t.guid = c.guid
     RETURNING ${CLAIMED_COLUMNS}, (SELECT coalesce(max(l.seq), 0) FROM task_logs l WHERE l.guid = t.guid)::int AS log_seq`,
    [cellId, limit, leaseMs, includeOwn])
  return rows.map(toClaimed)
}

/**
 * Gives up these leases at once (they expire now), leaving the tasks RUNNING; with `wake`, the
 * other replicas are told to adopt them: a stopping replica's work keeps
 * running. (Without: a failed adoption is retried at the next poll, not in
 * a tight loop.)
 */
export async function releaseLeases (db: Queryable, cellId: string, leases: Lease[], wake: boolean): Promise<string[]> {
  if (leases.length === 0) return []
  const { rows } = await db.query<{ guid: string }>(
    `WITH r AS (
       UPDATE tasks t SET lease_owner = NULL, lease_expires_at = clock_timestamp()
       FROM unnest($2::text[], $3::bigint[]) AS l(guid, token)
       WHERE t.guid = l.guid AND t.fencing_token = l.token AND t.state = 'RUNNING' AND t.lease_owner = $1
       RETURNING t.guid
     )
     SELECT guid, CASE WHEN $4 THEN pg_notify('${CHANNELS.desired}', '') END FROM r`,
    [cellId, leases.map(l => l.guid), leases.map(l => l.fencingToken), wake])
  return rows.map(r => r.guid)
}

/** The cell (on Kubernetes: the node) the work of a leased task runs on. */
export async function placeLeasedTask (db: Queryable, cellId: string, lease: Lease, cell: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tasks SET cell_id = $4, updated_at = clock_timestamp()
     WHERE guid = $1 AND state = 'RUNNING' AND lease_owner = $2 AND fencing_token = $3 AND cell_id <> $4`,
    [lease.guid, cellId, lease.fencingToken, cell])
  return rowCount === 1
}

/** How many output lines of each leased task's running work are stored. */
export async function recordLogsSeen (db: Queryable, cellId: string, items: Array<{ lease: Lease, seen: number }>): Promise<void> {
  if (items.length === 0) return
  await db.query(
    `UPDATE tasks t SET logs_seen = l.seen
     FROM unnest($2::text[], $3::bigint[], $4::int[]) AS l(guid, token, seen)
     WHERE t.guid = l.guid AND t.fencing_token = l.token AND t.state = 'RUNNING' AND t.lease_owner = $1`,
    [cellId, items.map(i => i.lease.guid), items.map(i => i.lease.fencingToken), items.map(i => i.seen)])
}

export interface RunRef { guid: string, runId: string }

/**
 * Of these runs, the ones whose task is still RUNNING that run: the work of
 * any other may go. A run id "" (work made before runs had ids) is live while
 * its guid's task runs.
 */
export async function liveRuns (db: Queryable, runs: RunRef[]): Promise<Set<string>> {
  if (runs.length === 0) return new Set()
  const { rows } = await db.query<{ guid: string, run_id: string }>(
    `SELECT r.guid, r.run_id FROM tasks t JOIN unnest($1::text[], $2::text[]) AS r(guid, run_id)
       ON t.guid = r.guid AND (t.run_id = r.run_id OR r.run_id = '')
     WHERE t.state = 'RUNNING'`,
    [runs.map(r => r.guid), runs.map(r => r.runId)])
  return new Set(rows.map(r => runKey(r.guid, r.run_id)))
}

export const runKey = (guid: string, runId: string) => `${guid}\n${runId}`
