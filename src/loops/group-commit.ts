/**
 * Batches writes without adding delay: the first item is written at once;
 * items that arrive while a write is in flight go together in the next one.
 * Under load this turns one statement per item into one per batch (measured in
 * BENCHMARKS.md: callbacks and end-to-end); when idle it is a direct write.
 * add() resolves with the item's own result when its batch is committed.
 */
export class GroupCommit<T, R = void> {
  private pending: Array<{ item: T, resolve: (r: R) => void, reject: (err: unknown) => void }> = []
  private flushing = false
  private readonly write: (items: T[]) => Promise<R[] | void>
  private readonly maxBatch: number

  /** write returns one result per item, in order (or nothing when R is void). */
  constructor (write: (items: T[]) => Promise<R[] | void>, maxBatch = 500) {
    this.write = write
    this.maxBatch = maxBatch
  }

  add (item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject })
      if (!this.flushing) void this.flush()
    })
  }

  /** Resolves when everything added so far is written (or failed). */
  async drain (): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) void this.flush()
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  }

  private async flush (): Promise<void> {
    this.flushing = true
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch)
      try {
        const results = await this.write(batch.map(b => b.item))
        batch.forEach((b, i) => b.resolve((results ? results[i] : undefined) as R))
      } catch (err) {
        for (const b of batch) b.reject(err)
      }
    }
    this.flushing = false
  }
}
