import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node'
import { MAX_RESULT_BYTES } from '../../domain/task-definition.ts'
import type { ActionPlan, Step } from './plan.ts'

/**
 * What a pod's status says about its task. Pure: the executor feeds every
 * watched version of the pod through it.
 *
 * The result (Diego: "the first 10 kilobytes of the ResultFile") comes from
 * the termination message: the main containers have terminationMessagePath
 * = result_file and terminationMessagePolicy File, so the kubelet reads that
 * file when the container ends and puts it in the container status. Limits,
 * from the kubelet: a message is cut to 4096 bytes, and all messages of a
 * pod together to 12 KiB, shared equally among its containers (init
 * containers included): a pod of N > 3 containers keeps 12288 / N bytes each.
 * So on Kubernetes the result is at most 4096 bytes, not 10 KB. A missing
 * result_file gives an empty result (the kubelet cannot tell us it was
 * missing), and because the kubelet bind-mounts that path, a task must write
 * the file in place: renaming another file over it fails with EBUSY.
 */
export type Observation =
  | { state: 'pending' }
  | { state: 'unschedulable', since: number, message: string }
  | { state: 'running', started: Set<string>, succeeded: Set<string> }
  | { state: 'succeeded', result: string, succeeded: Set<string> }
  | { state: 'failed', reason: string, started: Set<string>, succeeded: Set<string> }

// Waiting reasons after which the kubelet will not get the container going
// by itself: a bad image name, a pull that already failed once (Diego fails a
// task whose image cannot be fetched), a config error such as a missing secret.
const STUCK = new Set(['InvalidImageName', 'ErrImageNeverPull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CreateContainerError'])

function statuses (pod: V1Pod): Map<string, V1ContainerStatus> {
  const all = [...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []]
  return new Map(all.map(s => [s.name, s]))
}

function firstBytes (text: string, max: number): string {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= max) return text
  // Cut on a character boundary: drop a trailing partial UTF-8 sequence.
  let end = max
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--
  return buf.subarray(0, end).toString('utf8')
}

/** Failure reason of one step, with the emit_progress prefixes around it, innermost first. */
export function stepFailure (plan: ActionPlan, step: Step, what: string): string {
  let reason = `${step.describe}: ${what}`
  for (const id of [...step.progress].reverse()) {
    const prefix = plan.progress.find(p => p.id === id)?.failureMessagePrefix
    if (prefix) reason = `${prefix}: ${reason}`
  }
  return reason
}

function terminatedFailure (step: Step, s: V1ContainerStatus, resultPath: boolean): string | undefined {
  const t = s.state?.terminated
  if (!t || t.exitCode === 0) return undefined
  let what = `container ${step.container} exited with status ${t.exitCode}`
  if (t.reason === 'OOMKilled') what += ': OOMKilled'
  else if (t.reason && t.reason !== 'Error' && t.reason !== 'Completed') what += ` (${t.reason})`
  // A fetch container explains itself in /dev/termination-log; a main
  // container's message is its result_file, which is no reason.
  const message = t.message?.trim()
  if (message && !resultPath) what += `: ${firstBytes(message, 512)}`
  return what
}

export function observe (pod: V1Pod, plan: ActionPlan, opts: { resultPath?: string } = {}): Observation {
  const st = statuses(pod)
  const started = new Set<string>()
  const succeeded = new Set<string>()
  for (const [name, s] of st) {
    if (s.state?.running || s.state?.terminated) started.add(name)
    if (s.state?.terminated?.exitCode === 0) succeeded.add(name)
  }
  const phase = pod.status?.phase
  const withResult = (step: Step) => step.phase === 'main' && opts.resultPath !== undefined

  const resultOf = () => opts.resultPath === undefined ? '' : result(plan, st)
  if (phase === 'Succeeded') return { state: 'succeeded', result: resultOf(), succeeded }
  if (phase === 'Failed') {
    const reason = pod.status?.reason
    const message = pod.status?.message ?? ''
    if (reason === 'DeadlineExceeded') {
      const ms = Number(pod.metadata?.annotations?.['taskbbs.io/timeout-ms']) || (pod.spec?.activeDeadlineSeconds ?? 0) * 1000
      return { state: 'failed', reason: `exceeded ${ms}ms timeout`, started, succeeded }
    }
    if (reason === 'Evicted') return { state: 'failed', reason: `pod evicted: ${message || 'no reason given'}`, started, succeeded }
    const failures: string[] = []
    let ignored = 0
    for (const step of plan.steps) {
      const s = st.get(step.container)
      const what = s && terminatedFailure(step, s, withResult(step))
      if (!what) continue
      if (step.tries.length) ignored++
      else failures.push(stepFailure(plan, step, what))
    }
    // Diego's try: "Runs the inner action and ignores its failure."
    if (failures.length === 0 && ignored > 0) return { state: 'succeeded', result: resultOf(), succeeded }
    if (failures.length) return { state: 'failed', reason: failures.join('; '), started, succeeded }
    return { state: 'failed', reason: `pod failed${reason ? `: ${reason}` : ''}${message ? `: ${message}` : ''}`, started, succeeded }
  }
  for (const step of plan.steps) {
    const w = st.get(step.container)?.state?.waiting
    if (w?.reason && STUCK.has(w.reason)) {
      return { state: 'failed', reason: stepFailure(plan, step, `container ${step.container} cannot start: ${w.reason}${w.message ? `: ${w.message}` : ''}`), started, succeeded }
    }
  }
  const scheduled = pod.status?.conditions?.find(c => c.type === 'PodScheduled')
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const since = scheduled.lastTransitionTime ? new Date(scheduled.lastTransitionTime).getTime() : Date.now()
    return { state: 'unschedulable', since, message: scheduled.message ?? 'no node can run the pod' }
  }
  if (phase === 'Running' || started.size > 0) return { state: 'running', started, succeeded }
  return { state: 'pending' }
}

/** The first non-empty termination message of a main container, cut to Diego's 10 KB. */
function result (plan: ActionPlan, st: Map<string, V1ContainerStatus>): string {
  for (const step of plan.steps) {
    if (step.phase !== 'main' || !step.run) continue
    const message = st.get(step.container)?.state?.terminated?.message
    if (message) return firstBytes(message, MAX_RESULT_BYTES)
  }
  return ''
}
