/**
 * Desire wake-ups after commit: an insert marked notifyAfterCommit sends no
 * NOTIFY of its own (a notifying commit holds a database-wide lock until it is
 * flushed, migrations/0005) but still writes its task_created event; the
 * AfterCommitNotifier then wakes schedulers and event streams, many desires
 * with one NOTIFY. A plain insert notifies at commit, as before.
 */
import t from 'tap'
import pg from 'pg'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { AfterCommitNotifier, CHANNELS } from '../../src/store/notify.ts'
import { insertTask } from '../../src/store/tasks.ts'
import { buildApp } from '../../src/app.ts'
import { taskDefinition } from '../helpers/app.ts'
import { testDatabase } from '../helpers/database.ts'

const { pool, url } = await testDatabase(t)

/** Every notification on taskbbs's desire and event channels, in arrival order. */
async function listen (t: { teardown (fn: () => unknown): void }) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const heard: string[] = []
  client.on('notification', n => { heard.push(n.channel) })
  await client.query(`LISTEN ${CHANNELS.desired}`)
  await client.query(`LISTEN ${CHANNELS.events}`)
  t.teardown(() => client.end())
  return heard
}

const settle = () => new Promise(resolve => setTimeout(resolve, 300))

async function createdEvents (guid: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM task_events WHERE guid = $1 AND type = \'task_created\'', [guid])
  return Number(rows[0].n)
}

t.test('a plain insert notifies both channels at its commit', async t => {
  const heard = await listen(t)
  const def = taskDefinition() as unknown as TaskDefinition
  await insertTask(pool, def)
  await settle()
  t.same([...heard].sort(), [CHANNELS.desired, CHANNELS.events])
  t.equal(await createdEvents(def.guid), 1, 'its task_created event is written')
})

t.test('an insert marked notifyAfterCommit sends nothing itself; the notifier wakes both channels after it', async t => {
  const heard = await listen(t)
  const def = taskDefinition() as unknown as TaskDefinition
  const task = await insertTask(pool, def, { notifyAfterCommit: true })
  t.equal(task.state, 'PENDING')
  await settle()
  t.same(heard, [], 'no NOTIFY from the insert or its trigger')
  t.equal(await createdEvents(def.guid), 1, 'its task_created event is written all the same')

  const notifier = new AfterCommitNotifier(pool, err => t.fail(String(err)))
  notifier.desired()
  await notifier.drain()
  await settle()
  t.same([...heard].sort(), [CHANNELS.desired, CHANNELS.events])
})

t.test('the setting stays inside the insert: a later plain insert on the same connection notifies again', async t => {
  const client = await pool.connect()
  t.teardown(() => client.release())
  const heard = await listen(t)
  await insertTask(client, taskDefinition() as unknown as TaskDefinition, { notifyAfterCommit: true })
  await insertTask(client, taskDefinition() as unknown as TaskDefinition)
  await settle()
  t.same([...heard].sort(), [CHANNELS.desired, CHANNELS.events])
})

t.test('many desires at once are woken with fewer NOTIFY batches than desires', async t => {
  let batches = 0
  const counting = new Proxy(pool, {
    get (target, prop, receiver) {
      if (prop === 'query') return (...args: Parameters<pg.Pool['query']>) => { batches++; return (target.query as (...a: unknown[]) => unknown)(...args) }
      return Reflect.get(target, prop, receiver)
    }
  })
  const notifier = new AfterCommitNotifier(counting, err => t.fail(String(err)))
  for (let i = 0; i < 50; i++) notifier.desired()
  await notifier.drain()
  t.ok(batches >= 1 && batches <= 2, `50 wake-ups in ${batches} NOTIFY statements`)
})

t.test('POST /v1/tasks answers 201 and a scheduler listening is woken after the commit', async t => {
  const heard = await listen(t)
  const app = await buildApp({ pool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  t.teardown(() => app.close())
  const def = taskDefinition()
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: def })
  t.equal(res.statusCode, 201)
  await settle()
  t.same([...heard].sort(), [CHANNELS.desired, CHANNELS.events])
  t.equal(await createdEvents(def.guid as string), 1)
})
