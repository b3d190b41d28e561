import type { V1Pod } from '@kubernetes/client-node'
import type { ExecutorTask, RunRef } from '../executor.ts'
import type { TaskObjects } from './pod.ts'
import { ANNOTATIONS, LABELS, labelValue } from './names.ts'

/**
 * Which run of which task a pod belongs to. A pod is made for one run (one
 * desire of a guid, see migrations/0005_task_runs.sql) under one claim (the
 * fencing token); a replica adopting a task finds the pod by guid and run,
 * and a pod of any other run is never taken for the task's.
 */
export const RUN_LABEL = 'taskbbs.io/run'
export const RUN_ANNOTATIONS = {
  runId: 'taskbbs.io/run-id',
  /** The claim that created the pod; adopters keep watching it under later claims. */
  fencingToken: 'taskbbs.io/fencing-token'
} as const

/** Labels and annotations of the run on the pod; the network policy selects this run's pod only. */
export function stampRun (objects: TaskObjects, task: ExecutorTask): void {
  if (task.runId === undefined) return
  const meta = objects.pod.metadata!
  meta.labels = { ...meta.labels, [RUN_LABEL]: labelValue(task.runId) }
  meta.annotations = { ...meta.annotations, [RUN_ANNOTATIONS.runId]: task.runId }
  if (task.fencingToken !== undefined) meta.annotations[RUN_ANNOTATIONS.fencingToken] = task.fencingToken
  const selector = objects.policy?.spec?.podSelector
  if (selector) selector.matchLabels = { ...selector.matchLabels, [RUN_LABEL]: labelValue(task.runId) }
}

/** The run a task pod belongs to; a pod made before runs had ids has run id "" (see liveRuns). */
export function runOf (pod: V1Pod): RunRef | undefined {
  const guid = pod.metadata?.annotations?.[ANNOTATIONS.guid]
  if (guid === undefined) return undefined
  return { guid, runId: pod.metadata?.annotations?.[RUN_ANNOTATIONS.runId] ?? '' }
}

export function isRunOf (pod: V1Pod, guid: string, runId: string | undefined): boolean {
  const run = runOf(pod)
  return run !== undefined && run.guid === guid && (runId === undefined || run.runId === runId)
}

/** The label selector of one task's pods (all runs); the annotations decide which run. */
export const guidSelector = (guid: string) => `${LABELS.guid}=${labelValue(guid)}`
