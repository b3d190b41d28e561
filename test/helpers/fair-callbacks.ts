import { createServer, type ServerResponse } from 'node:http'
import type pg from 'pg'
import { CallbackWorker, type CallbackWorkerOptions } from '../../src/callbacks/worker.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'
import { cancelTask, insertTask } from '../../src/store/tasks.ts'

export interface Hit { guid: string, path: string, at: number }

/**
 * A loopback callback receiver: requests to a path starting with /hang are
 * never answered; every other path gets 200 at once. Each request is noted
 * with its task guid and arrival time.
 */
export async function startCallbackReceiver (t: { teardown (fn: () => unknown): void }) {
  const hits: Hit[] = []
  const hanging: ServerResponse[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', d => { body += d })
    req.on('end', () => {
      let guid = ''
      try { guid = (JSON.parse(body) as { task_guid: string }).task_guid } catch {}
      const path = req.url ?? ''
      hits.push({ guid, path, at: Date.now() })
      if (path.startsWith('/hang')) hanging.push(res)
      else res.writeHead(200).end()
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const close = () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  t.teardown(close)
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits, close }
}

export function percentile (values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export interface RoundOptions {
  pool: pg.Pool
  databaseUrl: string
  /** Tasks whose callback goes to hangUrl, completed first (so that they are the oldest). */
  hanging: number
  hangUrl: string
  /** Then tasks whose callback goes to healthyUrl; their latency is measured. */
  healthy: number
  healthyUrl: string
  healthyHits: Hit[]
  worker: Omit<CallbackWorkerOptions, 'pool' | 'databaseUrl' | 'workerId'>
  /** Bound on waiting for the healthy callbacks. */
  deadlineMs: number
  prefix: string
  /** Called before the worker is stopped, to let it run on. */
  /** Runs after the healthy callbacks arrived (or the deadline passed), before the worker stops. */
  keepRunning?: (worker: CallbackWorker) => Promise<void>
}

function definition (guid: string, url: string): TaskDefinition {
  return {
    guid, domain: 'fairness', root_fs: 'docker:///library/busybox#1.36',
    action: { run: { path: 'true', user: 'root' } }, completion_callback_url: url
  } as TaskDefinition
}

async function forEach (n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await fn(next++)
  }))
}

/**
 * One round with a fresh worker: `hanging` completions to the hanging
 * receiver, then `healthy` completions to the healthy one; returns how long
 * each healthy callback took from its task's completion to its arrival. The
 * worker is stopped and the round's tasks deleted at the end.
 */
export async function fairnessRound (o: RoundOptions): Promise<{ latencies: number[], missing: number, worker: CallbackWorker }> {
  const worker = new CallbackWorker({ pool: o.pool, databaseUrl: o.databaseUrl, workerId: `${o.prefix}-worker`, ...o.worker })
  await worker.start()
  try {
    await forEach(o.hanging, 16, async i => {
      const guid = `${o.prefix}-hang-${i}`
      await insertTask(o.pool, definition(guid, o.hangUrl))
      await cancelTask(o.pool, guid)
    })
    const completedAt = new Map<string, number>()
    await forEach(o.healthy, 8, async i => {
      const guid = `${o.prefix}-ok-${i}`
      await insertTask(o.pool, definition(guid, o.healthyUrl))
      // Taken before the completing statement: its commit enqueues the callback.
      const at = Date.now()
      await cancelTask(o.pool, guid)
      completedAt.set(guid, at)
    })
    const arrived = () => new Map(o.healthyHits.filter(h => completedAt.has(h.guid)).map(h => [h.guid, h.at]))
    const deadline = Date.now() + o.deadlineMs
    while (arrived().size < o.healthy && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    const seen = arrived()
    await o.keepRunning?.(worker)
    return { latencies: [...seen].map(([guid, at]) => at - completedAt.get(guid)!), missing: o.healthy - seen.size, worker }
  } finally {
    await worker.stop()
    await o.pool.query('DELETE FROM tasks WHERE guid LIKE $1', [`${o.prefix}-%`])
  }
}
