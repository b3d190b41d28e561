/**
 * GET /metrics is a valid Prometheus exposition, and its numbers follow what
 * happens: requests, tasks by state and domain, the scheduler's work,
 * convergence, executor failures, callbacks and the database pool.
 */
import t from 'tap'
import type { Executor } from '../../src/executors/executor.ts'
import { ExecutorRejection } from '../../src/executors/executor.ts'
import { LocalExecutor } from '../../src/executors/local/index.ts'
import { EventPruner } from '../../src/events/pruner.ts'
import { instrumentExecutor } from '../../src/metrics/executor.ts'
import { countCallbackAttempt, countConvergence } from '../../src/metrics/registry.ts'
import { Converger } from '../../src/scheduler/converger.ts'
import { Scheduler } from '../../src/scheduler/scheduler.ts'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { parseExposition } from '../helpers/prometheus.ts'

const quiet = { info () {}, warn () {}, error () {} }
let scheduler: Scheduler | undefined
const { app, pool, url } = await testApp(t, { scheduler: () => scheduler })

async function scrape () {
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`)
  return { res, ...parseExposition(res.body) }
}
const value = async (key: string) => (await scrape()).samples.get(key) ?? 0

t.test('/metrics is the Prometheus text format, every line well formed', async t => {
  const { res, types } = await scrape()
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  for (const [name, type] of [
    ['taskbbs_http_request_duration_seconds', 'histogram'],
    ['taskbbs_tasks', 'gauge'],
    ['taskbbs_database_up', 'gauge'],
    ['taskbbs_db_pool_connections', 'gauge'],
    ['taskbbs_db_pool_idle_connections', 'gauge'],
    ['taskbbs_db_pool_waiting_requests', 'gauge'],
    ['taskbbs_scheduler_claims_total', 'counter'],
    ['taskbbs_scheduler_completions_total', 'counter'],
    ['taskbbs_scheduler_fenced_total', 'counter'],
    ['taskbbs_scheduler_adoptions_total', 'counter'],
    ['taskbbs_scheduler_rejections_total', 'counter'],
    ['taskbbs_scheduler_wakeups_total', 'counter'],
    ['taskbbs_scheduler_running_tasks', 'gauge'],
    ['taskbbs_convergence_passes_total', 'counter'],
    ['taskbbs_convergence_tasks_total', 'counter'],
    ['taskbbs_executor_errors_total', 'counter'],
    ['taskbbs_callback_attempts_total', 'counter'],
    ['taskbbs_callback_duration_seconds', 'histogram'],
    ['taskbbs_event_clients', 'gauge'],
    ['taskbbs_events_sent_total', 'counter'],
    ['taskbbs_events_pruned_total', 'counter'],
    ['process_cpu_seconds_total', 'counter']
  ]) t.equal(types.get(name), type, name)
})

t.test('desiring and cancelling move the request histogram (by route pattern) and the task gauge', async t => {
  const desired = 'taskbbs_http_request_duration_seconds_count{method="POST",route="/v1/tasks",status="201"}'
  const cancelled = 'taskbbs_http_request_duration_seconds_count{method="POST",route="/v1/tasks/:guid/cancel",status="200"}'
  const before = { desired: await value(desired), cancelled: await value(cancelled) }
  for (const guid of ['m-1', 'm-2']) await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid, domain: 'metrics' }) })
  t.equal(await value('taskbbs_tasks{domain="metrics",state="PENDING"}'), 2)
  await app.inject({ method: 'POST', url: '/v1/tasks/m-1/cancel' })
  const after = await scrape()
  t.equal(after.samples.get(desired), before.desired + 2)
  t.equal(after.samples.get(cancelled), before.cancelled + 1)
  t.equal(after.samples.get('taskbbs_tasks{domain="metrics",state="PENDING"}'), 1)
  t.equal(after.samples.get('taskbbs_tasks{domain="metrics",state="COMPLETED"}'), 1)
  t.notOk([...after.samples.keys()].some(k => k.includes('m-1')), 'no guid becomes a label value')
  t.equal(after.samples.get('taskbbs_database_up'), 1)
  t.ok((after.samples.get('taskbbs_db_pool_connections') ?? 0) >= 1, 'the pool holds a connection')
})

t.test('the scheduler counters follow a real scheduler claiming and completing tasks', async t => {
  const executor = instrumentExecutor(new LocalExecutor())
  scheduler = new Scheduler({
    pool, databaseUrl: url, executor, cellId: 'metrics-cell', maxTasks: 4, claimBatch: 4, pollIntervalMs: 60_000,
    leaseMs: 30_000, heartbeatMs: 10_000, maxRejections: 3, logMaxBytes: 1 << 16, logFlushMs: 100, log: quiet
  })
  t.teardown(async () => { await scheduler?.stop(); await executor.close() })
  // Tasks of the earlier tests (one PENDING) are claimed too: count from here.
  await scheduler.start()
  await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid: 'sched-1', domain: 'metrics-s' }) })
  for (let i = 0; i < 200 && (await value('taskbbs_tasks{domain="metrics-s",state="COMPLETED"}')) < 1; i++) await new Promise(resolve => setTimeout(resolve, 25))
  const { samples } = await scrape()
  t.equal(samples.get('taskbbs_tasks{domain="metrics-s",state="COMPLETED"}'), 1, 'the task ran')
  t.equal(samples.get('taskbbs_scheduler_claims_total'), scheduler.stats.claimed)
  t.ok(scheduler.stats.claimed >= 1)
  t.equal(samples.get('taskbbs_scheduler_completions_total'), scheduler.stats.completed)
  t.ok(scheduler.stats.completed >= 1)
  t.ok((samples.get('taskbbs_scheduler_wakeups_total{source="notify"}') ?? 0) >= 1, 'the desire woke it through NOTIFY')
  t.equal(samples.get('taskbbs_scheduler_wakeups_total{source="poll"}'), 0)
})

t.test('convergence outcomes are counted by outcome', async t => {
  const deleted = 'taskbbs_convergence_tasks_total{outcome="deleted_completed"}'
  const before = { passes: await value('taskbbs_convergence_passes_total'), deleted: await value(deleted) }
  const { rows: [c] } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE state = 'COMPLETED'")
  const converger = new Converger({
    pool, intervalMs: 60_000, pendingTimeoutMs: 1e9, kickPendingMs: 1e9, resolvingTimeoutMs: 1e9, completedTtlMs: 0, log: quiet, onReport: countConvergence
  })
  await converger.runOnce()
  t.equal(await value('taskbbs_convergence_passes_total'), before.passes + 1)
  t.equal(await value(deleted), before.deleted + c.n)
  t.ok(c.n >= 1)
})

t.test('executor failures are counted by operation; a rejection is not a failure', async t => {
  let reject = false
  const failing: Executor = {
    name: 'failing',
    unsupported: () => [],
    start: async () => { throw reject ? new ExecutorRejection('busy') : new Error('cannot start') },
    cancel: async () => { throw new Error('cannot cancel') },
    cleanup: async () => {},
    observe: listener => { listener({ type: 'lost', guid: 'g', reason: 'node gone' }); return () => {} },
    close: async () => {}
  }
  const e = instrumentExecutor(failing)
  const task = { guid: 'g', domain: 'd', definition: taskDefinition() as never }
  await t.rejects(e.start(task))
  reject = true
  await t.rejects(e.start(task), { code: 'EXECUTOR_REJECTED' })
  await t.rejects(e.cancel('g'))
  e.observe(() => {})
  const { samples } = await scrape()
  t.equal(samples.get('taskbbs_executor_errors_total{executor="failing",operation="start"}'), 1)
  t.equal(samples.get('taskbbs_executor_errors_total{executor="failing",operation="cancel"}'), 1)
  t.equal(samples.get('taskbbs_executor_errors_total{executor="failing",operation="lost"}'), 1)
  t.equal(e.name, 'failing')
})

t.test('callback attempts are counted by outcome, with their duration', async t => {
  const before = await value('taskbbs_callback_attempts_total{outcome="retry_now"}')
  const count = await value('taskbbs_callback_duration_seconds_count')
  countCallbackAttempt('retry_now', 120)
  countCallbackAttempt('resolved', 30)
  t.equal(await value('taskbbs_callback_attempts_total{outcome="retry_now"}'), before + 1)
  t.equal(await value('taskbbs_callback_duration_seconds_count'), count + 2)
})

t.test('the event pruner deletes events past the retention and counts them', async t => {
  const before = await value('taskbbs_events_pruned_total')
  const { rows: [e] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM task_events')
  t.ok(e.n > 0, 'the earlier tests made events')
  const pruner = new EventPruner({ pool, retentionMs: 0, log: quiet })
  t.equal(pruner.intervalMs, 1000, 'a pass at most every second, however short the retention')
  await pruner.runOnce()
  t.equal(await value('taskbbs_events_pruned_total'), before + e.n)
  t.equal((await pool.query('SELECT 1 FROM task_events')).rowCount, 0)
  t.equal(new EventPruner({ pool, retentionMs: 3_600_000, log: quiet }).intervalMs, 60_000, 'and at least every minute')
})

t.test('a scrape still answers while the database is down, and says so', async t => {
  const { default: pg } = await import('pg')
  const deadPool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 })
  deadPool.on('error', () => {})
  t.teardown(() => deadPool.end())
  const { buildApp } = await import('../../src/app.ts')
  const offline = await buildApp({ pool: deadPool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  t.teardown(() => offline.close())
  const res = await offline.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.equal(parseExposition(res.body).samples.get('taskbbs_database_up'), 0)
})
