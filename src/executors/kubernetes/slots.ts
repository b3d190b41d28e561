/** A small counting semaphore: log reads of many finishing pods must not swamp the API server. */
export class Slots {
  private free: number
  private readonly waiting: Array<() => void> = []
  constructor (n: number) { this.free = n }
  async run<T> (fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
