import type { Queryable } from './tasks.ts'

export interface LogLine {
  seq: number
  at: Date
  source: string
  stream: 'stdout' | 'stderr' | 'system'
  line: string
}

const FOREIGN_KEY_VIOLATION = '23503'

/** Appends lines of one task; a task deleted meanwhile takes its logs with it, so that is not an error. */
export async function appendLogs (db: Queryable, guid: string, lines: LogLine[]): Promise<void> {
  if (lines.length === 0) return
  try {
    await db.query(
      `INSERT INTO task_logs (guid, seq, at, source, stream, line)
       SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [guid, lines.map(l => l.seq), lines.map(l => l.at), lines.map(l => l.source), lines.map(l => l.stream), lines.map(l => l.line)])
  } catch (err) {
    if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err
  }
}

export async function readLogs (db: Queryable, guid: string, afterSeq: number, limit: number): Promise<LogLine[]> {
  const { rows } = await db.query<LogLine>(
    `SELECT seq, at, source, stream, line FROM task_logs WHERE guid = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [guid, afterSeq, limit])
  return rows
}
