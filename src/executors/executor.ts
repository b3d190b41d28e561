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
   * The desire this run belongs to (fresh for every desire of the guid): work
   * left by an earlier task under the same guid carries another one and is
   * never taken for this task's.
   */
  runId?: string
  /** The scheduler's claim of the task; grows with every claim and takeover. */
  fencingToken?: string
  /**
   * Log frames of this run already recorded (the runner's frame number): an
   * executor resuming a running task skips output up to here, so a replica
   * that adopts a running pod neither repeats nor loses lines.
   */
  logsSeen?: number
}

/** One run's work as an executor finds it (see Executor.listRuns). */
export interface RunRef { guid: string, runId: string }

export type ExecutorEvent =
  /** seq: the runner's frame number, when the line came in a frame (what logsSeen counts). */
  | { type: 'log', guid: string, source: string, stream: 'stdout' | 'stderr' | 'system', line: string, seq?: number }
  /** The task's work runs on this cell (on Kubernetes: the node its pod is bound to). */
  | { type: 'placed', guid: string, cellId: string }
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
  /**
   * Present when the executor's work outlives its replica (pods): takes over
   * a task another replica (or this one before a restart) started, finds its
   * work and reports its events as if it had started it, including an
   * outcome reached while nobody watched. Work that is gone is reported
   * 'lost'. Without it a replica fails the tasks it started when it stops.
   */
  adopt? (task: ExecutorTask): Promise<void>
  /**
   * With adopt: stops watching the task and leaves its work alone. The
   * replica lost its lease (another adopted the task) or could not record the
   * outcome; whoever holds the lease now records it from the work itself.
   */
  forget? (guid: string): Promise<void>
  /** With adopt: the runs whose work exists now, whoever started them. */
  listRuns? (): Promise<RunRef[]>
  /** With adopt: removes a run's work whatever its state (its task is gone, finished or desired again). */
  removeRun? (run: RunRef): Promise<void>
}
