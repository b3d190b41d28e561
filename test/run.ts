/**
 * `npm test`: one PostgreSQL for the whole run, then tap. Without
 * DATABASE_URL an embedded PostgreSQL is started once (instead of once per
 * test file), a template database is migrated once, and every test file gets
 * its own database copied from it (test/helpers/database.ts), as
 * graphile-worker's tests do. With DATABASE_URL the same happens on that
 * server. Arguments go to tap (`npm test -- test/api/tasks.test.ts`).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/store/embedded.ts'
import { migrate } from '../src/store/migrate.ts'
import { createPool } from '../src/store/pool.ts'

const log = (msg: string) => process.stderr.write(`# ${msg}\n`)

let embedded: EmbeddedDatabase | undefined
let serverUrl = process.env.DATABASE_URL ?? ''
if (!serverUrl) {
  const started = performance.now()
  embedded = await startEmbeddedPostgres(log)
  serverUrl = embedded.url
  log(`one embedded PostgreSQL for this run, started in ${Math.round(performance.now() - started)} ms`)
}

const template = `taskbbs_template_${randomBytes(4).toString('hex')}`
const admin = new pg.Client({ connectionString: serverUrl })
await admin.connect()
await admin.query(`CREATE DATABASE ${template}`)
const templateUrl = new URL(serverUrl)
templateUrl.pathname = `/${template}`
const pool = createPool({ connectionString: templateUrl.toString(), max: 2 })
await migrate(pool)
await pool.end()

async function cleanup (): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {})
  await admin.end().catch(() => {})
  await embedded?.stop()
}

const child = spawn('tap', process.argv.slice(2), {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: serverUrl, TASKBBS_TEST_TEMPLATE: template }
})
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => child.kill(s))
const code = await new Promise<number>(resolve => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))))
await cleanup()
process.exit(code)
