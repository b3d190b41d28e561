import type { CoreV1Api, V1Pod } from '@kubernetes/client-node'
import { TASK_POD_SELECTOR } from './names.ts'
import { guidSelector, isRunOf } from './run-identity.ts'

export interface PodFinder {
  core: CoreV1Api
  namespace: string
  /** The informer's cache of task pods. */
  cached (): readonly V1Pod[]
  retry<T> (op: () => Promise<T>): Promise<T>
}

/**
 * The pod of one run of a task, found by its labels and annotations: in the
 * watch cache first, else by a list from the API server (the cache may lag
 * behind a pod created just before its replica stopped). A pod being deleted
 * counts only when there is no other. Undefined: the run has no pod, so its
 * work is gone.
 */
export async function findRunPod (finder: PodFinder, guid: string, runId: string | undefined): Promise<V1Pod | undefined> {
  const pick = (pods: readonly V1Pod[]) => {
    const mine = pods.filter(p => isRunOf(p, guid, runId))
    return mine.find(p => !p.metadata?.deletionTimestamp) ?? mine[0]
  }
  const cached = pick(finder.cached())
  if (cached) return cached
  const { items } = await finder.retry(() => finder.core.listNamespacedPod({ namespace: finder.namespace, labelSelector: `${TASK_POD_SELECTOR},${guidSelector(guid)}` }))
  return pick(items)
}
