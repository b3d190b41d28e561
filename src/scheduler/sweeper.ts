import type pg from 'pg'
import type { Executor, RunRef } from '../executors/executor.ts'
import { coalesced } from '../loops/coalesced.ts'
import { Periodic } from '../loops/periodic.ts'
import { liveRuns, runKey } from '../store/adoption.ts'

export interface SweeperOptions {
  pool: pg.Pool
  executor: Executor & Required<Pick<Executor, 'listRuns' | 'removeRun'>>
  intervalMs: number
  log: { warn (obj: object, msg: string): void }
}

/**
 * Removes work no live task owns, whatever its state: pods of tasks that were
 * deleted, cancelled, failed or completed while their replica was gone, and
 * of earlier tasks under a guid desired again. Live means: the task is
 * RUNNING with that run id. Every replica may sweep; deletes are idempotent.
 * States: stopped → running → stopped.
 */
export class Sweeper extends Periodic {
  removed = 0

  constructor (o: SweeperOptions) {
    super(o.intervalMs, async () => {
      try {
        this.removed += await sweepOnce(o.pool, o.executor)
      } catch (err) {
        o.log.warn({ err }, 'sweeping work of finished tasks failed; retrying next interval')
      }
    })
    this.soon = coalesced(() => this.runOnce(), () => {})
  }

  /** A sweep now (a task was cancelled whose work another replica watches, or nobody does). */
  readonly soon: () => void
}

export async function sweepOnce (pool: pg.Pool, executor: SweeperOptions['executor']): Promise<number> {
  const runs: RunRef[] = await executor.listRuns()
  if (runs.length === 0) return 0
  const live = await liveRuns(pool, runs)
  const dead = runs.filter(r => !live.has(runKey(r.guid, r.runId)))
  await Promise.all(dead.map(r => executor.removeRun(r)))
  return dead.length
}
