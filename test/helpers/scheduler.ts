import type pg from 'pg'
import type { Executor } from '../../src/executors/executor.ts'
import { LocalExecutor } from '../../src/executors/local/index.ts'
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.ts'
import { getTask } from '../../src/store/tasks.ts'
import type { Task } from '../../src/domain/task.ts'

export const quietLog = { info () {}, warn () {}, error () {} }

/** A started scheduler over the local executor (or the given one) with short timings; stopped at teardown. */
export async function testScheduler (
  t: { teardown (fn: () => unknown): void },
  db: { pool: pg.Pool, url: string },
  opts: Partial<SchedulerOptions> = {}
): Promise<{ scheduler: Scheduler, executor: Executor }> {
  const executor = opts.executor ?? new LocalExecutor()
  const scheduler = new Scheduler({
    pool: db.pool,
    databaseUrl: db.url,
    executor,
    cellId: `cell-${Math.random().toString(36).slice(2, 8)}`,
    maxTasks: 16,
    claimBatch: 8,
    pollIntervalMs: 60_000,
    leaseMs: 5000,
    heartbeatMs: 1000,
    maxRejections: 2,
    logMaxBytes: 1 << 20,
    logFlushMs: 100,
    log: quietLog,
    ...opts
  })
  await scheduler.start()
  t.teardown(() => scheduler.stop())
  return { scheduler, executor }
}

/** Polls until the task satisfies pred (or is gone when pred accepts undefined); fails after timeoutMs. */
export async function waitForTask (pool: pg.Pool, guid: string, pred: (t: Task | undefined) => boolean, timeoutMs = 15000): Promise<Task | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const task = await getTask(pool, guid)
    if (pred(task)) return task
    if (Date.now() > deadline) throw new Error(`task ${guid} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(task && { state: task.state, failed: task.failed, failure_reason: task.failure_reason })}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

export const run = (path: string, args: string[] = [], extra: Record<string, unknown> = {}) => ({ run: { path, args, user: 'root', ...extra } })
export const sh = (script: string) => run('sh', ['-c', script])
