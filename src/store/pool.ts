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
  // Nor may a checked-out one (pool.connect(): convergence, transactions): pg
  // emits 'error' on a client whose connection ends unexpectedly, and while it
  // is checked out nothing listens, so the process died of an uncaught error
  // when the database crashed during a convergence pass. Its queries fail
  // anyway and the pool discards it on release (it is no longer queryable).
  pool.on('connect', client => { client.on('error', () => {}) })
  return pool
}

// SQLSTATEs meaning "the server cannot serve you now", not "your query is wrong":
// class 08 (connection exception), 53300 too_many_connections, 57P01–57P03
// (admin shutdown, crash shutdown, cannot connect now: starting up or shutting down).
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|53300|57P0[123])$/
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// node-postgres reports a lost or unobtainable connection by message only.
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/

/**
 * True when an error says the database cannot be reached or is restarting, as
 * opposed to a query it refused: the API answers those 503, not 500.
 */
export function isDatabaseUnavailable (err: unknown): boolean {
  const e = err as { code?: unknown, message?: unknown } | null
  if (!e || typeof e !== 'object') return false
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_ERRNO.has(e.code))) return true
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)
}

/**
 * Runs fn, and again while it fails because the database is unavailable
 * (backing off 200 ms → 2 s), until it succeeds or `withinMs` has passed;
 * then, or on any other error, throws. For writes that must not be dropped
 * over a database restart and are safe to repeat.
 */
export async function retryWhileUnavailable<T> (fn: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs
  for (let wait = 200; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await fn()
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + wait > deadline) throw err
      await new Promise(resolve => setTimeout(resolve, wait))
    }
  }
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
