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

export interface OriginCount { origin: string, count: number }

/**
 * Deliveries whose last attempt failed (waiting for a retry), by origin: the
 * `limit` origins with most, the rest summed under the origin `other`, so
 * that a metric's label set stays bounded however many receivers there are.
 */
export async function countFailingDeliveries (db: Queryable, limit: number): Promise<OriginCount[]> {
  const { rows } = await db.query<OriginCount>(
    `WITH c AS (SELECT origin, count(*)::int AS count FROM callback_deliveries WHERE attempts > 0 GROUP BY origin),
       r AS (SELECT origin, count, row_number() OVER (ORDER BY count DESC, origin) AS rn FROM c)
     SELECT CASE WHEN rn <= $1 THEN origin ELSE 'other' END AS origin, sum(count)::int AS count FROM r GROUP BY 1`,
    [limit])
  return rows
}
