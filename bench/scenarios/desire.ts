import PgBoss from 'pg-boss'
import { Logger, makeWorkerUtils } from 'graphile-worker'
import { freePort } from '../../src/store/embedded.ts'
import { ownPool } from '../lib/pool.ts'
import { benchDefinition } from '../lib/definition.ts'
import { startNode, runNode } from '../lib/process.ts'
import { type Row, log, percentile, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

interface Load { rate: number, p50: number, p99: number, ok: number, non2xx: number, errors: number }

const here = (p: string) => new URL(p, import.meta.url).pathname

/** Two runs of equal length as one: mean rate and latencies, summed counts. */
function mean (a: Load, b: Load): Load {
  return { rate: (a.rate + b.rate) / 2, p50: (a.p50 + b.p50) / 2, p99: Math.max(a.p99, b.p99), ok: a.ok + b.ok, non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors }
}

/** Calls fn from `concurrency` loops for `seconds`; rate of completed calls and latency percentiles in ms. */
async function closedLoop (concurrency: number, seconds: number, fn: (i: number) => Promise<unknown>): Promise<Load> {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  let n = 0
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now()
      await fn(n++)
      latencies.push(performance.now() - t0)
    }
  }))
  const elapsed = (performance.now() - start) / 1000
  return { rate: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok: latencies.length, non2xx: 0, errors: 0 }
}

/**
 * Desire throughput: POST /v1/tasks from a separate load process over
 * keep-alive, against the floor (bare INSERT route, same pool size, same
 * database server) and against pg-boss send() and graphile-worker addJob()
 * called in-process on the same server.
 */
export async function desireThroughput (ctx: BenchContext): Promise<Row[]> {
  const seconds = ctx.quick ? 3 : 10
  const levels = [1, 16, 64]
  const taskbbsPort = await freePort()
  const floorPort = await freePort()
  const taskbbs = await startNode(here('../../src/server.ts'), {
    DATABASE_URL: await ctx.createDatabase('bench_desire_taskbbs'), TASKBBS_PORT: String(taskbbsPort),
    TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_LOG_LEVEL: 'error', TASKBBS_PG_POOL_MAX: '10'
  }, `http://127.0.0.1:${taskbbsPort}`)
  const floor = await startNode(here('../floor-server.ts'), {
    DATABASE_URL: await ctx.createDatabase('bench_desire_floor'), PORT: String(floorPort), POOL_MAX: '10'
  }, `http://127.0.0.1:${floorPort}`)
  const boss = new PgBoss({ connectionString: await ctx.createDatabase('bench_desire_pgboss'), max: 10 })
  boss.on('error', () => {})
  await boss.start()
  await boss.createQueue('bench')
  const gwPool = ownPool(await ctx.createDatabase('bench_desire_graphile'), 10)
  const gw = await makeWorkerUtils({ pgPool: gwPool, logger: new Logger(() => () => {}) })
  await gw.migrate()

  const rows: Row[] = []
  try {
    for (const c of levels) {
      log(`desire throughput at concurrency ${c} (${seconds} s each: floor and taskbbs in ABBA halves, pg-boss, graphile-worker)`)
      // Floor and taskbbs in ABBA order, each half the time: the machine's drift
      // (other work on the same cores) then weighs on both alike.
      const half = String(Math.max(1, Math.round(seconds / 2)))
      const f1 = await runNode<Load>(here('../load.ts'), [`${floor.url}/v1/tasks`, String(c), half])
      const t1 = await runNode<Load>(here('../load.ts'), [`${taskbbs.url}/v1/tasks`, String(c), half])
      const t2 = await runNode<Load>(here('../load.ts'), [`${taskbbs.url}/v1/tasks`, String(c), half])
      const f2 = await runNode<Load>(here('../load.ts'), [`${floor.url}/v1/tasks`, String(c), half])
      const f = mean(f1, f2)
      const t = mean(t1, t2)
      const b = await closedLoop(c, seconds, i => boss.send('bench', benchDefinition(`pgboss-${c}-${i}`)))
      const g = await closedLoop(c, seconds, i => gw.addJob('bench', benchDefinition(`gw-${c}-${i}`)))
      if (t.non2xx || t.errors) throw new Error(`taskbbs answered ${t.non2xx} non-2xx and ${t.errors} errors under load`)
      const extra = { taskbbs_p50_ms: t.p50, taskbbs_p99_ms: t.p99 }
      rows.push(
        { scenario: `desire c=${c}`, subject: 'taskbbs', value: t.rate, unit: 'req/s', baseline: 'floor (bare INSERT route)', baselineValue: f.rate, ratio: ratioOf(t.rate, f.rate), goal: '≥ 0.7', extra: { ...extra, floor_p50_ms: f.p50, floor_p99_ms: f.p99 } },
        { scenario: `desire c=${c}`, subject: 'taskbbs', value: t.rate, unit: 'req/s', baseline: 'pg-boss send()', baselineValue: b.rate, ratio: ratioOf(t.rate, b.rate), goal: '> 1', extra: { ...extra, peer_p50_ms: Number(b.p50.toFixed(2)), peer_p99_ms: Number(b.p99.toFixed(2)) } },
        { scenario: `desire c=${c}`, subject: 'taskbbs', value: t.rate, unit: 'req/s', baseline: 'graphile-worker addJob()', baselineValue: g.rate, ratio: ratioOf(t.rate, g.rate), goal: '> 1', extra: { ...extra, peer_p50_ms: Number(g.p50.toFixed(2)), peer_p99_ms: Number(g.p99.toFixed(2)) } }
      )
    }
  } finally {
    await taskbbs.stop()
    await floor.stop()
    await boss.stop({ graceful: false, wait: true }).catch(() => {})
    await gw.release()
    await gwPool.end()
  }
  return rows
}
