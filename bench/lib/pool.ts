import pg from 'pg'
import { createPool } from '../../src/store/pool.ts'
import { migrate } from '../../src/store/migrate.ts'

/** A plain pool for a peer system; errors of idle clients (the server stopping at the end) are not crashes. */
export function ownPool (url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max })
  pool.on('error', () => {})
  return pool
}

export async function migratedPool (url: string, max = 20) {
  const pool = createPool({ connectionString: url, max })
  await migrate(pool)
  return pool
}

/** Runs fn(i) for i in [0, n) from `concurrency` loops. */
export async function forEachConcurrently (n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++)
  }))
}

export const quietLog = { info () {}, warn () {}, error () {} }
