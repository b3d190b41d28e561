import type pg from 'pg'
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
export class Converger {
  private readonly o: ConvergerOptions
  private timer?: NodeJS.Timeout
  private pass?: Promise<void>
  passes = 0

  constructor (options: ConvergerOptions) {
    this.o = options
  }

  start (): void {
    if (this.timer) return
    this.timer = setInterval(() => { this.runOnce() }, this.o.intervalMs)
    this.timer.unref()
  }

  /** One pass now (also what the timer calls); concurrent calls share the pass in progress. */
  runOnce (): Promise<void> {
    this.pass ??= convergeOnce(this.o.pool, this.o)
      .then(report => {
        this.passes++
        if (!report) return
        this.o.onReport?.(report)
        const changed = report.expiredPending.length + report.lostRunning.length + report.demotedResolving.length + report.deletedCompleted.length
        if (changed > 0) this.o.log.info({ ...report, kickedPending: report.kickedPending }, 'convergence changed tasks')
      })
      .catch(err => this.o.log.warn({ err }, 'convergence pass failed; retrying next interval'))
      .finally(() => { this.pass = undefined })
    return this.pass
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.pass
  }
}
