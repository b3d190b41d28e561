/**
 * A pass run every intervalMs (and on demand); concurrent calls share the pass
 * in progress, and stop() waits for it. States: stopped → running → stopped.
 */
export class Periodic {
  readonly intervalMs: number
  private readonly pass: () => Promise<void>
  private timer?: NodeJS.Timeout
  private current?: Promise<void>

  constructor (intervalMs: number, pass: () => Promise<void>) {
    this.intervalMs = intervalMs
    this.pass = pass
  }

  start (): void {
    if (this.timer) return
    this.timer = setInterval(() => { this.runOnce() }, this.intervalMs)
    this.timer.unref()
  }

  runOnce (): Promise<void> {
    this.current ??= this.pass().finally(() => { this.current = undefined })
    return this.current
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.current
  }
}
