import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { Scheduler } from '../../src/scheduler/scheduler.ts'
import { insertTask } from '../../src/store/tasks.ts'
import { AfterCommitNotifier } from '../../src/store/notify.ts'
import { freePort } from '../../src/store/embedded.ts'
import { runNode, startNode } from '../lib/process.ts'
import { benchDefinition } from '../lib/definition.ts'
import { NoopExecutor } from '../lib/noop-executor.ts'
import { migratedPool, quietLog } from '../lib/pool.ts'
import { type Row, log, percentile, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const POLL_INTERVAL_MS = 5000
const here = (p: string) => new URL(p, import.meta.url).pathname

/**
 * Desire → RUNNING latency over 1,000 tasks desired one at a time, with the
 * fallback poll at 5 s: if wake-ups depended on the poll, the median would be
 * about half the interval. The ratio is the poll interval over the p99.
 */
export async function dispatchLatency (ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 300 : 1000
  log(`dispatch latency: ${n} tasks, poll interval ${POLL_INTERVAL_MS} ms`)
  const url = await ctx.createDatabase('bench_dispatch')
  const pool = await migratedPool(url)
  const executor = new NoopExecutor()
  const scheduler = new Scheduler({
    pool, databaseUrl: url, executor, cellId: 'bench', maxTasks: 64, claimBatch: 32, pollIntervalMs: POLL_INTERVAL_MS,
    leaseMs: 30000, heartbeatMs: 10000, maxRejections: 3, logMaxBytes: 1 << 20, logFlushMs: 1000, log: quietLog
  })
  await scheduler.start()
  const notifier = new AfterCommitNotifier(pool, err => { throw err })
  const measure = async (prefix: string) => {
    const desiredAt = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const guid = `${prefix}-${i}`
      desiredAt.set(guid, performance.now())
      // As POST /v1/tasks desires: the wake-up follows the commit.
      await insertTask(pool, benchDefinition(guid) as TaskDefinition, { notifyAfterCommit: true })
      notifier.desired()
      await new Promise(r => setTimeout(r, 2))
    }
    while ([...desiredAt.keys()].some(g => !executor.startedAt.has(g))) await new Promise(r => setTimeout(r, 10))
    // Desire sent → executor.start called: the insert, NOTIFY, claim and RUNNING write are inside it.
    const latencies = [...desiredAt].map(([g, t]) => executor.startedAt.get(g)! - t)
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
  }
  const idle = await measure('lat')
  // The same measure while a taskbbs server (scheduler off) on the same database answers
  // desires at concurrency 16 from the load process: this scheduler claims those too.
  const port = await freePort()
  const server = await startNode(here('../../src/server.ts'), {
    DATABASE_URL: url, TASKBBS_PORT: String(port), TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_LOG_LEVEL: 'error', TASKBBS_PG_POOL_MAX: '10'
  }, `http://127.0.0.1:${port}`)
  let loaded: { p50: number, p99: number }
  let load: { rate: number }
  try {
    const seconds = Math.ceil(n * 2.5 / 1000) + 4
    const loadRun = runNode<{ rate: number }>(here('../load.ts'), [`${server.url}/v1/tasks`, '16', String(seconds)])
    await new Promise(r => setTimeout(r, 1500))
    loaded = await measure('lat-loaded')
    load = await loadRun
  } finally {
    await server.stop()
  }
  await scheduler.stop()
  await pool.end()
  const extra = { notify_wakeups: scheduler.stats.wakeups.notify, poll_wakeups: scheduler.stats.wakeups.poll, desires_per_s_under_load: Math.round(load.rate) }
  return [
    { scenario: `dispatch latency p50 (${n} tasks)`, subject: 'taskbbs', value: idle.p50, unit: 'ms', baseline: 'poll interval', baselineValue: POLL_INTERVAL_MS, ratio: ratioOf(idle.p50, POLL_INTERVAL_MS, false), goal: '≫ 1 (independent of the poll)', extra },
    { scenario: `dispatch latency p99 (${n} tasks)`, subject: 'taskbbs', value: idle.p99, unit: 'ms', baseline: 'poll interval', baselineValue: POLL_INTERVAL_MS, ratio: ratioOf(idle.p99, POLL_INTERVAL_MS, false), goal: '≫ 1', extra },
    { scenario: `dispatch latency p50 under desires at c=16 (${n} tasks)`, subject: 'taskbbs', value: loaded.p50, unit: 'ms', baseline: 'same, idle', baselineValue: idle.p50, ratio: ratioOf(loaded.p50, idle.p50, false), goal: '', extra },
    { scenario: `dispatch latency p99 under desires at c=16 (${n} tasks)`, subject: 'taskbbs', value: loaded.p99, unit: 'ms', baseline: 'same, idle', baselineValue: idle.p99, ratio: ratioOf(loaded.p99, idle.p99, false), goal: '≤ 10 ms', extra }
  ]
}
