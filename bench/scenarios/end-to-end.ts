import { Logger, run as runGraphile, makeWorkerUtils } from 'graphile-worker'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { Scheduler } from '../../src/scheduler/scheduler.ts'
import { deleteTask, insertTask, listTasks, resolvingTask } from '../../src/store/tasks.ts'
import { AfterCommitNotifier } from '../../src/store/notify.ts'
import { benchDefinition } from '../lib/definition.ts'
import { NoopExecutor } from '../lib/noop-executor.ts'
import { forEachConcurrently, migratedPool, ownPool, quietLog } from '../lib/pool.ts'
import { type Row, log, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const CONCURRENCY = 32

/**
 * End to end with a no-op executor: desired → claimed → RUNNING → COMPLETED →
 * RESOLVING → deleted, a client resolving completed tasks as Diego clients do.
 * Against graphile-worker running no-op jobs (added, run, deleted) on the same
 * server at the same concurrency. Both clocks include enqueueing.
 */
export async function endToEnd (ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 2000 : 10000
  log(`end to end: ${n} tasks through taskbbs, ${n} jobs through graphile-worker, concurrency ${CONCURRENCY}`)

  const url = await ctx.createDatabase('bench_e2e_taskbbs')
  const pool = await migratedPool(url, 30)
  const executor = new NoopExecutor()
  const scheduler = new Scheduler({
    pool, databaseUrl: url, executor, cellId: 'bench', maxTasks: CONCURRENCY, claimBatch: CONCURRENCY, pollIntervalMs: 1000,
    leaseMs: 30000, heartbeatMs: 10000, maxRejections: 3, logMaxBytes: 1 << 20, logFlushMs: 1000, log: quietLog
  })
  await scheduler.start()
  const t0 = performance.now()
  let resolved = 0
  const resolver = (async () => {
    while (resolved < n) {
      const page = await listTasks(pool, { state: 'COMPLETED', limit: 500 })
      if (page.tasks.length === 0) { await new Promise(r => setTimeout(r, 2)); continue }
      await forEachConcurrently(page.tasks.length, 8, async i => {
        await resolvingTask(pool, page.tasks[i].guid)
        await deleteTask(pool, page.tasks[i].guid)
        resolved++
      })
    }
  })()
  // Desired as POST /v1/tasks does: wake-ups after the commits, many per NOTIFY.
  const notifier = new AfterCommitNotifier(pool, err => { throw err })
  await forEachConcurrently(n, 16, async i => {
    await insertTask(pool, benchDefinition(`e2e-${i}`) as TaskDefinition, { notifyAfterCommit: true })
    notifier.desired()
  })
  await resolver
  const taskbbsRate = n / ((performance.now() - t0) / 1000)
  await scheduler.stop()
  await pool.end()

  const gwPool = ownPool(await ctx.createDatabase('bench_e2e_graphile'), 30)
  const silent = new Logger(() => () => {})
  const utils = await makeWorkerUtils({ pgPool: gwPool, logger: silent })
  await utils.migrate()
  let done = 0
  let finish!: () => void
  const finished = new Promise<void>(resolve => { finish = resolve })
  const runner = await runGraphile({
    pgPool: gwPool, concurrency: CONCURRENCY, noHandleSignals: true, pollInterval: 1000,
    taskList: { noop: async () => { if (++done === n) finish() } },
    logger: silent
  })
  const g0 = performance.now()
  await forEachConcurrently(n, 16, i => utils.addJob('noop', benchDefinition(`gw-${i}`)))
  await finished
  const gwRate = n / ((performance.now() - g0) / 1000)
  await runner.stop()
  await utils.release()
  await gwPool.end()

  return [{
    scenario: `end to end (${n} tasks, c=${CONCURRENCY})`, subject: 'taskbbs', value: taskbbsRate, unit: 'tasks/s',
    baseline: 'graphile-worker no-op jobs', baselineValue: gwRate, ratio: ratioOf(taskbbsRate, gwRate), goal: '≥ 1.5'
  }]
}
