import type { Lease } from '../store/scheduling.ts'
import type { LogBuffer } from './log-buffer.ts'

/** A task this replica holds the lease of, from its claim (or adoption) to its outcome. */
export interface Held extends Lease {
  runId: string
  logSource: string
  logs: LogBuffer
  /** The executor's start (or adoption) resolved: the work exists. */
  launched: boolean
  /** Settles when the start or adoption is over, whatever its outcome. */
  launching: Promise<void>
  /** Highest seq of the work's output seen, and the last value stored. */
  logsSeen: number
  logsSeenStored: number
  /** Set when the task stopped being ours (cancelled, lease lost): its outcome is not recorded. */
  abandoned: boolean
}
