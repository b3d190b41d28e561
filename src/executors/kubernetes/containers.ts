import type { V1Container, V1EnvVar, V1ResourceRequirements, V1VolumeMount } from '@kubernetes/client-node'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import { FETCH_ROOT, FETCH_SCRIPT, FETCH_VOLUME, fetchEnv } from './fetch-script.ts'
import { type Step, containerPath } from './plan.ts'

/**
 * One plan step → one container.
 *
 * Limits (Diego → Kubernetes):
 * - memory_mb → limits.memory, disk_mb → limits.ephemeral-storage; with only
 *   a limit set, Kubernetes requests the same amount, so the scheduler
 *   reserves it as Diego's auctioneer does. 0 means no limit, as in Diego.
 * - cpu_weight → requests.cpu of weight × TASKBBS_K8S_CPU_MILLIS_PER_WEIGHT
 *   millicores and no cpu limit: Diego's weight is a relative share (CFS
 *   shares), which a request is too; a limit would be a cap Diego never sets.
 * - kubernetes.resources.{limits,requests} are applied on top and win, so a
 *   task can ask for nvidia.com/gpu or set its own cpu.
 * - max_pids has no per-pod setting (the pid limit is the kubelet's
 *   --pod-max-pids); resource_limits.nofile has no Kubernetes field. Both
 *   are ignored.
 * Every run container gets the task's limits: init containers run one at a
 * time, so the pod's effective request stays that of one container; parallel
 * containers each get them (Diego has one container for all its processes).
 * Fetch containers get none; like Diego's downloads they are not the task.
 */

export interface ContainerSettings {
  image: string
  fetcherImage: string
  cpuMillisPerWeight: number
  allowPrivileged: boolean
  /** Mounts every run container gets: fetch destinations, volume_mounts, certificates. */
  mounts: V1VolumeMount[]
  /** Only the main containers carry it (Diego reads result_file after the action). */
  resultPath?: string
}

export function runResources (def: TaskDefinition, cpuMillisPerWeight: number): V1ResourceRequirements | undefined {
  const limits: Record<string, string> = {}
  const requests: Record<string, string> = {}
  if (def.memory_mb) limits.memory = `${def.memory_mb}Mi`
  if (def.disk_mb) limits['ephemeral-storage'] = `${def.disk_mb}Mi`
  if (def.cpu_weight && cpuMillisPerWeight > 0) requests.cpu = `${def.cpu_weight * cpuMillisPerWeight}m`
  Object.assign(limits, def.kubernetes?.resources?.limits)
  Object.assign(requests, def.kubernetes?.resources?.requests)
  const out: V1ResourceRequirements = {}
  if (Object.keys(limits).length) out.limits = limits
  if (Object.keys(requests).length) out.requests = requests
  return out.limits || out.requests ? out : undefined
}

/** The task env, then the action's, later names winning (as the local executor merges them). */
function environment (guid: string, def: TaskDefinition, actionEnv: Array<{ name: string, value: string }>): V1EnvVar[] {
  const env = new Map<string, string>([['TASKBBS_TASK_GUID', guid]])
  for (const v of [...def.env ?? [], ...actionEnv]) {
    env.delete(v.name)
    env.set(v.name, v.value)
  }
  return [...env].map(([name, value]) => ({ name, value }))
}

export function stepContainer (guid: string, def: TaskDefinition, step: Step, s: ContainerSettings): V1Container {
  if (step.fetch) {
    return {
      name: step.container,
      image: s.fetcherImage,
      command: ['/bin/sh', '-c', FETCH_SCRIPT],
      env: fetchEnv(step.fetch),
      volumeMounts: [{ name: FETCH_VOLUME, mountPath: FETCH_ROOT }]
    }
  }
  const run = step.run!
  const c: V1Container = {
    name: step.container,
    image: s.image,
    command: [run.path],
    env: environment(guid, def, run.env)
  }
  if (run.args.length) c.args = run.args
  if (run.dir) c.workingDir = containerPath(run.dir)
  const resources = runResources(def, s.cpuMillisPerWeight)
  if (resources) c.resources = resources
  const secrets = def.kubernetes?.secrets ?? []
  if (secrets.length) c.envFrom = secrets.map(name => ({ secretRef: { name } }))
  if (s.mounts.length) c.volumeMounts = s.mounts
  // Diego's `user` is a name in the rootfs's /etc/passwd, which Kubernetes
  // cannot look up; a numeric user is a uid. Names run as the image's user
  // (or kubernetes.run_as_user).
  const securityContext: V1Container['securityContext'] = {}
  if (/^\d+$/.test(run.user)) securityContext.runAsUser = Number(run.user)
  if (def.privileged && s.allowPrivileged) securityContext.privileged = true
  if (Object.keys(securityContext).length) c.securityContext = securityContext
  if (step.phase === 'main' && s.resultPath) {
    c.terminationMessagePath = s.resultPath
    c.terminationMessagePolicy = 'File'
  }
  return c
}
