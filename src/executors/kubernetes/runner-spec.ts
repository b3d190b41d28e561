import { type RunnableAction, effectiveAction } from '../../domain/effective-action.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'

/**
 * What the in-pod runner is told to do (runner/PROTOCOL.md, "Spec"): the
 * whole action tree, with cached_dependencies and image_layers turned into
 * leading downloads, as the local executor runs it. It travels as a pod
 * annotation, projected into the task container as a file by a downwardAPI
 * volume: no ConfigMap to create, own and delete per task, and the spec is
 * part of the pod object, so it cannot drift from the pod that runs it.
 */
export interface RunnerSpec {
  version: 1
  guid: string
  log_source: string
  action: RunnableAction
  result_file?: string
  max_pids?: number
}

export const RUNNER_SPEC_VERSION = 1
/** The default log source, as Diego's executor names a task's output. */
export const DEFAULT_LOG_SOURCE = 'TASK'

export function runnerSpec (guid: string, def: TaskDefinition): RunnerSpec {
  const spec: RunnerSpec = { version: RUNNER_SPEC_VERSION, guid, log_source: def.log_source || DEFAULT_LOG_SOURCE, action: effectiveAction(def) }
  if (def.result_file) spec.result_file = def.result_file
  if (def.max_pids) spec.max_pids = def.max_pids
  return spec
}

/** The annotation's value: compact JSON, read back by the runner byte for byte. */
export function runnerSpecText (guid: string, def: TaskDefinition): string {
  return JSON.stringify(runnerSpec(guid, def))
}
