import type { CallbackWorkerOptions } from '../../src/callbacks/worker.ts'
import { fairnessRound, percentile, startCallbackReceiver } from '../../test/helpers/fair-callbacks.ts'
import { migratedPool, quietLog } from '../lib/pool.ts'
import { type Row, log, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

/**
 * A healthy receiver's callback latency (completion → arrival, p99 of 50)
 * while 200 callbacks hang at another receiver, against the same receiver
 * with nothing hanging, in the same run (ABBA: the baseline before and after,
 * the larger p99 is the figure). Production timings: 32 slots, a 10 s timeout.
 * Before fair delivery the healthy callbacks waited 58.5 s.
 */
export async function callbackFairness (ctx: BenchContext): Promise<Row[]> {
  const hangingCount = 200
  const healthyCount = 50
  log(`callback fairness: ${hangingCount} hanging callbacks, ${healthyCount} healthy ones`)
  const teardowns: Array<() => unknown> = []
  const t = { teardown: (fn: () => unknown) => { teardowns.push(fn) } }
  const url = await ctx.createDatabase('bench_callback_fairness')
  const pool = await migratedPool(url, 20)
  const healthy = await startCallbackReceiver(t)
  const hanging = await startCallbackReceiver(t)
  const worker: Omit<CallbackWorkerOptions, 'pool' | 'databaseUrl' | 'workerId'> = {
    policy: { enforce: false, allow: [] }, requestTimeoutMs: 10_000, retryIntervalMs: 30_000, giveUpAfterMs: 120_000,
    concurrency: 32, pollIntervalMs: 1000, log: quietLog
  }
  const round = async (prefix: string, count: number, hangUrl: string) => {
    const r = await fairnessRound({
      pool, databaseUrl: url, hanging: count, hangUrl, healthy: healthyCount, healthyUrl: `${healthy.base}/ok`, healthyHits: healthy.hits,
      worker, deadlineMs: 120_000, prefix
    })
    if (r.missing) throw new Error(`${prefix}: ${r.missing} healthy callbacks did not arrive`)
    log(`${prefix}: p50 ${percentile(r.latencies, 50)} ms, p99 ${percentile(r.latencies, 99)} ms`)
    return percentile(r.latencies, 99)
  }
  try {
    await round('warm', 0, `${hanging.base}/hang`)
    const before = await round('baseline-before', 0, `${hanging.base}/hang`)
    const cross = await round('hanging-other-port', hangingCount, `${hanging.base}/hang`)
    const same = await round('hanging-same-origin', hangingCount, `${healthy.base}/hang`)
    const after = await round('baseline-after', 0, `${hanging.base}/hang`)
    const baseline = Math.max(before, after)
    const row = (what: string, value: number): Row => ({
      scenario: `healthy callback p99 with ${hangingCount} hanging (${what})`, subject: 'taskbbs', value, unit: 'ms',
      baseline: 'same, nothing hanging', baselineValue: baseline, ratio: ratioOf(value, baseline, false), goal: '≥ 0.5 (within 2×)',
      extra: { baseline_before_ms: before, baseline_after_ms: after }
    })
    return [row('another port', cross), row('same host:port, another path', same)]
  } finally {
    for (const fn of teardowns.reverse()) await fn()
    await pool.end()
  }
}
