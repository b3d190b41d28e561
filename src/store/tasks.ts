import type pg from 'pg'
import { InvalidStateTransitionError, TaskExistsError, TaskNotFoundError } from '../domain/errors.ts'
import { CANCELLED_REASON, TRANSITIONS, truncateReason } from '../domain/lifecycle.ts'
import type { Task, TaskState } from '../domain/task.ts'
import type { StoredDefinition, TaskDefinition } from '../domain/task-definition.ts'
import { CHANNELS } from './notify.ts'

export type Queryable = pg.Pool | pg.PoolClient

export interface TaskRow {
  id: string
  guid: string
  domain: string
  state: TaskState
  definition: StoredDefinition
  cell_id: string
  result: string
  failed: boolean
  failure_reason: string
  rejection_count: number
  rejection_reason: string
  created_at: Date
  updated_at: Date
  first_completed_at: Date | null
}

// Never `SELECT *`: the image password must not reach a row that becomes a response.
export const TASK_COLUMNS = `id, guid, domain, state, definition, cell_id, result, failed, failure_reason,
  rejection_count, rejection_reason, created_at, updated_at, first_completed_at`

export function toTask (row: TaskRow): Task {
  const task: Task = {
    ...row.definition,
    guid: row.guid,
    domain: row.domain,
    state: row.state,
    cell_id: row.cell_id,
    result: row.result,
    failed: row.failed,
    failure_reason: row.failure_reason,
    rejection_count: row.rejection_count,
    rejection_reason: row.rejection_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString()
  }
  if (row.first_completed_at) task.first_completed_at = row.first_completed_at.toISOString()
  return task
}

const UNIQUE_VIOLATION = '23505'

/**
 * notifyAfterCommit: the insert sends no NOTIFY (neither the desired wake-up nor
 * the trigger's event one); the caller sends them after the commit, many desires'
 * together (AfterCommitNotifier), because a notifying commit holds a database-wide
 * lock until it is flushed (migrations/0005). The mark is transaction-local: inside
 * a caller's own transaction it lasts until that ends, so use it for a desire that
 * is its own transaction, as the API's is.
 */
export async function insertTask (db: Queryable, def: TaskDefinition, opts: { notifyAfterCommit?: boolean } = {}): Promise<Task> {
  const { image_password: password, guid, domain, ...rest } = def
  try {
    const { rows } = await db.query<{ id: string, created_at: Date, updated_at: Date }>(opts.notifyAfterCommit
      ? {
          name: 'taskbbs_insert_task_quiet',
          // The setting is read by the event trigger, which fires after the row is made from this SELECT.
          text: `INSERT INTO tasks (guid, domain, state, definition, image_password)
             SELECT $1, $2, 'PENDING', $3, $4 FROM (SELECT set_config('taskbbs.notify_after_commit', 'on', true)) quiet
             RETURNING id, created_at, updated_at`,
          values: [guid, domain, rest, password ?? null]
        }
      : {
          // Named: each connection parses and plans it once (the hottest statement).
          name: 'taskbbs_insert_task',
          // The NOTIFY is delivered at commit, so a scheduler woken by it sees the row.
          // Only what the database decides comes back: the definition is ours
          // already, and reading it back doubled the bytes and parsing per desire.
          text: `WITH t AS (INSERT INTO tasks (guid, domain, state, definition, image_password)
             VALUES ($1, $2, 'PENDING', $3, $4)
             RETURNING id, guid, created_at, updated_at)
           SELECT t.id, t.created_at, t.updated_at, pg_notify('${CHANNELS.desired}', t.guid) FROM t`,
          values: [guid, domain, rest, password ?? null]
        })
    const { id, created_at: createdAt, updated_at: updatedAt } = rows[0]
    return toTask({
      id, guid, domain, state: 'PENDING', definition: rest as StoredDefinition, cell_id: '', result: '', failed: false, failure_reason: '',
      rejection_count: 0, rejection_reason: '', created_at: createdAt, updated_at: updatedAt, first_completed_at: null
    })
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new TaskExistsError(guid)
    throw err
  }
}

export async function getTask (db: Queryable, guid: string): Promise<Task | undefined> {
  const { rows } = await db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE guid = $1`, [guid])
  return rows[0] ? toTask(rows[0]) : undefined
}

export interface ListFilter {
  domain?: string
  /** Only tasks in one of these domains (a token's scope). */
  domains?: readonly string[]
  state?: TaskState
  cell_id?: string
  /** Only tasks whose id is greater than this (the cursor). */
  afterId?: string
  limit: number
}

export async function listTasks (db: Queryable, f: ListFilter): Promise<{ tasks: Task[], lastId?: string, more: boolean }> {
  const where: string[] = []
  const values: unknown[] = []
  const add = (sql: string, value: unknown) => { values.push(value); where.push(sql.replace('?', `$${values.length}`)) }
  if (f.domain !== undefined) add('domain = ?', f.domain)
  if (f.domains !== undefined) add('domain = ANY(?::text[])', f.domains)
  if (f.state !== undefined) add('state = ?', f.state)
  if (f.cell_id !== undefined) add('cell_id = ?', f.cell_id)
  if (f.afterId !== undefined) add('id > ?', f.afterId)
  values.push(f.limit + 1)
  const { rows } = await db.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM tasks ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
     ORDER BY id LIMIT $${values.length}`, values)
  const more = rows.length > f.limit
  const page = more ? rows.slice(0, f.limit) : rows
  return { tasks: page.map(toTask), lastId: page.at(-1)?.id, more }
}

/** Tells a missing task (404) from one in the wrong state (409) after an UPDATE matched nothing. */
async function explainMiss (db: Queryable, guid: string, to: string, allowed: readonly TaskState[]): Promise<never> {
  const { rows } = await db.query<{ state: TaskState }>('SELECT state FROM tasks WHERE guid = $1', [guid])
  if (!rows[0]) throw new TaskNotFoundError(guid)
  throw new InvalidStateTransitionError(guid, rows[0].state, to, allowed)
}

async function updateFrom (db: Queryable, guid: string, from: readonly TaskState[], to: TaskState, set: string, values: unknown[], notify?: string): Promise<Task> {
  const update = `UPDATE tasks SET state = $3, updated_at = clock_timestamp()${set ? ', ' + set : ''}
     WHERE guid = $1 AND state = ANY($2::text[])
     RETURNING ${TASK_COLUMNS}`
  const { rows } = await db.query<TaskRow>(
    notify ? `WITH t AS (${update}) SELECT t.*, pg_notify('${notify}', t.guid) FROM t` : update,
    [guid, from, to, ...values])
  if (!rows[0]) return explainMiss(db, guid, to, from)
  return toTask(rows[0])
}

const COMPLETE_SET = `failed = $4, failure_reason = $5, result = $6, lease_owner = NULL, lease_expires_at = NULL,
  first_completed_at = COALESCE(first_completed_at, clock_timestamp())`

/**
 * PENDING or RUNNING → COMPLETED, failed with "task was cancelled", as BBS's
 * CancelTask. The replica running it hears the NOTIFY and stops the work.
 */
export async function cancelTask (db: Queryable, guid: string): Promise<Task> {
  return updateFrom(db, guid, TRANSITIONS.cancel.from, 'COMPLETED', COMPLETE_SET, [true, CANCELLED_REASON, ''], CHANNELS.cancelled)
}

/** PENDING or RUNNING → COMPLETED with a failure, as BBS's FailTask. */
export async function failTask (db: Queryable, guid: string, reason: string): Promise<Task> {
  return updateFrom(db, guid, TRANSITIONS.fail.from, 'COMPLETED', COMPLETE_SET, [true, truncateReason(reason), ''])
}

/** COMPLETED → RESOLVING: one client claims the completed task. */
export async function resolvingTask (db: Queryable, guid: string): Promise<Task> {
  return updateFrom(db, guid, TRANSITIONS.resolving.from, 'RESOLVING', '', [])
}

/** Deletes a RESOLVING task; any other state is a 409. */
export async function deleteTask (db: Queryable, guid: string): Promise<void> {
  const { rowCount } = await db.query(`DELETE FROM tasks WHERE guid = $1 AND state = ANY($2::text[])`, [guid, TRANSITIONS.delete.from])
  if (rowCount === 0) await explainMiss(db, guid, 'DELETED', TRANSITIONS.delete.from)
}
