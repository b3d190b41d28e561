import type pg from 'pg'
import { Periodic } from '../loops/periodic.ts'
import { type ConvergeReport, type ConvergeSettings, convergeOnce } from '../store/converge.ts'

export interface ConvergerOptions extends ConvergeSettings {
  pool: pg.Pool
  intervalMs: number
  log: { info (obj: object, msg: string): void, warn (obj: object, msg: string): void }
  onReport?: (report: ConvergeReport) => void
}

/**
 * Runs Diego's convergence pass every intervalMs. Every replica runs one; the
 * advisory lock in convergeOnce lets only one of them act per pass.
 * States: stopped → running → stopped; stop() waits for a pass in progress.
 */
export class Converger extends Periodic {
  passes = 0

  constructor (o: ConvergerOptions) {
    super(o.intervalMs, () => convergeOnce(o.pool, o)
      .then(report => {
        this.passes++
        if (!report) return
        o.onReport?.(report)
        const changed = report.expiredPending.length + report.lostRunning.length + report.demotedResolving.length + report.deletedCompleted.length
        if (changed > 0) o.log.info({ ...report }, 'convergence changed tasks')
      })
      .catch(err => o.log.warn({ err }, 'convergence pass failed; retrying next interval')))
  }
}
