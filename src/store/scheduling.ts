import type { Task } from '../domain/task.ts'
import { truncateReason } from '../domain/lifecycle.ts'
import type { StoredDefinition, TaskDefinition } from '../domain/task-definition.ts'
import { TASK_COLUMNS, type Queryable, type TaskRow, getTask, toTask } from './tasks.ts'

export interface ClaimedTask {
  guid: string
  domain: string
  /** Grows with every claim; a result is recorded only with the token of the current claim. */
  fencingToken: string
  /** The desire this run belongs to: fresh for every desire of the guid. */
  runId: string
  /** Output lines of the running work already stored (see adoption.ts). */
  logsSeen: number
  /** The task log's last line number; only an adoption reads it (a claimed task starts its log). */
  logSeq: number
  definition: TaskDefinition
}

/**
 * Claims up to `limit` PENDING tasks in desire order for this cell: RUNNING,
 * leased for leaseMs, fencing token bumped. SKIP LOCKED lets replicas claim
 * concurrently without waiting on each other's rows.
 */
export async function claimTasks (db: Queryable, cellId: string, limit: number, leaseMs: number): Promise<ClaimedTask[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH c AS (
       SELECT guid FROM tasks WHERE state = 'PENDING' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE tasks t SET state = 'RUNNING', cell_id = $1, lease_owner = $1,
       lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000),
       fencing_token = t.fencing_token + 1, updated_at = clock_timestamp()
     FROM c WHERE t.guid = c.guid
     RETURNING ${CLAIMED_COLUMNS}`,
    [cellId, limit, leaseMs])
  return rows.map(toClaimed)
}

export interface ClaimedRow { guid: string, domain: string, fencing_token: string, run_id: string, logs_seen: number, log_seq?: number, definition: StoredDefinition, image_password: string | null }
export const CLAIMED_COLUMNS = 't.guid, t.domain, t.fencing_token, t.run_id, t.logs_seen, t.definition, t.image_password'

export function toClaimed (r: ClaimedRow): ClaimedTask {
  return {
    guid: r.guid,
    domain: r.domain,
    fencingToken: r.fencing_token,
    runId: r.run_id,
    logsSeen: r.logs_seen,
    logSeq: r.log_seq ?? 0,
    definition: { ...r.definition, guid: r.guid, domain: r.domain, ...(r.image_password ? { image_password: r.image_password } : {}) }
  }
}

export interface Lease { guid: string, fencingToken: string }

/** Extends the leases this cell still holds; returns the guids renewed. A missing guid was cancelled, failed or taken over. */
export async function renewLeases (db: Queryable, cellId: string, leases: Lease[], leaseMs: number): Promise<Set<string>> {
  if (leases.length === 0) return new Set()
  const { rows } = await db.query<{ guid: string }>(
    `UPDATE tasks t SET lease_expires_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
     FROM unnest($2::text[], $3::bigint[]) AS l(guid, token)
     WHERE t.guid = l.guid AND t.fencing_token = l.token AND t.state = 'RUNNING' AND t.lease_owner = $1
     RETURNING t.guid`,
    [cellId, leases.map(l => l.guid), leases.map(l => l.fencingToken), leaseMs])
  return new Set(rows.map(r => r.guid))
}

export interface Completion { failed: boolean, failureReason: string, result: string }

/**
 * RUNNING → COMPLETED for many tasks in one statement, each only under the
 * caller's current lease. Returns, per item, whether it was recorded: false
 * means the lease was lost and the result of this fenced-off replica is dropped.
 */
export async function completeLeasedTasks (db: Queryable, cellId: string, items: Array<{ lease: Lease, completion: Completion }>): Promise<boolean[]> {
  const { rows } = await db.query<{ guid: string }>({
    name: 'taskbbs_complete_leased',
    text: `UPDATE tasks t SET state = 'COMPLETED', failed = c.failed, failure_reason = c.reason, result = c.result,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = clock_timestamp(),
       first_completed_at = COALESCE(t.first_completed_at, clock_timestamp())
     FROM unnest($2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::text[]) AS c(guid, token, failed, reason, result)
     WHERE t.guid = c.guid AND t.state = 'RUNNING' AND t.lease_owner = $1 AND t.fencing_token = c.token
     RETURNING t.guid`,
    values: [
      cellId,
      items.map(i => i.lease.guid),
      items.map(i => i.lease.fencingToken),
      items.map(i => i.completion.failed),
      items.map(i => i.completion.failed ? truncateReason(i.completion.failureReason) : ''),
      items.map(i => i.completion.failed ? '' : i.completion.result)
    ]
  })
  const recorded = new Set(rows.map(r => r.guid))
  return items.map(i => recorded.has(i.lease.guid))
}

/** One task's completion under its lease; undefined when the lease was lost. */
export async function completeLeasedTask (db: Queryable, cellId: string, lease: Lease, c: Completion): Promise<Task | undefined> {
  const [recorded] = await completeLeasedTasks(db, cellId, [{ lease, completion: c }])
  return recorded ? getTask(db, lease.guid) : undefined
}

/**
 * RUNNING → PENDING, as BBS's RejectTask: the cell could not run it now.
 * Past maxRejections the task fails instead. Undefined when the lease was lost.
 */
export async function rejectLeasedTask (db: Queryable, cellId: string, lease: Lease, reason: string, maxRejections: number): Promise<Task | undefined> {
  const { rows } = await db.query<TaskRow>(
    `UPDATE tasks SET
       rejection_count = rejection_count + 1,
       rejection_reason = $4,
       state = CASE WHEN rejection_count + 1 > $5 THEN 'COMPLETED' ELSE 'PENDING' END,
       failed = rejection_count + 1 > $5,
       failure_reason = CASE WHEN rejection_count + 1 > $5 THEN $4 ELSE '' END,
       first_completed_at = CASE WHEN rejection_count + 1 > $5 THEN clock_timestamp() END,
       cell_id = '', lease_owner = NULL, lease_expires_at = NULL, updated_at = clock_timestamp()
     WHERE guid = $1 AND state = 'RUNNING' AND lease_owner = $2 AND fencing_token = $3
     RETURNING ${TASK_COLUMNS}`,
    [lease.guid, cellId, lease.fencingToken, truncateReason(reason), maxRejections])
  return rows[0] ? toTask(rows[0]) : undefined
}

/** RUNNING → PENDING without counting a rejection: a draining replica gives work back. */
export async function handBackTask (db: Queryable, cellId: string, lease: Lease): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tasks SET state = 'PENDING', cell_id = '', lease_owner = NULL, lease_expires_at = NULL, updated_at = clock_timestamp()
     WHERE guid = $1 AND state = 'RUNNING' AND lease_owner = $2 AND fencing_token = $3`,
    [lease.guid, cellId, lease.fencingToken])
  return rowCount === 1
}
