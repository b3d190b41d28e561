/**
 * Schema migrations: numbered files applied once each, under an advisory lock
 * so that replicas starting together never apply one twice, and refused when
 * the database is ahead of the code.
 */
import t from 'tap'
import type pg from 'pg'
import { DatabaseNewerError, loadMigrations, migrate } from '../../src/store/migrate.ts'
import { createPool } from '../../src/store/pool.ts'
import { testDatabase } from '../helpers/database.ts'

const migrations = await loadMigrations()
const latest = migrations.at(-1)!.id

async function recorded (pool: pg.Pool) {
  const { rows } = await pool.query<{ id: number, name: string, applied_at: Date }>('SELECT id, name, applied_at FROM taskbbs_migrations ORDER BY id')
  return rows
}

/** Rejects when `promise` has not settled within `ms`: a held lock would hang instead of failing. */
function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms) })
  ])
}

t.test('the migration files are numbered 0001 upwards without gaps', async t => {
  t.ok(migrations.length > 0)
  t.same(migrations.map(m => m.id), migrations.map((_m, i) => i + 1))
  for (const m of migrations) t.match(m.name, /^\d{4}_[a-z0-9_]+\.sql$/)
})

t.test('migrations apply once; running migrate again applies nothing', async t => {
  const { pool } = await testDatabase(t, { migrated: false })
  t.equal(await migrate(pool), migrations.length, 'a fresh database gets every migration')
  const first = await recorded(pool)
  t.same(first.map(r => ({ id: r.id, name: r.name })), migrations.map(m => ({ id: m.id, name: m.name })), 'each is recorded with its file name')
  const { rows } = await pool.query(`SELECT to_regclass('tasks') AS t`)
  t.equal(rows[0].t, 'tasks', 'the schema exists')

  const logged: string[] = []
  t.equal(await migrate(pool, m => logged.push(m)), 0, 'a second run applies nothing')
  t.same(logged, [], 'and logs no migration')
  t.same(await recorded(pool), first, 'the records are untouched')
})

t.test('two migrate() calls started at once on a fresh database both succeed and apply each migration once', async t => {
  const { url } = await testDatabase(t, { migrated: false })
  const a = createPool({ connectionString: url })
  const b = createPool({ connectionString: url })
  t.teardown(async () => { await a.end(); await b.end() })
  // Connected beforehand, so that both really run at the same moment.
  await Promise.all([a.query('SELECT 1'), b.query('SELECT 1')])
  const counts = await within(Promise.all([migrate(a), migrate(b)]), 30_000, 'two concurrent migrations')
  t.same([...counts].sort(), [0, migrations.length], 'one applied everything, the other nothing')
  const rows = await recorded(a)
  t.same(rows.map(r => r.id), migrations.map(m => m.id), 'each migration is recorded once')
  // This database's locks only: under `npm test` other files' databases share the server.
  const { rows: locks } = await a.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
  t.equal(locks[0].n, 0, 'no advisory lock is left held')
})

t.test('a database whose migrations go beyond the last file is refused with DatabaseNewerError', async t => {
  const { pool, url } = await testDatabase(t)
  await pool.query('INSERT INTO taskbbs_migrations (id, name) VALUES ($1, $2)', [latest + 1, `${String(latest + 1).padStart(4, '0')}_from_the_future.sql`])
  const err = await migrate(pool).then(() => undefined, (e: unknown) => e)
  t.type(err, DatabaseNewerError)
  t.match(err, { code: 'DATABASE_NEWER_THAN_CODE', message: new RegExp(`at migration ${latest + 1} .* up to ${latest}\\b`) })
  t.equal((await recorded(pool)).length, migrations.length + 1, 'nothing was changed')

  // The refusal must release the lock, or every later start would hang.
  const other = createPool({ connectionString: url })
  t.teardown(() => other.end())
  await pool.query('DELETE FROM taskbbs_migrations WHERE id = $1', [latest + 1])
  t.equal(await within(migrate(other), 10_000, 'migrate after a refusal'), 0, 'a later migrate from another session proceeds')
})

