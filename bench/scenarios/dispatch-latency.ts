import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { Scheduler } from '../../src/scheduler/scheduler.ts'
import { insertTask } from '../../src/store/tasks.ts'
import { benchDefinition } from '../lib/definition.ts'
import { NoopExecutor } from '../lib/noop-executor.ts'
import { migratedPool, quietLog } from '../lib/pool.ts'
import { type Row, log, percentile, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const POLL_INTERVAL_MS = 5000

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
  const desiredAt = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const guid = `lat-${i}`
    desiredAt.set(guid, performance.now())
    await insertTask(pool, benchDefinition(guid) as TaskDefinition)
    await new Promise(r => setTimeout(r, 2))
  }
  while (executor.startedAt.size < n) await new Promise(r => setTimeout(r, 10))
  // Desire sent → executor.start called: the insert, NOTIFY, claim and RUNNING write are inside it.
  const latencies = [...desiredAt].map(([g, t]) => executor.startedAt.get(g)! - t)
  await scheduler.stop()
  await pool.end()
  const p50 = percentile(latencies, 50)
  const p99 = percentile(latencies, 99)
  const extra = { p50_ms: Number(p50.toFixed(2)), p99_ms: Number(p99.toFixed(2)), notify_wakeups: scheduler.stats.wakeups.notify, poll_wakeups: scheduler.stats.wakeups.poll }
  return [
    { scenario: `dispatch latency p50 (${n} tasks)`, subject: 'taskbbs', value: p50, unit: 'ms', baseline: 'poll interval', baselineValue: POLL_INTERVAL_MS, ratio: ratioOf(p50, POLL_INTERVAL_MS, false), goal: '≫ 1 (independent of the poll)', extra },
    { scenario: `dispatch latency p99 (${n} tasks)`, subject: 'taskbbs', value: p99, unit: 'ms', baseline: 'poll interval', baselineValue: POLL_INTERVAL_MS, ratio: ratioOf(p99, POLL_INTERVAL_MS, false), goal: '≫ 1', extra }
  ]
}
