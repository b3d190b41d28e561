import type { FieldError } from '../domain/errors.ts'
import type { TaskDefinition } from '../domain/task-definition.ts'

/**
 * The boundary between the scheduler and whatever runs tasks. An executor is
 * told to start and cancel tasks and reports back through one stream of
 * events; it never touches the database. Implementations: `local` (processes
 * on this machine, for development) and `kubernetes` (one Pod per task).
 */
export interface ExecutorTask {
  guid: string
  domain: string
  /** The whole definition, including image_password, which only executors see. */
  definition: TaskDefinition
  /**
   * Log frames of this run already recorded (the runner's frame number): an
   * executor resuming a running task skips output up to here, so a replica
   * that adopts a running pod neither repeats nor loses lines.
   */
  logsSeen?: number
}

export type ExecutorEvent =
  /** seq: the runner's frame number, when the line came in a frame (what logsSeen counts). */
  | { type: 'log', guid: string, source: string, stream: 'stdout' | 'stderr' | 'system', line: string, seq?: number }
  /** The task's action finished (successfully or not). */
  | { type: 'completed', guid: string, failed: boolean, failureReason: string, result: string }
  /** The executor no longer has the task and cannot tell how it ended (pod deleted, node lost). */
  | { type: 'lost', guid: string, reason: string }

export type ExecutorListener = (event: ExecutorEvent) => void

/** Thrown by start() when the task could run later or elsewhere: the scheduler puts it back to PENDING. */
export class ExecutorRejection extends Error {
  readonly code = 'EXECUTOR_REJECTED'
}

export interface Executor {
  readonly name: string
  /** Desire-time check: definition parts this executor cannot run, each naming its field (answered as 422). */
  unsupported (definition: TaskDefinition): FieldError[]
  /**
   * Starts the task and resolves once it is launched, not when it ends.
   * Idempotent per guid: starting a task that already runs is not an error.
   * Throws ExecutorRejection for a temporary refusal; any other error fails the task.
   */
  start (task: ExecutorTask): Promise<void>
  /** Stops the task if it runs; a completed event may or may not follow. */
  cancel (guid: string): Promise<void>
  /** Subscribes to events of every task this executor started; returns an unsubscribe function. */
  observe (listener: ExecutorListener): () => void
  /** Removes what the task left behind (work dirs, pods, secrets). Safe to call twice. */
  cleanup (guid: string): Promise<void>
  /** Stops watching and releases resources; running tasks are not cancelled. */
  close (): Promise<void>
}
