/**
 * GET /v1/events as a client over a real socket sees it: every change of a
 * task, by whichever path made it, in one order; resumable without gaps or
 * repeats; shared by every replica on the database.
 */
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { convergeOnce } from '../../src/store/converge.ts'
import { pruneEvents } from '../../src/store/events.ts'
import { createPool } from '../../src/store/pool.ts'
import { claimTasks, completeLeasedTask, renewLeases } from '../../src/store/scheduling.ts'
import { insertTask } from '../../src/store/tasks.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { SseClient, listen } from '../helpers/sse.ts'

const { app, pool, url: databaseUrl } = await testApp(t, { events: { heartbeatMs: 100 } })
const base = await listen(app)

async function follow (path = '/v1/events', headers: Record<string, string> = {}) {
  const c = await SseClient.open(base, path, headers)
  t.teardown(() => c.close())
  return c
}

async function desire (overrides: Record<string, unknown> = {}, on = app) {
  const res = await on.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition(overrides) })
  if (res.statusCode !== 201) throw new Error(`desire failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

t.test('the stream is text/event-stream and starts with a retry hint', async t => {
  const c = await follow()
  t.equal(c.status, 200)
  t.match(c.headers['content-type'], /^text\/event-stream/)
  t.equal(c.headers['cache-control'], 'no-cache')
  c.close()
})

t.test("a client sees a task's whole life in order: created PENDING → RUNNING → COMPLETED → RESOLVING → removed", async t => {
  const c = await follow('/v1/events?domain=life')
  const created = await desire({ guid: 'life-1', domain: 'life', image_username: 'u', image_password: 'never-in-events' })
  // The scheduler's and convergence's store paths, not only the API's, emit events.
  const [claim] = await claimTasks(pool, 'cell-a', 1, 30_000)
  t.equal(claim.guid, 'life-1')
  await renewLeases(pool, 'cell-a', [claim], 30_000) // a heartbeat: no event
  await completeLeasedTask(pool, 'cell-a', claim, { failed: false, failureReason: '', result: 'forty-two' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/tasks/life-1/resolving' })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/tasks/life-1' })).statusCode, 204)

  await c.waitFor(5)
  const events = c.events()
  t.same(events.map(e => [e.type, e.state]), [
    ['task_created', 'PENDING'],
    ['task_changed', 'RUNNING'],
    ['task_changed', 'COMPLETED'],
    ['task_changed', 'RESOLVING'],
    ['task_removed', 'RESOLVING']
  ])
  t.ok(events.every(e => e.guid === 'life-1' && e.domain === 'life' && Date.parse(e.at) > 0))
  t.same(events[0].task, created, 'the created event carries the task exactly as the API answered it')
  t.match(events[1].task, { cell_id: 'cell-a', state: 'RUNNING' })
  t.match(events[2].task, { result: 'forty-two', failed: false })
  t.notOk(events[4].task, 'a removal carries no task')
  t.notMatch(c.messages.map(m => m.data).join('\n'), /never-in-events/, 'the image password is never in an event')
  t.same(c.messages.map(m => m.id), events.map(e => e.id), 'the SSE id is the event id')
  t.same(c.messages.map(m => m.event), events.map(e => e.type), 'the SSE event name is the type')
})

t.test('convergence deleting a completed task emits task_removed', async t => {
  const c = await follow('/v1/events?domain=conv')
  await desire({ guid: 'conv-1', domain: 'conv' })
  await app.inject({ method: 'POST', url: '/v1/tasks/conv-1/cancel' })
  await convergeOnce(pool, { pendingTimeoutMs: 1e9, kickPendingMs: 1e9, resolvingTimeoutMs: 1e9, completedTtlMs: 0 })
  await c.waitFor(3)
  t.same(c.events().map(e => [e.type, e.state, e.task?.failure_reason]), [
    ['task_created', 'PENDING', ''],
    ['task_changed', 'COMPLETED', 'task was cancelled'],
    ['task_removed', 'COMPLETED', undefined]
  ])
})

t.test('a client resumes after a disconnect with Last-Event-ID: no gap, no repeat', async t => {
  const first = await follow('/v1/events?domain=resume')
  for (const i of [1, 2, 3]) await desire({ guid: `resume-${i}`, domain: 'resume' })
  await first.waitFor(3)
  const lastId = first.messages[2].id as string
  first.close()
  for (const i of [4, 5, 6]) await desire({ guid: `resume-${i}`, domain: 'resume' })

  const second = await follow('/v1/events?domain=resume', { 'last-event-id': lastId })
  await second.waitFor(3)
  await desire({ guid: 'resume-7', domain: 'resume' })
  await second.waitFor(4)
  t.same(second.events().map(e => e.guid), ['resume-4', 'resume-5', 'resume-6', 'resume-7'])
  const all = [...first.events(), ...second.events()]
  t.equal(new Set(all.map(e => e.id)).size, all.length, 'no event twice')

  const third = await follow(`/v1/events?domain=resume&last_event_id=${encodeURIComponent(lastId)}`)
  await third.waitFor(4)
  t.same(third.events().map(e => e.guid), ['resume-4', 'resume-5', 'resume-6', 'resume-7'], 'last_event_id in the query does the same for clients that cannot set headers')
})

t.test('events made through another replica (its own app and pool, same database) arrive', async t => {
  const otherPool = createPool({ connectionString: databaseUrl, max: 4 })
  const other = await buildApp({ pool: otherPool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  t.teardown(async () => { await other.close(); await otherPool.end() })
  const c = await follow('/v1/events?domain=replica')
  await desire({ guid: 'replica-1', domain: 'replica' }, other)
  t.equal((await other.inject({ method: 'POST', url: '/v1/tasks/replica-1/cancel' })).statusCode, 200)
  await c.waitFor(2)
  t.same(c.events().map(e => [e.guid, e.type]), [['replica-1', 'task_created'], ['replica-1', 'task_changed']])
})

t.test('the domain filter keeps other domains out', async t => {
  const c = await follow('/v1/events?domain=only-a')
  await desire({ guid: 'filter-b', domain: 'only-b' })
  await desire({ guid: 'filter-a', domain: 'only-a' })
  await c.waitFor(1)
  await new Promise(resolve => setTimeout(resolve, 100))
  t.same(c.events().map(e => e.guid), ['filter-a'])
})

t.test('a rolled-back change emits no event', async t => {
  const c = await follow('/v1/events?domain=rollback')
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await insertTask(client, taskDefinition({ guid: 'rollback-1', domain: 'rollback' }) as unknown as TaskDefinition)
    await client.query('ROLLBACK')
  } finally {
    client.release()
  }
  await desire({ guid: 'rollback-2', domain: 'rollback' })
  await c.waitFor(1)
  await new Promise(resolve => setTimeout(resolve, 100))
  t.same(c.events().map(e => e.guid), ['rollback-2'])
})

t.test('an event committed while an older transaction is open waits for it, so a resume position never skips the older one', async t => {
  const c = await follow('/v1/events?domain=order')
  const older = await pool.connect()
  t.teardown(() => older.release())
  await older.query('BEGIN')
  await insertTask(older, taskDefinition({ guid: 'order-older', domain: 'order' }) as unknown as TaskDefinition)
  await desire({ guid: 'order-newer', domain: 'order' }) // commits first, with a later transaction id
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(c.events(), [], 'nothing is handed out while an older writer may still commit')
  await older.query('COMMIT')
  await c.waitFor(2)
  t.same(c.events().map(e => e.guid), ['order-older', 'order-newer'])
})

t.test('heartbeats: an idle stream gets a comment line every heartbeat interval', async t => {
  const c = await follow('/v1/events?domain=quiet')
  t.ok(await c.until(() => c.comments >= 3, 3000), `${c.comments} heartbeats in time`)
  t.same(c.messages, [])
})

t.test('pruning deletes events older than the retention; a resume from before them starts with a reset event', async t => {
  const c = await follow('/v1/events?domain=prune')
  await desire({ guid: 'prune-1', domain: 'prune' })
  await c.waitFor(1)
  const oldId = c.messages[0].id as string
  await desire({ guid: 'prune-2', domain: 'prune' })
  await c.waitFor(2)
  const { rows: [before] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM task_events')
  t.equal(await pruneEvents(pool, 3_600_000), 0, 'nothing is younger than an hour… older')
  const pruned = await pruneEvents(pool, 0)
  t.equal(pruned, before.n, 'a zero retention deletes every event')
  await desire({ guid: 'prune-3', domain: 'prune' })

  const resumed = await follow('/v1/events?domain=prune', { 'last-event-id': oldId })
  await resumed.waitFor(2)
  t.equal(resumed.messages[0].event, 'reset', 'the client is told it may have missed events')
  t.same(resumed.events().map(e => e.guid), ['prune-3'])

  const fresh = await follow('/v1/events?domain=prune', { 'last-event-id': c.messages.at(-1)?.id as string })
  await desire({ guid: 'prune-4', domain: 'prune' })
  await fresh.waitFor(1)
  t.not(fresh.messages[0].event, 'reset', 'no reset when nothing after the position was pruned')
})

t.test('a Last-Event-ID this server did not send is 422 naming it', async t => {
  const res = await app.inject({ method: 'GET', url: '/v1/events', headers: { 'last-event-id': 'nope' } })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'headers.last-event-id' }] })
})

t.test('closing the app ends open streams, so shutdown is not held by clients', async t => {
  const { app: closing } = await testApp(t)
  const closingBase = await listen(closing)
  const c = await SseClient.open(closingBase, '/v1/events')
  t.equal(c.status, 200)
  const started = Date.now()
  await closing.close()
  t.ok(await c.until(() => c.ended, 3000), 'the stream ended')
  t.ok(Date.now() - started < 3000, 'close did not wait for the client')
})
