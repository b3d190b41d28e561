/**
 * The runner's spec for a task (runner/PROTOCOL.md, version 1), and the
 * environment the runner's container would have. Kept tiny: the Kubernetes
 * executor builds the same in src/executors/kubernetes/runner-spec.ts.
 */
import { type RunnableAction, effectiveAction } from '../../src/domain/effective-action.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'

export interface RunnerSpec {
  version: 1
  guid: string
  log_source: string
  action: RunnableAction
  result_file?: string
  max_pids?: number
}

export function runnerSpec (def: TaskDefinition): RunnerSpec {
  return {
    version: 1,
    guid: def.guid,
    log_source: def.log_source || 'TASK',
    action: effectiveAction(def),
    ...(def.result_file ? { result_file: def.result_file } : {}),
    ...(def.max_pids ? { max_pids: def.max_pids } : {})
  }
}

/** Task-level env is the container's env, plus TASKBBS_TASK_GUID (PROTOCOL.md, "The pod"). */
export function containerEnv (def: TaskDefinition): Record<string, string> {
  const env: Record<string, string> = {}
  for (const v of def.env ?? []) env[v.name] = v.value
  env.TASKBBS_TASK_GUID = def.guid
  return env
}
