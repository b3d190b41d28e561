import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../src/store/embedded.ts'
import { migrate } from '../../src/store/migrate.ts'
import { createPool } from '../../src/store/pool.ts'

export interface TestDatabase {
  url: string
  pool: pg.Pool
}

interface Teardown { teardown (fn: () => unknown): void }

/**
 * A migrated database of this test file's own. With DATABASE_URL set (as
 * `npm test` sets it, see test/run.ts), a fresh database is created on that
 * server from the run's template and dropped afterwards; otherwise (a file
 * run on its own) an embedded PostgreSQL is started for the file and stopped
 * at its end.
 */
export async function testDatabase (t: Teardown, opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  let url: string
  const external = process.env.DATABASE_URL
  if (external) {
    const name = `taskbbs_test_${randomBytes(6).toString('hex')}`
    // Under `npm test` a template migrated once for the run is copied: a
    // copy takes a few milliseconds, migrating from empty much longer.
    const template = opts.migrated !== false ? process.env.TASKBBS_TEST_TEMPLATE : undefined
    const admin = new pg.Client({ connectionString: external })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`)
    await admin.end()
    const u = new URL(external)
    u.pathname = `/${name}`
    url = u.toString()
    t.teardown(async () => {
      const c = new pg.Client({ connectionString: external })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    })
  } else {
    const db = await startEmbeddedPostgres()
    url = db.url
    t.teardown(() => db.stop())
  }
  const pool = createPool({ connectionString: url, max: 20 })
  t.teardown(() => pool.end())
  // Migrating a copy of the template finds nothing to do; it still runs, so
  // a file run on its own (no template) gets the same database.
  if (opts.migrated !== false) await migrate(pool)
  return { url, pool }
}
