import type pg from 'pg'
import type { Executor } from '../executors/executor.ts'
import { releaseLeases } from '../store/adoption.ts'
import { appendLogs } from '../store/logs.ts'
import { completeLeasedTasks, handBackTask } from '../store/scheduling.ts'
import type { Held } from './held.ts'

/**
 * Why a task that had started fails when its replica stops and its executor's
 * work cannot outlive the replica (local processes): it is not run again.
 */
export const SHUTDOWN_REASON = 'replica shut down before the task finished'

/** The scheduler's state a shutdown works on. */
export interface Draining {
  held: Map<string, Held>
  pool: pg.Pool
  cellId: string
  executor: Executor
  log: { info (obj: object, msg: string): void, warn (obj: object, msg: string): void, error (obj: object, msg: string): void }
  flushLogs (): Promise<void>
  /** Resolves when no task is held any more, or after ms. */
  idle (ms: number): Promise<void>
}

const settle = (p: Promise<unknown>, ms: number) => Promise.race([p, new Promise(resolve => setTimeout(resolve, ms).unref())])

/**
 * Work that outlives the replica (pods): left running, leases released at
 * once and the other replicas woken to adopt the tasks.
 */
export async function releaseAll (d: Draining, deadlineMs: number): Promise<void> {
  // A start in flight is let finish, so that the adopter finds its pod.
  await settle(Promise.all([...d.held.values()].map(h => h.launching)), deadlineMs)
  await d.flushLogs().catch(err => d.log.warn({ err }, 'log flush failed'))
  const leases = [...d.held.values()]
  for (const held of leases) {
    held.abandoned = true
    d.held.delete(held.guid)
  }
  const released = await releaseLeases(d.pool, d.cellId, leases, true)
    .catch(err => { d.log.error({ err }, 'releasing leases failed; they pass on when they expire'); return [] })
  if (leases.length) d.log.info({ released: released.length }, 'running tasks left running for another replica to adopt')
}

/**
 * Work that dies with the replica (local processes): running tasks get up
 * to deadlineMs to finish; then one whose work had started is stopped and
 * fails with SHUTDOWN_REASON (never run twice), one whose start had not got
 * through goes back to PENDING.
 */
export async function drainAll (d: Draining, deadlineMs: number): Promise<void> {
  await d.idle(deadlineMs)
  // Whether a task's work started decides between failing it and handing it back.
  await settle(Promise.all([...d.held.values()].map(h => h.launching)), Math.max(deadlineMs, 1000))
  for (const held of [...d.held.values()]) {
    held.abandoned = true
    d.held.delete(held.guid)
    await d.executor.cancel(held.guid).catch(() => {})
    if (held.launched) held.logs.add(held.logSource, 'system', `${SHUTDOWN_REASON}; the task was stopped and is not run again`)
    await appendLogs(d.pool, held.guid, held.logs.take()).catch(() => {})
    const done = held.launched
      ? completeLeasedTasks(d.pool, d.cellId, [{ lease: held, completion: { failed: true, failureReason: SHUTDOWN_REASON, result: '' } }])
      : handBackTask(d.pool, d.cellId, held)
    await done.catch(err => d.log.error({ err, guid: held.guid }, 'settling a task at shutdown failed'))
    await d.executor.cleanup(held.guid).catch(() => {})
  }
}
