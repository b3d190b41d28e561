import { type CoreV1Api, type NetworkingV1Api, PatchStrategy, type V1Pod, setHeaderOptions } from '@kubernetes/client-node'
import { setTimeout as sleep } from 'node:timers/promises'
import { ExecutorRejection } from '../executor.ts'
import { apiFailure, isAlreadyExists, isNotFound } from './api-errors.ts'
import { ANNOTATIONS, SETUP_GATE } from './names.ts'
import type { TaskObjects } from './pod.ts'

export interface Api {
  core: CoreV1Api
  networking: NetworkingV1Api
  namespace: string
  retry<T> (op: () => Promise<T>): Promise<T>
}

const TERMINATING_WAIT_MS = 500
const TERMINATING_ATTEMPTS = 20

/**
 * Creates a task's objects, idempotently: pod (behind the setup gate when it
 * has a secret or a policy), then the secret and the policy owned by the pod,
 * then lifts the gate. Every step tolerates finding its work done, so a
 * second replica starting the same task, or a retry after a crash halfway,
 * ends with the same objects.
 */
export async function createTaskObjects (api: Api, objects: TaskObjects, guid: string): Promise<V1Pod> {
  const pod = await createPod(api, objects.pod, guid)
  const owner = [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata!.name!, uid: pod.metadata!.uid! }]
  if (objects.secret) {
    const body = { ...objects.secret, metadata: { ...objects.secret.metadata, ownerReferences: owner } }
    await ensure(api, () => api.core.createNamespacedSecret({ namespace: api.namespace, body }))
  }
  if (objects.policy) {
    const body = { ...objects.policy, metadata: { ...objects.policy.metadata, ownerReferences: owner } }
    await ensure(api, () => api.networking.createNamespacedNetworkPolicy({ namespace: api.namespace, body }))
  }
  if (pod.spec?.schedulingGates?.some(g => g.name === SETUP_GATE)) return await ungate(api, pod)
  return pod
}

/**
 * Creates the pod, or adopts the one that exists under its name: another
 * replica started the same task, or an earlier try of ours got through
 * before a retry. A pod of an earlier run of the task that is still being
 * deleted is waited for, then the task is handed back.
 */
async function createPod (api: Api, body: V1Pod, guid: string): Promise<V1Pod> {
  const name = body.metadata!.name!
  const namespace = api.namespace
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.retry(() => api.core.createNamespacedPod({ namespace, body }))
    } catch (err) {
      if (!isAlreadyExists(err)) throw err
    }
    let existing: V1Pod
    try {
      existing = await api.retry(() => api.core.readNamespacedPod({ name, namespace }))
    } catch (err) {
      if (isNotFound(err)) continue
      throw err
    }
    const owner = existing.metadata?.annotations?.[ANNOTATIONS.guid]
    if (owner !== guid) throw new Error(`pod ${name} already exists for ${owner ? `task ${owner}` : 'something else'}`)
    if (!existing.metadata?.deletionTimestamp) return existing
    if (attempt >= TERMINATING_ATTEMPTS) throw new ExecutorRejection(`pod ${name} of an earlier run of this task is still terminating`)
    await sleep(TERMINATING_WAIT_MS)
  }
}

async function ensure (api: Api, create: () => Promise<unknown>): Promise<void> {
  try {
    await api.retry(create)
  } catch (err) {
    if (!isAlreadyExists(err)) throw err
  }
}

/** Lifts the setup gate; the scheduler may place the pod from now on. */
async function ungate (api: Api, pod: V1Pod): Promise<V1Pod> {
  const name = pod.metadata!.name!
  const namespace = api.namespace
  const gates = (pod.spec?.schedulingGates ?? []).filter(g => g.name !== SETUP_GATE)
  try {
    return await api.retry(() => api.core.patchNamespacedPod(
      { name, namespace, body: [{ op: 'test', path: '/metadata/uid', value: pod.metadata!.uid }, { op: 'replace', path: '/spec/schedulingGates', value: gates }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)
    ))
  } catch (err) {
    // Another replica adopting the same pod may have lifted it first.
    if (apiFailure(err).status !== 422) throw err
    const now = await api.retry(() => api.core.readNamespacedPod({ name, namespace }))
    if (now.spec?.schedulingGates?.some(g => g.name === SETUP_GATE)) throw err
    return now
  }
}
