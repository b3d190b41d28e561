/**
 * /readyz tells a load balancer whether to send traffic here: 503 while the
 * process drains before exit and while the database does not answer; /healthz
 * (liveness) stays 200 through both, so the process is not killed for them.
 */
import t from 'tap'
import pg from 'pg'
import { buildApp } from '../../src/app.ts'
import { startEmbeddedPostgres } from '../../src/store/embedded.ts'
import { migrate } from '../../src/store/migrate.ts'
import { createPool } from '../../src/store/pool.ts'
import { testApp } from '../helpers/app.ts'

const build = (pool: pg.Pool, accepting?: () => boolean) =>
  buildApp({ pool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20, ...(accepting ? { accepting } : {}) })

t.test('draining: /readyz turns 503 SERVICE_UNAVAILABLE once the process stops accepting work', async t => {
  let accepting = true
  const { app } = await testApp(t, { accepting: () => accepting })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  accepting = false
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { code: 'SERVICE_UNAVAILABLE', detail: /shutting down/ })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

t.test('a database nobody listens for: /readyz is 503 naming the database, /healthz is 200', async t => {
  const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 })
  pool.on('error', () => {})
  const app = await build(pool)
  t.teardown(async () => { await app.close(); await pool.end() })
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { code: 'SERVICE_UNAVAILABLE', detail: /database/ })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

t.test('a database that stops: /readyz goes from 200 to 503', async t => {
  const db = await startEmbeddedPostgres()
  t.teardown(() => db.stop())
  const pool = createPool({ connectionString: db.url, max: 2 })
  await migrate(pool)
  const app = await build(pool)
  t.teardown(async () => { await app.close(); await pool.end() })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await db.stop()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { code: 'SERVICE_UNAVAILABLE', detail: /database/ })
})
