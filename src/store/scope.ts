import type pg from 'pg'
import { TaskNotFoundError } from '../domain/errors.ts'
import type { Queryable } from './tasks.ts'
import { withTransaction } from './transaction.ts'

/**
 * Runs fn on a task only if it lies in one of `domains` (undefined: any
 * domain); otherwise, or when there is no such task, TASK_NOT_FOUND, so that
 * a token learns nothing about other domains' guids. The row stays key-share
 * locked while fn runs on the same transaction, so the guid cannot be deleted
 * and desired again in another domain between the check and the change.
 */
export async function inTaskScope<T> (pool: pg.Pool, guid: string, domains: readonly string[] | undefined, fn: (db: Queryable) => Promise<T>): Promise<T> {
  if (domains === undefined) return fn(pool)
  return withTransaction(pool, async client => {
    const { rows } = await client.query<{ domain: string }>('SELECT domain FROM tasks WHERE guid = $1 FOR KEY SHARE', [guid])
    if (!rows[0] || !domains.includes(rows[0].domain)) throw new TaskNotFoundError(guid)
    return fn(client)
  })
}

/** The domain of a task, or undefined when there is no such task. */
export async function taskDomain (db: Queryable, guid: string): Promise<string | undefined> {
  const { rows } = await db.query<{ domain: string }>('SELECT domain FROM tasks WHERE guid = $1', [guid])
  return rows[0]?.domain
}
