import type { LogLine } from '../store/logs.ts'

export const TRUNCATED_MARKER = '[taskbbs: log limit reached; further output of this task is dropped]'

/**
 * One task's output between flushes. Bounded in bytes over the task's whole
 * life: past the bound one marker line is kept and the rest dropped, so a
 * chatty task cannot grow the database without limit.
 */
export class LogBuffer {
  private pending: LogLine[] = []
  private seq = 0
  private bytes = 0
  private truncated = false
  private readonly maxBytes: number

  /** startSeq: the last line already stored (a task adopted from another replica continues its log). */
  constructor (maxBytes: number, startSeq = 0) {
    this.maxBytes = maxBytes
    this.seq = startSeq
  }

  add (source: string, stream: LogLine['stream'], line: string): void {
    if (this.truncated) return
    const size = Buffer.byteLength(line)
    if (this.bytes + size > this.maxBytes) {
      this.truncated = true
      this.pending.push({ seq: ++this.seq, at: new Date(), source, stream: 'system', line: TRUNCATED_MARKER })
      return
    }
    this.bytes += size
    // Postgres text cannot hold NUL; a process may well print one.
    this.pending.push({ seq: ++this.seq, at: new Date(), source, stream, line: line.replaceAll('\u0000', '\uFFFD') })
  }

  take (): LogLine[] {
    const out = this.pending
    this.pending = []
    return out
  }
}
