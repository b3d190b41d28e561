import { freePort } from '../../src/store/embedded.ts'
import { startNode, runNode } from '../lib/process.ts'
import { type Row, log, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

interface Load { rate: number, p50: number, p99: number, ok: number, non2xx: number, errors: number }

const here = (p: string) => new URL(p, import.meta.url).pathname

/**
 * Desires per second over Diego BBS's protobuf route (POST /v1/tasks/desire.r2)
 * against the JSON route (POST /v1/tasks), on one server, the same definition,
 * the same load generator (bench/wire-load.ts), in ABBA order at each
 * concurrency (p50/p99: the worse half).
 */
export async function bbsDesire (ctx: BenchContext): Promise<Row[]> {
  const seconds = ctx.quick ? 3 : 10
  const port = await freePort()
  const server = await startNode(here('../../src/server.ts'), {
    DATABASE_URL: await ctx.createDatabase('bench_bbs_desire'), TASKBBS_PORT: String(port), TASKBBS_MODE: 'development', TASKBBS_TOKENS: '',
    TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false', TASKBBS_LOG_LEVEL: 'error', TASKBBS_PG_POOL_MAX: '10'
  }, `http://127.0.0.1:${port}`)
  const rows: Row[] = []
  try {
    for (const c of [1, 16, 64]) {
      log(`BBS desire against JSON desire at concurrency ${c} (${seconds} s each)`)
      // ABBA order, each half the time, so that the machine's drift during the run weighs on both alike.
      const half = String(Math.max(1, seconds / 2))
      const run = (mode: string) => runNode<Load>(here('../wire-load.ts'), [server.url, mode, String(c), half])
      const j1 = await run('json')
      const b1 = await run('bbs')
      const b2 = await run('bbs')
      const j2 = await run('json')
      const mean = (a: Load, b: Load): Load => ({ rate: (a.rate + b.rate) / 2, p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), ok: a.ok + b.ok, non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors })
      const json = mean(j1, j2)
      const bbs = mean(b1, b2)
      for (const [name, l] of [['JSON', json], ['BBS', bbs]] as const) {
        if (l.non2xx || l.errors) throw new Error(`${name} desire answered ${l.non2xx} non-2xx and ${l.errors} errors under load`)
      }
      rows.push({
        scenario: `BBS desire c=${c}`, subject: 'taskbbs BBS route', value: bbs.rate, unit: 'req/s',
        baseline: 'JSON route (POST /v1/tasks)', baselineValue: json.rate, ratio: ratioOf(bbs.rate, json.rate), goal: '≈ 1',
        extra: { bbs_p50_ms: Number(bbs.p50.toFixed(2)), bbs_p99_ms: Number(bbs.p99.toFixed(2)), json_p50_ms: Number(json.p50.toFixed(2)), json_p99_ms: Number(json.p99.toFixed(2)) }
      })
    }
  } finally {
    await server.stop()
  }
  return rows
}
