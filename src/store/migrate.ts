import { readdir, readFile } from 'node:fs/promises'
import type pg from 'pg'

const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url)
// Any fixed key works; it only has to be the same for every taskbbs process.
const MIGRATION_LOCK_KEY = 7_406_221_001

export class DatabaseNewerError extends Error {
  readonly code = 'DATABASE_NEWER_THAN_CODE'
  constructor (dbVersion: number, codeVersion: number) {
    super(`the database is at migration ${dbVersion} but this taskbbs only knows up to ${codeVersion}; upgrade taskbbs or point it at another database`)
  }
}

export interface Migration { id: number, name: string, sql: string }

export async function loadMigrations (): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter(f => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
  return Promise.all(files.map(async f => ({
    id: Number(f.slice(0, 4)),
    name: f,
    sql: await readFile(new URL(f, MIGRATIONS_DIR), 'utf8')
  })))
}

/**
 * Applies pending migrations, each in its own transaction, while holding a
 * session advisory lock so that replicas starting together apply each one once.
 * Refuses to run against a database that is ahead of this code.
 */
export async function migrate (pool: pg.Pool, log: (msg: string) => void = () => {}): Promise<number> {
  const migrations = await loadMigrations()
  const latest = migrations.at(-1)?.id ?? 0
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS taskbbs_migrations (
      id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await client.query<{ id: number }>('SELECT id FROM taskbbs_migrations ORDER BY id')
    const applied = new Set(rows.map(r => r.id))
    const dbVersion = rows.at(-1)?.id ?? 0
    if (dbVersion > latest) throw new DatabaseNewerError(dbVersion, latest)
    let count = 0
    for (const m of migrations) {
      if (applied.has(m.id)) continue
      log(`applying migration ${m.name}`)
      await client.query('BEGIN')
      try {
        await client.query('INSERT INTO taskbbs_migrations (id, name) VALUES ($1, $2)', [m.id, m.name])
        await client.query(m.sql)
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw err
      }
      count++
    }
    return count
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
    client.release()
  }
}
