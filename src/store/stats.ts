import type { Queryable } from './tasks.ts'

export interface TaskCount { state: string, domain: string, count: number }

/**
 * Tasks per state and domain, for /metrics. One GROUP BY over a table that
 * convergence keeps small (completed tasks go within minutes).
 */
export async function countTasks (db: Queryable): Promise<TaskCount[]> {
  const { rows } = await db.query<TaskCount>('SELECT state, domain, count(*)::int AS count FROM tasks GROUP BY state, domain')
  return rows
}
