import type { V1NetworkPolicy, V1Pod, V1PodSpec, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import type { ExecutorTask } from '../executor.ts'
import { stepContainer } from './containers.ts'
import { FETCH_VOLUME } from './fetch-script.ts'
import { dockerConfigJson, imageFor } from './image.ts'
import { ANNOTATIONS, LABELS, MANAGED_BY, MANAGED_BY_LABEL, SETUP_GATE, labelValue, podName } from './names.ts'
import { type IcmpEgress, droppedEgressRules, egressErrors, networkPolicyFor } from './network-policy.ts'
import { placementRequirement, withNodeRequirement } from './placement.ts'
import { type ActionPlan, containerPath, planActions } from './plan.ts'

/** What the operator configures about task pods (TASKBBS_K8S_* and TASKBBS_ALLOW_PRIVILEGED). */
export interface PodSettings {
  namespace: string
  preloadedImages: Readonly<Record<string, string>>
  cpuMillisPerWeight: number
  fetcherImage: string
  /** ConfigMap mounted at trusted_system_certificates_path; empty: none. */
  trustedCertsConfigMap: string
  icmpEgress: IcmpEgress
  allowPrivileged: boolean
}

/** Everything one task needs created, and lines for the task log about what was left out. */
export interface TaskObjects {
  pod: V1Pod
  secret?: V1Secret
  policy?: V1NetworkPolicy
  plan: ActionPlan
  notes: string[]
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
// Kubernetes accepts any printable ASCII but "=" in an env var name (RelaxedEnvironmentVariableValidation, GA in 1.34).
const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/

interface Mount { mount: V1VolumeMount, field: string }

function mounts (def: TaskDefinition, plan: ActionPlan, s: PodSettings): { list: Mount[], volumes: V1Volume[], errors: FieldError[] } {
  const list: Mount[] = []
  const volumes: V1Volume[] = []
  const errors: FieldError[] = []
  if (plan.fetchSlots.size) {
    volumes.push({ name: FETCH_VOLUME, emptyDir: {} })
    const fields = new Map(plan.steps.filter(st => st.fetch).map(st => [st.fetch!.slot, st.field]))
    for (const [path, slot] of plan.fetchSlots) list.push({ mount: { name: FETCH_VOLUME, mountPath: path, subPath: slot }, field: fields.get(slot) ?? 'action' })
  }
  def.volume_mounts?.forEach((v, i) => {
    const field = `volume_mounts[${i}]`
    if (!DNS_SUBDOMAIN.test(v.shared.volume_id) || v.shared.volume_id.length > 253) {
      errors.push({ field: `${field}.shared.volume_id`, message: 'must name a PersistentVolumeClaim in the task namespace (lowercase letters, digits, "-" and ".")' })
      return
    }
    const path = containerPath(v.container_dir)
    if (path === '/') {
      errors.push({ field: `${field}.container_dir`, message: 'cannot mount a volume over /' })
      return
    }
    const name = `volume-${i + 1}`
    // Diego's mode "r" → readOnly on both the claim and the mount.
    const ro = v.mode === 'r' ? { readOnly: true } : {}
    volumes.push({ name, persistentVolumeClaim: { claimName: v.shared.volume_id, ...ro } })
    list.push({ mount: { name, mountPath: path, ...ro }, field: `${field}.container_dir` })
  })
  if (def.trusted_system_certificates_path && s.trustedCertsConfigMap) {
    volumes.push({ name: 'trusted-certs', configMap: { name: s.trustedCertsConfigMap } })
    list.push({ mount: { name: 'trusted-certs', mountPath: containerPath(def.trusted_system_certificates_path), readOnly: true }, field: 'trusted_system_certificates_path' })
  }
  const seen = new Map<string, string>()
  for (const m of list) {
    const other = seen.get(m.mount.mountPath)
    if (other) errors.push({ field: m.field, message: `${m.mount.mountPath} is also the mount point of ${other}; a container path can hold one volume` })
    else seen.set(m.mount.mountPath, m.field)
  }
  return { list, volumes, errors }
}

/** Desire-time check: every part of the definition this executor cannot run, each naming its field. */
export function unsupportedParts (def: TaskDefinition, s: PodSettings): FieldError[] {
  const plan = planActions(def)
  const errors = [...plan.errors]
  const image = imageFor(def.root_fs, s.preloadedImages)
  if ('error' in image) errors.push({ field: 'root_fs', message: image.error })
  errors.push(...egressErrors(def.egress_rules, s.icmpEgress))
  errors.push(...mounts(def, plan, s).errors)
  const envNames: Array<[string, string]> = (def.env ?? []).map((v, i) => [`env[${i}].name`, v.name])
  for (const st of plan.steps) st.run?.env.forEach((v, i) => envNames.push([`${st.field}.env[${i}].name`, v.name]))
  for (const [field, name] of envNames) {
    if (!ENV_NAME.test(name)) errors.push({ field, message: 'Kubernetes accepts only printable ASCII characters in an environment variable name' })
  }
  // Files a task expects to read (service binding credentials, typically): refused
  // rather than silently missing from the container.
  if (def.volume_mounted_files?.length) {
    errors.push({ field: 'volume_mounted_files', message: 'the Kubernetes executor does not write volume-mounted files into the container yet' })
  }
  return errors
}

export class UnsupportedTaskError extends Error {
  readonly code = 'TASK_UNSUPPORTED'
  readonly errors: FieldError[]
  constructor (errors: FieldError[]) {
    super(`this task cannot run on Kubernetes: ${errors.map(e => `${e.field}: ${e.message}`).join('; ')}`)
    this.errors = errors
  }
}

export const METRIC_TAG_LABEL_PREFIX = 'metric-tag.taskbbs.io/'
const METRIC_TAG_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/

/** The pod, image pull secret and network policy of a task, before creation (no owner references yet). */
export function taskObjects (task: ExecutorTask, s: PodSettings): TaskObjects {
  const def = task.definition
  const errors = unsupportedParts(def, s)
  if (def.privileged && !s.allowPrivileged) errors.push({ field: 'privileged', message: 'this server does not run privileged tasks' })
  if (errors.length) throw new UnsupportedTaskError(errors)
  const plan = planActions(def)
  const image = (imageFor(def.root_fs, s.preloadedImages) as { image: string }).image
  const name = podName(task.guid)
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY, [LABELS.guid]: labelValue(task.guid), [LABELS.domain]: labelValue(task.domain) }
  if (def.log_guid) labels[LABELS.logGuid] = labelValue(def.log_guid)
  // Diego's metric tags become labels, so that metrics pipelines select pods by them;
  // only static ones (dynamic INDEX/INSTANCE_GUID mean nothing for a one-off task)
  // and only names the label grammar takes.
  for (const [tag, value] of Object.entries(def.metric_tags ?? {})) {
    if (value.static !== undefined && METRIC_TAG_NAME.test(tag)) labels[`${METRIC_TAG_LABEL_PREFIX}${tag}`] = labelValue(value.static)
  }
  const annotations: Record<string, string> = { [ANNOTATIONS.guid]: task.guid, [ANNOTATIONS.domain]: task.domain }
  if (def.log_guid) annotations[ANNOTATIONS.logGuid] = def.log_guid
  if (def.log_source) annotations[ANNOTATIONS.logSource] = def.log_source
  if (def.metrics_guid) annotations[ANNOTATIONS.metricsGuid] = def.metrics_guid
  if (plan.timeoutMs !== undefined) annotations[ANNOTATIONS.timeoutMs] = String(plan.timeoutMs)
  const notes: string[] = []

  const m = mounts(def, plan, s)
  const settings = {
    image,
    fetcherImage: s.fetcherImage,
    cpuMillisPerWeight: s.cpuMillisPerWeight,
    allowPrivileged: s.allowPrivileged,
    mounts: m.list.map(x => x.mount),
    resultPath: def.result_file ? containerPath(def.result_file) : undefined
  }
  const containers = plan.steps.map(step => stepContainer(task.guid, def, step, settings))
  const k = def.kubernetes
  const spec: V1PodSpec = {
    restartPolicy: 'Never',
    // A task is not a client of the Kubernetes API, and service links would
    // add an env var per service in the namespace that Diego never sets.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    containers: containers.filter((_, i) => plan.steps[i].phase === 'main'),
    affinity: withNodeRequirement(k?.affinity as V1PodSpec['affinity'], placementRequirement(def.placement_tags))
  }
  const init = containers.filter((_, i) => plan.steps[i].phase === 'init')
  if (init.length) spec.initContainers = init
  if (m.volumes.length) spec.volumes = m.volumes
  // activeDeadlineSeconds counts from the pod's start, including image pull
  // and init containers, and is whole seconds: a timeout_ms of 1500 allows 2 s.
  if (plan.timeoutMs !== undefined) spec.activeDeadlineSeconds = Math.max(1, Math.ceil(plan.timeoutMs / 1000))
  if (k?.node_selector?.length) spec.nodeSelector = Object.fromEntries(k.node_selector.map(n => [n.key, n.value]))
  if (k?.tolerations?.length) {
    spec.tolerations = k.tolerations.map(t => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect, tolerationSeconds: t.toleration_seconds }))
  }
  const podSecurity: V1PodSpec['securityContext'] = {}
  if (k?.run_as_user !== undefined) podSecurity.runAsUser = k.run_as_user
  if (k?.run_as_group !== undefined) podSecurity.runAsGroup = k.run_as_group
  if (k?.fs_group !== undefined) podSecurity.fsGroup = k.fs_group
  if (Object.keys(podSecurity).length) spec.securityContext = podSecurity

  let secret: V1Secret | undefined
  if (def.image_username !== undefined && def.image_password !== undefined) {
    secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: s.namespace, labels },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': dockerConfigJson(def.root_fs, def.image_username, def.image_password) }
    }
    spec.imagePullSecrets = [{ name }]
  }
  const policy = networkPolicyFor({ name, namespace: s.namespace, labels, podSelector: { [LABELS.guid]: labels[LABELS.guid], [MANAGED_BY_LABEL]: MANAGED_BY } }, def.egress_rules)
  const dropped = droppedEgressRules(def.egress_rules)
  if (dropped.length) notes.push(`egress_rules ${dropped.map(i => `[${i}]`).join(', ')} (icmp) cannot be expressed in a Kubernetes NetworkPolicy and were not applied`)
  if (def.trusted_system_certificates_path && !s.trustedCertsConfigMap) notes.push('no trusted system certificates are configured on this server; trusted_system_certificates_path was left alone')
  if (secret || policy) spec.schedulingGates = [{ name: SETUP_GATE }]

  const pod: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: s.namespace, labels, annotations }, spec }
  return { pod, secret, policy, plan, notes }
}
