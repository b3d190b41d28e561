import type { V1NetworkPolicy, V1Pod, V1PodSpec, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node'
import { posix } from 'node:path'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import type { ExecutorTask } from '../executor.ts'
import { installContainer, taskContainer } from './containers.ts'
import { dockerConfigJson, imageFor } from './image.ts'
import { ANNOTATIONS, LABELS, MANAGED_BY, MANAGED_BY_LABEL, RUNNER_VOLUME, SETUP_GATE, SPEC_DIR, SPEC_FILE, SPEC_VOLUME, labelValue, podName } from './names.ts'
import { type ArtifactEgress, type IcmpEgress, droppedEgressRules, egressErrors, networkPolicyFor } from './network-policy.ts'
import { placementRequirement, withNodeRequirement } from './placement.ts'
import { runnerSpecText } from './runner-spec.ts'
import { grantErrors } from './grants.ts'
import { STRICT_POLICY, type TaskPolicy, policyErrors } from './policy.ts'
import { NO_GRANTS, type ObjectGrants } from '../../config/k8s-grants.ts'

/** What the operator configures about task pods (TASKBBS_K8S_* and TASKBBS_ALLOW_PRIVILEGED). */
export interface PodSettings {
  namespace: string
  preloadedImages: Readonly<Record<string, string>>
  cpuMillisPerWeight: number
  /** The taskbbs image, which carries the runner (runner/PROTOCOL.md). */
  runnerImage: string
  /** ConfigMap mounted at trusted_system_certificates_path; empty: none. */
  trustedCertsConfigMap: string
  icmpEgress: IcmpEgress
  /** Destinations every task may reach for its downloads and uploads (TASKBBS_K8S_ARTIFACT_EGRESS). */
  artifactEgress: readonly ArtifactEgress[]
  allowPrivileged: boolean
  /** Secrets and claims each domain may name (grants.ts); absent: none. */
  grants?: ObjectGrants
  /** What the kubernetes block may ask for (policy.ts); absent: STRICT_POLICY, which allows none of it. */
  policy?: TaskPolicy
}

/** Everything one task needs created, and lines for the task log about what was left out. */
export interface TaskObjects {
  pod: V1Pod
  secret?: V1Secret
  policy?: V1NetworkPolicy
  notes: string[]
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
// Kubernetes accepts any printable ASCII but "=" in an env var name (RelaxedEnvironmentVariableValidation, GA in 1.34).
const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/
/** The API server's bound on all annotations of an object together, keys and values (apimachinery TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024
/** The runner's directories: a volume there would hide the runner or its spec. */
const RUNNER_ROOT = posix.dirname(SPEC_DIR)

interface Mount { mount: V1VolumeMount, field: string }

/** Container paths are absolute; Diego's relative ones are taken from the container root. */
export function containerPath (path: string): string {
  return posix.resolve('/', path)
}

function mounts (def: TaskDefinition, s: PodSettings): { list: Mount[], volumes: V1Volume[], errors: FieldError[] } {
  const list: Mount[] = []
  const volumes: V1Volume[] = []
  const errors: FieldError[] = []
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
    const path = m.mount.mountPath
    if (path === RUNNER_ROOT || path.startsWith(`${RUNNER_ROOT}/`)) {
      errors.push({ field: m.field, message: `${RUNNER_ROOT} holds the task runner; mount the volume elsewhere` })
      continue
    }
    const other = seen.get(path)
    if (other) errors.push({ field: m.field, message: `${path} is also the mount point of ${other}; a container path can hold one volume` })
    else seen.set(path, m.field)
  }
  return { list, volumes, errors }
}

export const METRIC_TAG_LABEL_PREFIX = 'metric-tag.taskbbs.io/'
const METRIC_TAG_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/

/** Labels and annotations of the task's objects; the runner spec is an annotation too. */
function metadataOf (task: Pick<ExecutorTask, 'guid' | 'domain' | 'definition'>) {
  const def = task.definition
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
  annotations[ANNOTATIONS.runnerSpec] = runnerSpecText(task.guid, def)
  return { labels, annotations }
}

/** As the API server counts them: bytes of every key and value. */
export function annotationBytes (annotations: Record<string, string>): number {
  let n = 0
  for (const [k, v] of Object.entries(annotations)) n += Buffer.byteLength(k) + Buffer.byteLength(v)
  return n
}

/**
 * Desire-time check: the parts of a definition Kubernetes itself would
 * refuse or cannot express, each naming its field. Every action runs (the
 * runner executes the whole tree); what is left is the pod object's limits.
 */
export function unsupportedParts (def: TaskDefinition, s: PodSettings): FieldError[] {
  const errors: FieldError[] = []
  const image = imageFor(def.root_fs, s.preloadedImages)
  if ('error' in image) errors.push({ field: 'root_fs', message: image.error })
  errors.push(...egressErrors(def.egress_rules, s.icmpEgress))
  errors.push(...mounts(def, s).errors)
  errors.push(...grantErrors(def, s.grants ?? NO_GRANTS), ...policyErrors(def, s.policy ?? STRICT_POLICY))
  def.env?.forEach((v, i) => {
    if (!ENV_NAME.test(v.name)) errors.push({ field: `env[${i}].name`, message: 'Kubernetes accepts only printable ASCII characters but "=" in an environment variable name' })
  })
  const bytes = annotationBytes(metadataOf({ guid: def.guid, domain: def.domain, definition: def }).annotations)
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    errors.push({ field: 'action', message: `the action tree is too large for Kubernetes: the pod carries it as an annotation, and a pod's annotations may hold ${ANNOTATIONS_MAX_BYTES} bytes (this task needs ${bytes})` })
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

/** The pod, image pull secret and network policy of a task, before creation (no owner references yet). */
export function taskObjects (task: ExecutorTask, s: PodSettings): TaskObjects {
  const def = task.definition
  const errors = unsupportedParts(def, s)
  if (def.privileged && !s.allowPrivileged) errors.push({ field: 'privileged', message: 'this server does not run privileged tasks' })
  if (errors.length) throw new UnsupportedTaskError(errors)
  const image = (imageFor(def.root_fs, s.preloadedImages) as { image: string }).image
  const name = podName(task.guid, task.runId)
  const { labels, annotations } = metadataOf(task)
  const notes: string[] = []

  const m = mounts(def, s)
  const container = taskContainer(task.guid, def, { image, runnerImage: s.runnerImage, cpuMillisPerWeight: s.cpuMillisPerWeight, allowPrivileged: s.allowPrivileged, mounts: m.list.map(x => x.mount) })
  const k = def.kubernetes
  const spec: V1PodSpec = {
    restartPolicy: 'Never',
    // A task is not a client of the Kubernetes API, and service links would
    // add an env var per service in the namespace that Diego never sets.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    initContainers: [installContainer(s.runnerImage)],
    containers: [container],
    volumes: [
      { name: RUNNER_VOLUME, emptyDir: {} },
      // The spec as a file: the runner reads it at start. The kubelet writes
      // the projection before the containers start.
      { name: SPEC_VOLUME, downwardAPI: { items: [{ path: SPEC_FILE, fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.runnerSpec}']` } }] } },
      ...m.volumes
    ],
    affinity: withNodeRequirement(k?.affinity as V1PodSpec['affinity'], placementRequirement(def.placement_tags))
  }
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
  const policy = networkPolicyFor({ name, namespace: s.namespace, labels, podSelector: { [LABELS.guid]: labels[LABELS.guid], [MANAGED_BY_LABEL]: MANAGED_BY } }, def.egress_rules, s.artifactEgress)
  const dropped = droppedEgressRules(def.egress_rules)
  if (dropped.length) notes.push(`egress_rules ${dropped.map(i => `[${i}]`).join(', ')} (icmp) cannot be expressed in a Kubernetes NetworkPolicy and were not applied`)
  if (def.trusted_system_certificates_path && !s.trustedCertsConfigMap) notes.push('no trusted system certificates are configured on this server; trusted_system_certificates_path was left alone')
  if (secret || policy) spec.schedulingGates = [{ name: SETUP_GATE }]

  const pod: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: s.namespace, labels, annotations }, spec }
  return { pod, secret, policy, notes }
}
