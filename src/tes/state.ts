import { CANCELLED_REASON } from '../domain/lifecycle.ts'
import type { Task } from '../domain/task.ts'
import type { StateCondition } from '../store/tes.ts'
import { MARKS } from './marks.ts'
import type { TesState } from './schemas.ts'

/**
 * A taskbbs task's state in TES's words:
 *
 * | taskbbs                                             | TES            |
 * | PENDING                                             | QUEUED         |
 * | RUNNING, first executor not yet started (inputs)    | INITIALIZING   |
 * | RUNNING, first executor started                     | RUNNING        |
 * | COMPLETED or RESOLVING, not failed                  | COMPLETE       |
 * | failed, "task was cancelled"                        | CANCELED       |
 * | failed, "executor N: …"                             | EXECUTOR_ERROR |
 * | failed otherwise (input, output, lost cell, …)      | SYSTEM_ERROR   |
 *
 * Cancelling is synchronous in taskbbs (the task is COMPLETED when the answer
 * comes), so CANCELING is never seen; nor are PAUSED and PREEMPTED (a lost
 * node fails the task "cell disappeared before completion": SYSTEM_ERROR).
 */
export function tesState (task: Pick<Task, 'state' | 'failed' | 'failure_reason'>, started: boolean): TesState {
  switch (task.state) {
    case 'PENDING': return 'QUEUED'
    case 'RUNNING': return started ? 'RUNNING' : 'INITIALIZING'
    default:
      if (!task.failed) return 'COMPLETE'
      if (task.failure_reason === CANCELLED_REASON) return 'CANCELED'
      if (task.failure_reason.startsWith(MARKS.anyExecutorPrefix)) return 'EXECUTOR_ERROR'
      return 'SYSTEM_ERROR'
  }
}

const DONE = ['COMPLETED', 'RESOLVING']

/** The store condition that selects exactly the tasks tesState maps to `state` (none for states never seen). */
export function stateCondition (state: TesState): StateCondition {
  switch (state) {
    case 'QUEUED': return { states: ['PENDING'] }
    case 'INITIALIZING': return { states: ['RUNNING'], started: false }
    case 'RUNNING': return { states: ['RUNNING'], started: true }
    case 'COMPLETE': return { states: DONE, failed: false }
    case 'CANCELED': return { states: DONE, failed: true, reasonEquals: CANCELLED_REASON }
    case 'EXECUTOR_ERROR': return { states: DONE, failed: true, reasonPrefix: MARKS.anyExecutorPrefix }
    case 'SYSTEM_ERROR': return { states: DONE, failed: true, reasonNeither: { equals: CANCELLED_REASON, prefix: MARKS.anyExecutorPrefix } }
    default: return { states: [] }
  }
}
