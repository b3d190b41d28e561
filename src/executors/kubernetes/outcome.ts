import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node'
import { INSTALL_CONTAINER, TASK_CONTAINER } from './names.ts'
import { type RunnerOutcome, parseOutcome } from './runner-output.ts'

/**
 * What a pod's status says about its task. Pure: the executor feeds every
 * watched version of the pod through it.
 *
 * The runner decides how the task went and writes it as JSON to the task
 * container's termination message (runner/PROTOCOL.md): `ended` carries it,
 * and the executor then reads the result frame from the log. The kubelet
 * keeps at most 4096 bytes of a message (and 12 KiB for all containers of
 * a pod: two here), which the outcome never exceeds: the result itself is
 * not in it, only its length and digest.
 *
 * When there is no outcome the runner did not get to write one: it was
 * killed (OOMKilled: the memory limit covers the runner and the task's
 * processes together), the image cannot run it (no such binary for the
 * image's architecture), or the pod never got that far (an image that cannot
 * be pulled, eviction, the install container failing). The task fails with
 * what the container status says. policy File, never FallbackToLogsOnError:
 * the log is the task's output, and could say anything.
 */
export type Observation =
  | { state: 'pending' }
  | { state: 'unschedulable', since: number, message: string }
  | { state: 'running' }
  | { state: 'ended', outcome: RunnerOutcome }
  | { state: 'failed', reason: string }

// Waiting reasons after which the kubelet will not get the container going
// by itself: a bad image name, a pull that already failed once (Diego fails a
// task whose image cannot be fetched), a config error such as a missing secret.
const STUCK = new Set(['InvalidImageName', 'ErrImageNeverPull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CreateContainerError'])

function statuses (pod: V1Pod): Map<string, V1ContainerStatus> {
  const all = [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []]
  return new Map(all.map(s => [s.name, s]))
}

/** "container task exited with status 137: OOMKilled" */
function exitDescription (name: string, s: V1ContainerStatus): string {
  const t = s.state!.terminated!
  let what = `container ${name} exited with status ${t.exitCode}`
  if (t.reason === 'OOMKilled') what += ': OOMKilled'
  else if (t.reason && t.reason !== 'Error' && t.reason !== 'Completed') what += ` (${t.reason})`
  return what
}

export function observe (pod: V1Pod): Observation {
  const st = statuses(pod)
  const task = st.get(TASK_CONTAINER)
  const install = st.get(INSTALL_CONTAINER)
  const phase = pod.status?.phase
  const terminated = task?.state?.terminated
  // An evicted runner got SIGTERM and says "task was cancelled"; the eviction is the reason.
  if ((phase === 'Failed' || phase === 'Succeeded') && pod.status?.reason === 'Evicted') {
    return { state: 'failed', reason: `pod evicted: ${pod.status.message || 'no reason given'}` }
  }
  if (terminated) {
    const parsed = parseOutcome(terminated.message)
    if (parsed.ok) return { state: 'ended', outcome: parsed.outcome }
    return { state: 'failed', reason: `${parsed.why}: ${exitDescription(TASK_CONTAINER, task)}` }
  }
  if (phase === 'Succeeded' || phase === 'Failed') {
    const reason = pod.status?.reason
    const message = pod.status?.message ?? ''
    if (install?.state?.terminated && install.state.terminated.exitCode !== 0) {
      return { state: 'failed', reason: `the runner could not be installed: ${exitDescription(INSTALL_CONTAINER, install)}` }
    }
    return { state: 'failed', reason: `pod failed before the runner reported${reason ? `: ${reason}` : ''}${message ? `: ${message}` : ''}` }
  }
  for (const [name, s] of st) {
    const w = s.state?.waiting
    if (w?.reason && STUCK.has(w.reason)) {
      return { state: 'failed', reason: `container ${name} cannot start: ${w.reason}${w.message ? `: ${w.message}` : ''}` }
    }
  }
  const scheduled = pod.status?.conditions?.find(c => c.type === 'PodScheduled')
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const since = scheduled.lastTransitionTime ? new Date(scheduled.lastTransitionTime).getTime() : Date.now()
    return { state: 'unschedulable', since, message: scheduled.message ?? 'no node can run the pod' }
  }
  if (task?.state?.running) return { state: 'running' }
  return { state: 'pending' }
}
