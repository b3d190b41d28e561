import type { V1Container, V1EnvVar, V1ResourceRequirements, V1VolumeMount } from '@kubernetes/client-node'
import type { Action } from '../../domain/action.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import { INSTALL_CONTAINER, RUNNER_DIR, RUNNER_IMAGE_PATH, RUNNER_PATH, RUNNER_VOLUME, SPEC_DIR, SPEC_FILE, SPEC_VOLUME, TASK_CONTAINER } from './names.ts'

/**
 * The pod's two containers (runner/PROTOCOL.md, "The pod"): `install-runner`
 * copies the runner out of the taskbbs image into an emptyDir, and `task`,
 * in the task's image, runs it on the spec the downwardAPI volume projects.
 *
 * Limits (Diego → Kubernetes), all on `task`, the container that does the
 * task's work (its processes, downloads and uploads together, as Diego's
 * one container per task):
 * - memory_mb → limits.memory, disk_mb → limits.ephemeral-storage; with only
 *   a limit set, Kubernetes requests the same amount, so the scheduler
 *   reserves it as Diego's auctioneer does. 0 means no limit, as in Diego.
 * - cpu_weight → requests.cpu of weight × TASKBBS_K8S_CPU_MILLIS_PER_WEIGHT
 *   millicores and no cpu limit: Diego's weight is a relative share (CFS
 *   shares), which a request is too; a limit would be a cap Diego never sets.
 * - kubernetes.resources.{limits,requests} are applied on top and win, so a
 *   task can ask for nvidia.com/gpu or set its own cpu.
 * - max_pids has no per-pod setting (the node's --pod-max-pids): the runner
 *   applies it; resource_limits.nofile likewise, per run action.
 * install-runner gets none: it copies one file, and an init container's
 * request would only raise the pod's effective request if it were larger.
 */

export interface ContainerSettings {
  image: string
  runnerImage: string
  cpuMillisPerWeight: number
  allowPrivileged: boolean
  /** volume_mounts and certificates. */
  mounts: V1VolumeMount[]
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

/** The task env, later names winning. Action-level env is in the spec: the runner sets it per process. */
function environment (guid: string, def: TaskDefinition): V1EnvVar[] {
  const env = new Map<string, string>([['TASKBBS_TASK_GUID', guid]])
  for (const v of def.env ?? []) {
    env.delete(v.name)
    env.set(v.name, v.value)
  }
  return [...env].map(([name, value]) => ({ name, value }))
}

function runUsers (action: Action, out: Set<string>): Set<string> {
  if (action.run) out.add(action.run.user)
  for (const child of [action.timeout?.action, action.emit_progress?.action, action.try?.action, ...action.serial?.actions ?? [], ...action.parallel?.actions ?? [], ...action.codependent?.actions ?? []]) {
    if (child) runUsers(child, out)
  }
  return out
}

/**
 * Diego's `user` is a name in the rootfs's /etc/passwd, which Kubernetes
 * cannot look up; a uid it can. When every run action names the same
 * numeric user, the container runs as that uid; otherwise it runs as the
 * image's user (or kubernetes.run_as_user) and the runner deals with users.
 */
function commonUid (def: TaskDefinition): number | undefined {
  const users = [...runUsers(def.action, new Set())]
  return users.length === 1 && /^\d+$/.test(users[0]) ? Number(users[0]) : undefined
}

export function installContainer (runnerImage: string): V1Container {
  return {
    name: INSTALL_CONTAINER,
    image: runnerImage,
    command: [RUNNER_IMAGE_PATH, 'install', RUNNER_PATH],
    volumeMounts: [{ name: RUNNER_VOLUME, mountPath: RUNNER_DIR }]
  }
}

export function taskContainer (guid: string, def: TaskDefinition, s: ContainerSettings): V1Container {
  const c: V1Container = {
    name: TASK_CONTAINER,
    image: s.image,
    command: [RUNNER_PATH, 'run', '--spec', `${SPEC_DIR}/${SPEC_FILE}`],
    env: environment(guid, def),
    volumeMounts: [
      { name: RUNNER_VOLUME, mountPath: RUNNER_DIR, readOnly: true },
      { name: SPEC_VOLUME, mountPath: SPEC_DIR, readOnly: true },
      ...s.mounts
    ],
    // The outcome is the runner's file, never the log's tail (outcome.ts).
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File'
  }
  const resources = runResources(def, s.cpuMillisPerWeight)
  if (resources) c.resources = resources
  const secrets = def.kubernetes?.secrets ?? []
  if (secrets.length) c.envFrom = secrets.map(name => ({ secretRef: { name } }))
  const securityContext: V1Container['securityContext'] = {}
  const uid = commonUid(def)
  if (uid !== undefined) securityContext.runAsUser = uid
  if (def.privileged && s.allowPrivileged) securityContext.privileged = true
  if (Object.keys(securityContext).length) c.securityContext = securityContext
  return c
}
