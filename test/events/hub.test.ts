/**
 * The event hub: one LISTEN connection per replica, shared by its clients,
 * opened for the first one and closed a while after the last one leaves.
 */
import t from 'tap'
import pg from 'pg'
import { buildApp } from '../../src/app.ts'
import { EventHub } from '../../src/events/hub.ts'
import type { StoredEvent } from '../../src/store/events.ts'
import { insertTask } from '../../src/store/tasks.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { taskDefinition } from '../helpers/app.ts'
import { testDatabase } from '../helpers/database.ts'

const { pool, url } = await testDatabase(t)
const listeners = async () => (await pool.query<{ n: number }>(
  "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'taskbbs-listener' AND datname = current_database()")).rows[0].n
const until = async (what: () => Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms
  while (!await what() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  return what()
}

t.test('no client, no connection; the first client opens one, shared by the next; it closes after the linger', async t => {
  const hub = new EventHub({ pool, databaseUrl: url, lingerMs: 100 })
  t.teardown(() => hub.close())
  t.equal(await listeners(), 0)
  const got: StoredEvent[][] = [[], []]
  const a = await hub.subscribe({ deliver: e => { got[0].push(...e) }, end () {} })
  const b = await hub.subscribe({ deliver: e => { got[1].push(...e) }, end () {} })
  t.equal(await listeners(), 1, 'one LISTEN connection for two clients')
  t.equal(hub.subscriberCount, 2)
  await insertTask(pool, taskDefinition({ guid: 'hub-1' }) as unknown as TaskDefinition)
  t.ok(await until(async () => got[0].length === 1 && got[1].length === 1), 'both clients got the event')
  a.close()
  b.close()
  t.ok(await until(async () => await listeners() === 0), 'the connection closed after the linger')
  const c = await hub.subscribe({ deliver: () => {}, end () {} })
  t.equal(await listeners(), 1, 'and opens again for the next client')
  c.close()
})

t.test('close() ends every subscriber', async t => {
  const hub = new EventHub({ pool, databaseUrl: url })
  let ended = 0
  await hub.subscribe({ deliver: () => {}, end: () => { ended++ } })
  await hub.subscribe({ deliver: () => {}, end: () => { ended++ } })
  await hub.close()
  t.equal(ended, 2)
  await t.rejects(hub.subscribe({ deliver: () => {}, end () {} }), /closed/)
  t.ok(await until(async () => await listeners() === 0))
})

t.test('while the database cannot be reached, following fails each time and GET /v1/events answers 503 SERVICE_UNAVAILABLE', async t => {
  const hub = new EventHub({ pool, databaseUrl: 'postgres://nobody@127.0.0.1:1/none' })
  t.teardown(() => hub.close())
  await t.rejects(hub.ready())
  await t.rejects(hub.ready(), 'a failed attempt is not cached: the next client tries again')

  const deadPool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 })
  deadPool.on('error', () => {})
  const app = await buildApp({ pool: deadPool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  t.teardown(async () => { await app.close(); await deadPool.end() })
  const res = await app.inject({ method: 'GET', url: '/v1/events' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'SERVICE_UNAVAILABLE')
})
