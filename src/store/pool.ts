import pg from 'pg'

export interface PoolOptions {
  connectionString: string
  max?: number
  applicationName?: string
}

export function createPool (opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'taskbbs',
    connectionTimeoutMillis: 5000
  })
  // An idle client losing its connection (database restart) must not crash the
  // process; the pool drops it and the next query opens a new one.
  pool.on('error', () => {})
  return pool
}

/** True when the database answers a trivial query within the timeout. */
export async function ping (pool: pg.Pool, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      pool.query('SELECT 1').then(() => true),
      new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), timeoutMs) })
    ])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
