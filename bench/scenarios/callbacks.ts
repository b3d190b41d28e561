import { createServer } from 'node:http'
import { Agent, request } from 'undici'
import { CallbackWorker } from '../../src/callbacks/worker.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { cancelTask, insertTask } from '../../src/store/tasks.ts'
import { benchDefinition } from '../lib/definition.ts'
import { forEachConcurrently, migratedPool, ownPool, quietLog } from '../lib/pool.ts'
import { drainOutboxFloor, fillOutboxFloor } from '../lib/outbox-floor.ts'
import { type Row, log, ratioOf } from '../lib/stats.ts'
import type { BenchContext } from './context.ts'

const CONCURRENCY = 32

/**
 * Completion callbacks delivered per second (POST, 200, RESOLVING, delete)
 * against the outbox floor (the least a correct outbox does) and a raw undici
 * POST loop of the same bodies, to the same loopback receiver at the same
 * concurrency.
 */
export async function callbackThroughput (ctx: BenchContext): Promise<Row[]> {
  const n = ctx.quick ? 2000 : 10000
  log(`callbacks: ${n} deliveries, concurrency ${CONCURRENCY}`)
  const receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end('ok')) })
  receiver.keepAliveTimeout = 60000
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  const target = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/cb`

  const url = await ctx.createDatabase('bench_callbacks')
  const pool = await migratedPool(url, 40)
  // Completed tasks with a callback each; the worker is not running yet, so the outbox fills.
  await forEachConcurrently(n, 16, async i => {
    const guid = `cb-${i}`
    await insertTask(pool, { ...benchDefinition(guid), completion_callback_url: target } as TaskDefinition)
    await cancelTask(pool, guid)
  })
  const worker = new CallbackWorker({
    pool, databaseUrl: url, workerId: 'bench', policy: { enforce: false, allow: [] }, requestTimeoutMs: 10000,
    retryIntervalMs: 30000, giveUpAfterMs: 120000, concurrency: CONCURRENCY, pollIntervalMs: 100, log: quietLog
  })
  const t0 = performance.now()
  await worker.start()
  while (worker.stats.resolved < n) await new Promise(r => setTimeout(r, 5))
  const taskbbsRate = n / ((performance.now() - t0) / 1000)
  await worker.stop()
  await pool.end()

  const body = JSON.stringify({ task_guid: 'x', failed: true, failure_reason: 'task was cancelled', result: '', annotation: 'benchmark task', created_at: new Date().toISOString() })
  // The fair floor: the same deliveries through a one-table outbox (bench/lib/outbox-floor.ts), same database server.
  const floorPool = ownPool(await ctx.createDatabase('bench_callbacks_floor'), 40)
  await fillOutboxFloor(floorPool, n, target, body)
  const f0 = performance.now()
  await drainOutboxFloor(floorPool, CONCURRENCY)
  const floorRate = n / ((performance.now() - f0) / 1000)
  const left = Number((await floorPool.query('SELECT count(*) FROM floor_outbox')).rows[0].count)
  await floorPool.end()
  if (left !== 0) throw new Error(`the outbox floor left ${left} rows`)

  const agent = new Agent({ connections: CONCURRENCY })
  const r0 = performance.now()
  await forEachConcurrently(n, CONCURRENCY, async () => {
    const res = await request(target, { method: 'POST', dispatcher: agent, body, headers: { 'content-type': 'application/json' } })
    await res.body.dump()
  })
  const rawRate = n / ((performance.now() - r0) / 1000)
  await agent.close()
  await new Promise<void>(resolve => receiver.close(() => resolve()))
  return [{
    scenario: `callbacks (${n}, c=${CONCURRENCY})`, subject: 'taskbbs', value: taskbbsRate, unit: 'deliveries/s',
    baseline: 'outbox floor (SKIP LOCKED batches, undici, batched DELETE)', baselineValue: floorRate, ratio: ratioOf(taskbbsRate, floorRate), goal: '≥ 0.8'
  }, {
    scenario: `callbacks (${n}, c=${CONCURRENCY})`, subject: 'taskbbs', value: taskbbsRate, unit: 'deliveries/s',
    baseline: 'raw undici POST loop', baselineValue: rawRate, ratio: ratioOf(taskbbsRate, rawRate), goal: 'none (no database)'
  }]
}
