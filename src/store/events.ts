import type { TaskEventType } from '../domain/event.ts'
import type { TaskState } from '../domain/task.ts'
import { type Queryable, type TaskRow, toTask } from './tasks.ts'
import type { Task } from '../domain/task.ts'

/**
 * A place in the event stream: the writing transaction and the event id, in
 * that order (see migrations/0004_task_events.sql for why not the id alone).
 * Both are decimal strings: xid8 and bigint exceed a JS number.
 */
export interface Position { tx: string, id: string }

export interface StoredEvent {
  position: Position
  type: TaskEventType
  guid: string
  domain: string
  state: TaskState
  at: Date
  task?: Task
  /** The task before the change (task_changed) or as it was removed (task_removed). */
  before?: Task
}

/** Orders positions; negative when a is before b. */
export function comparePositions (a: Position, b: Position): number {
  const tx = BigInt(a.tx) - BigInt(b.tx)
  if (tx !== 0n) return tx < 0n ? -1 : 1
  const id = BigInt(a.id) - BigInt(b.id)
  return id === 0n ? 0 : (id < 0n ? -1 : 1)
}

interface EventRow {
  id: string
  tx: string
  type: TaskEventType
  guid: string
  domain: string
  state: TaskState
  at: Date
  task: JsonTaskRow | null
  previous: JsonTaskRow | null
}

type JsonTaskRow = Omit<TaskRow, 'created_at' | 'updated_at' | 'first_completed_at'> & { created_at: string, updated_at: string, first_completed_at: string | null }

// The trigger stores the row's columns; toTask makes them the API's JSON, as GET does.
function fromJsonRow (t: JsonTaskRow): Task {
  return toTask({
    ...t,
    created_at: new Date(t.created_at),
    updated_at: new Date(t.updated_at),
    first_completed_at: t.first_completed_at === null ? null : new Date(t.first_completed_at)
  })
}

function toEvent (r: EventRow): StoredEvent {
  const e: StoredEvent = { position: { tx: r.tx, id: r.id }, type: r.type, guid: r.guid, domain: r.domain, state: r.state, at: r.at }
  if (r.task) e.task = fromJsonRow(r.task)
  if (r.previous) e.before = fromJsonRow(r.previous)
  return e
}

const COLUMNS = 'id, tx::text AS tx, type, guid, domain, state, at, task, previous'

/**
 * Where a reader starting now begins: every transaction older than the oldest
 * running one is finished, so everything before (xmin, 0) is settled history.
 */
export async function currentPosition (db: Queryable): Promise<Position> {
  const { rows: [r] } = await db.query<{ tx: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS tx')
  return { tx: r.tx, id: '0' }
}

export interface ReadOptions {
  after: Position
  /** Read no further than this position (a subscriber catching up to the hub). */
  upTo?: Position
  /** Only these domains; undefined for all. */
  domains?: readonly string[]
  limit: number
}

/**
 * Events after a position, in stream order, only from finished transactions:
 * an event still being written by a running transaction is left for a later
 * read, so none can ever appear behind a position already handed out.
 */
export async function readEvents (db: Queryable, o: ReadOptions): Promise<StoredEvent[]> {
  const values: unknown[] = [o.after.tx, o.after.id, o.limit]
  let where = '(tx, id) > ($1::xid8, $2::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot())'
  if (o.upTo) {
    values.push(o.upTo.tx, o.upTo.id)
    where += ` AND (tx, id) <= ($${values.length - 1}::xid8, $${values.length}::bigint)`
  }
  if (o.domains) {
    values.push(o.domains)
    where += ` AND domain = ANY($${values.length}::text[])`
  }
  const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM task_events WHERE ${where} ORDER BY tx, id LIMIT $3`, values)
  return rows.map(toEvent)
}

/** True when some event is still held back by a running transaction: the reader should look again soon. */
export async function eventsInFlight (db: Queryable, after: Position): Promise<boolean> {
  const { rows: [r] } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM task_events
       WHERE (tx, id) > ($1::xid8, $2::bigint) AND tx >= pg_snapshot_xmin(pg_current_snapshot())) AS any`,
    [after.tx, after.id])
  return r.any
}

/** True when pruning has deleted events after this position: a client resuming from it may have missed some. */
export async function prunedAfter (db: Queryable, p: Position): Promise<boolean> {
  const { rows: [r] } = await db.query<{ gap: boolean }>(
    'SELECT (tx, id) > ($1::xid8, $2::bigint) AS gap FROM task_events_pruned', [p.tx, p.id])
  return r?.gap ?? false
}

/**
 * Deletes events older than the retention, in batches so that no statement
 * holds many row locks, and remembers the newest position deleted. Returns
 * how many were deleted.
 */
export async function pruneEvents (db: Queryable, retentionMs: number, batch = 5000): Promise<number> {
  let total = 0
  for (;;) {
    const { rows: [r] } = await db.query<{ n: number }>(
      `WITH d AS (
         DELETE FROM task_events WHERE id IN (
           SELECT id FROM task_events WHERE at < clock_timestamp() - make_interval(secs => $1::double precision / 1000) LIMIT $2)
         RETURNING tx, id),
       newest AS (SELECT tx, id FROM d ORDER BY tx DESC, id DESC LIMIT 1),
       mark AS (
         UPDATE task_events_pruned p SET tx = newest.tx, id = newest.id FROM newest
         WHERE (newest.tx, newest.id) > (p.tx, p.id))
       SELECT count(*)::int AS n FROM d`,
      [retentionMs, batch])
    total += r.n
    if (r.n < batch) return total
  }
}
