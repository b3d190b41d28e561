import type pg from 'pg'
import type { Task } from '../domain/task.ts'
import type { TaskDefinition } from '../domain/task-definition.ts'
import type { LogLine } from './logs.ts'
import { TASK_COLUMNS, type Queryable, type TaskRow, insertTask, toTask } from './tasks.ts'
import { withTransaction } from './transaction.ts'

/** What only a TES task has, kept beside its Diego task (migrations/0008_tes_tasks.sql). */
export interface TesRecord {
  name: string
  tags: Record<string, string>
  /** The TES document as submitted (minus what the server sets). */
  document: Record<string, unknown>
}

/** A system log line whose presence tells that the first executor has started (TES RUNNING, not INITIALIZING). */
export interface StartedMarker { source: string, line: string }

export interface TesTaskRow { task: Task, tes: TesRecord, started: boolean, id: string }

const TES_COLUMNS = `${TASK_COLUMNS.split(',').map(c => `t.${c.trim()}`).join(', ')}, k.name AS tes_name, k.tags AS tes_tags, k.document AS tes_document,
  EXISTS (SELECT 1 FROM task_logs l WHERE l.guid = t.guid AND l.stream = 'system' AND l.source = $1 AND l.line = $2) AS tes_started`

type Row = TaskRow & { tes_name: string, tes_tags: Record<string, string>, tes_document: Record<string, unknown>, tes_started: boolean }

function toTesRow (r: Row): TesTaskRow {
  return { id: r.id, task: toTask(r), tes: { name: r.tes_name, tags: r.tes_tags, document: r.tes_document }, started: r.tes_started }
}

/** Stores the Diego task and its TES record in one transaction: both or neither. */
export async function insertTesTask (pool: pg.Pool, def: TaskDefinition, tes: TesRecord): Promise<Task> {
  return withTransaction(pool, async client => {
    const task = await insertTask(client, def)
    await client.query('INSERT INTO tes_tasks (guid, name, tags, document) VALUES ($1, $2, $3, $4)', [def.guid, tes.name, tes.tags, tes.document])
    return task
  })
}

/** A TES task by guid, when it exists, is a TES task, and lies in `domains` (undefined: any). */
export async function getTesTask (db: Queryable, guid: string, domains: readonly string[] | undefined, started: StartedMarker): Promise<TesTaskRow | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${TES_COLUMNS} FROM tasks t JOIN tes_tasks k ON k.guid = t.guid
     WHERE t.guid = $3 AND ($4::text[] IS NULL OR t.domain = ANY($4::text[]))`,
    [started.source, started.line, guid, domains ?? null])
  return rows[0] ? toTesRow(rows[0]) : undefined
}

/** One TES state as columns of the Diego task: any condition left undefined does not filter. */
export interface StateCondition {
  states: readonly string[]
  failed?: boolean
  reasonEquals?: string
  reasonPrefix?: string
  /** Neither this exact reason nor this prefix. */
  reasonNeither?: { equals: string, prefix: string }
  started?: boolean
}

export interface TesListFilter {
  domains?: readonly string[]
  namePrefix?: string
  /** [key, value]: value '' matches any value of the key, as TES says. */
  tags: Array<[string, string]>
  state?: StateCondition
  /** Only tasks desired before this id (the page token): newest first. */
  beforeId?: string
  limit: number
}

const likePrefix = (s: string) => s.replace(/[\\%_]/g, m => '\\' + m) + '%'

/** TES tasks, newest first, filtered as ListTasks asks. */
export async function listTesTasks (db: Queryable, started: StartedMarker, f: TesListFilter): Promise<{ rows: TesTaskRow[], more: boolean }> {
  const values: unknown[] = [started.source, started.line]
  const where: string[] = []
  const add = (sql: string, ...vs: unknown[]) => {
    let out = sql
    // {} marks a value: `?` is also a jsonb operator.
    for (const v of vs) { values.push(v); out = out.replace('{}', `$${values.length}`) }
    where.push(out)
  }
  if (f.domains !== undefined) add('t.domain = ANY({}::text[])', f.domains)
  if (f.namePrefix) add('starts_with(k.name, {})', f.namePrefix)
  const exact: Record<string, string> = {}
  for (const [key, value] of f.tags) {
    if (value === '') add('k.tags ? {}', key)
    else exact[key] = value
  }
  if (Object.keys(exact).length) add('k.tags @> {}::jsonb', exact)
  const s = f.state
  if (s) {
    add('t.state = ANY({}::text[])', s.states)
    if (s.failed !== undefined) add('t.failed = {}', s.failed)
    if (s.reasonEquals !== undefined) add('t.failure_reason = {}', s.reasonEquals)
    if (s.reasonPrefix !== undefined) add("t.failure_reason LIKE {} ESCAPE '\\'", likePrefix(s.reasonPrefix))
    if (s.reasonNeither) add("NOT (t.failure_reason = {} OR t.failure_reason LIKE {} ESCAPE '\\')", s.reasonNeither.equals, likePrefix(s.reasonNeither.prefix))
    if (s.started !== undefined) where.push(`EXISTS (SELECT 1 FROM task_logs l WHERE l.guid = t.guid AND l.stream = 'system' AND l.source = $1 AND l.line = $2) = ${s.started ? 'true' : 'false'}`)
  }
  if (f.beforeId !== undefined) add('t.id < {}', f.beforeId)
  values.push(f.limit + 1)
  const { rows } = await db.query<Row>(
    `SELECT ${TES_COLUMNS} FROM tasks t JOIN tes_tasks k ON k.guid = t.guid
     ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
     ORDER BY t.id DESC LIMIT $${values.length}`, values)
  const more = rows.length > f.limit
  return { rows: (more ? rows.slice(0, f.limit) : rows).map(toTesRow), more }
}

/**
 * Log lines of some tasks, in order: every line when `all`, else only system
 * lines and those of sources starting with `sourcePrefix`. The writer bounds a
 * task's log, so this is bounded too.
 */
export async function readTesLogs (db: Queryable, guids: readonly string[], all: boolean, sourcePrefix: string): Promise<Map<string, LogLine[]>> {
  const out = new Map<string, LogLine[]>()
  if (guids.length === 0) return out
  const { rows } = await db.query<LogLine & { guid: string }>(
    `SELECT guid, seq, at, source, stream, line FROM task_logs
     WHERE guid = ANY($1::text[]) AND ($3 OR stream = 'system' OR source LIKE $2 ESCAPE '\\')
     ORDER BY guid, seq`, [guids, likePrefix(sourcePrefix), all])
  for (const { guid, ...line } of rows) {
    let list = out.get(guid)
    if (!list) { list = []; out.set(guid, list) }
    list.push(line)
  }
  return out
}
