import { type Action, actionKind, childActions } from '../../domain/action.ts'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'

/**
 * What the operator lets tasks ask of the cluster through the `kubernetes`
 * block (TASKBBS_K8S_ALLOWED_TOLERATIONS, _ALLOWED_NODE_LABELS,
 * _ALLOW_ROOT_IDS, _ALLOW_POD_AFFINITY). A task is a tenant's code: left
 * alone it could tolerate the control plane's taints, pin itself next to
 * another tenant's pods, or run as uid 0 on the node. Each setting opens one
 * of those; none is open by default.
 */
export interface TaskPolicy {
  /** Taint keys tasks may tolerate; '*' any, including a toleration without a key. */
  tolerationKeys: readonly string[]
  /** Node label keys tasks may select on (node_selector, node affinity); '*' any. */
  nodeLabelKeys: readonly string[]
  /** uid or gid 0 in run_as_user, run_as_group, fs_group, or a numeric action user. */
  allowRootIds: boolean
  /** podAffinity and podAntiAffinity. */
  allowPodAffinity: boolean
}

export const STRICT_POLICY: TaskPolicy = { tolerationKeys: [], nodeLabelKeys: [], allowRootIds: false, allowPodAffinity: false }

export function listSetting (value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(Boolean)
}

const allows = (list: readonly string[], key: string) => list.includes('*') || list.includes(key)
const allowedText = (list: readonly string[]) => list.length ? `this server allows only ${list.join(', ')}` : 'this server allows none'

interface Requirement { key: string, operator: string, values?: string[] }

/** Kubernetes' own rules for a node selector requirement, checked here so that a bad one is a 422, not a pod the API server refuses. */
function requirementErrors (r: Requirement, field: string, keys: readonly string[]): FieldError[] {
  const errors: FieldError[] = []
  if (!allows(keys, r.key)) errors.push({ field: `${field}.key`, message: `tasks may not select nodes by ${r.key}: ${allowedText(keys)}` })
  const n = r.values?.length ?? 0
  if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) errors.push({ field: `${field}.values`, message: `${r.operator} needs at least one value` })
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) errors.push({ field: `${field}.values`, message: `${r.operator} takes no values` })
  if ((r.operator === 'Gt' || r.operator === 'Lt') && (n !== 1 || !/^-?\d{1,18}$/.test(r.values![0]))) errors.push({ field: `${field}.values`, message: `${r.operator} takes exactly one integer value` })
  return errors
}

interface Term { matchExpressions?: Requirement[], matchFields?: Requirement[] }

function termErrors (term: Term, field: string, keys: readonly string[]): FieldError[] {
  return [
    ...(term.matchExpressions ?? []).flatMap((r, i) => requirementErrors(r, `${field}.matchExpressions[${i}]`, keys)),
    ...(term.matchFields ?? []).flatMap((r, i) => requirementErrors(r, `${field}.matchFields[${i}]`, keys))
  ]
}

/** Every `user` in the action tree with its field, for the uid 0 check. */
function actionUsers (action: Action, field: string, out: Array<[string, string]>): Array<[string, string]> {
  const kind = actionKind(action)
  const body = (action as Record<string, { user?: string }>)[kind]
  if (typeof body.user === 'string') out.push([`${field}.${kind}.user`, body.user])
  const children = childActions(action)
  const many = Array.isArray((body as { actions?: unknown }).actions)
  children.forEach((child, i) => actionUsers(child, many ? `${field}.${kind}.actions[${i}]` : `${field}.${kind}.action`, out))
  return out
}

/** Desire-time check of the `kubernetes` block (and numeric users) against the operator's policy, each refusal naming its field. */
export function policyErrors (def: TaskDefinition, p: TaskPolicy): FieldError[] {
  const errors: FieldError[] = []
  const k = def.kubernetes
  k?.tolerations?.forEach((t, i) => {
    const field = `kubernetes.tolerations[${i}]`
    if (t.key === undefined || t.key === '') {
      if (!p.tolerationKeys.includes('*')) errors.push({ field, message: 'a toleration without a key tolerates every taint, the control plane\'s and other tenants\' dedicated nodes included; name the taint key' })
      else if (t.operator !== 'Exists') errors.push({ field: `${field}.operator`, message: 'a toleration without a key needs operator Exists' })
    } else if (!allows(p.tolerationKeys, t.key)) {
      errors.push({ field: `${field}.key`, message: `tasks may not tolerate taint ${t.key}: ${allowedText(p.tolerationKeys)}` })
    }
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') errors.push({ field: `${field}.value`, message: 'operator Exists takes no value' })
    if (t.toleration_seconds !== undefined && t.effect !== 'NoExecute') errors.push({ field: `${field}.toleration_seconds`, message: 'toleration_seconds applies only to effect NoExecute' })
  })
  k?.node_selector?.forEach((n, i) => {
    if (!allows(p.nodeLabelKeys, n.key)) errors.push({ field: `kubernetes.node_selector[${i}].key`, message: `tasks may not select nodes by ${n.key}: ${allowedText(p.nodeLabelKeys)}` })
  })
  const node = k?.affinity?.nodeAffinity
  node?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.forEach((term, i) => {
    errors.push(...termErrors(term, `kubernetes.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`, p.nodeLabelKeys))
  })
  node?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((pref, i) => {
    errors.push(...termErrors(pref.preference, `kubernetes.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`, p.nodeLabelKeys))
  })
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    if (k?.affinity?.[kind] !== undefined && !p.allowPodAffinity) {
      errors.push({ field: `kubernetes.affinity.${kind}`, message: 'this server does not accept pod affinity or anti-affinity: placing a task by the pods around it would tell it where other tasks run' })
    }
  }
  if (!p.allowRootIds) {
    const root = 'uid and gid 0 are root on the node\'s kernel; this server does not run tasks with them'
    for (const name of ['run_as_user', 'run_as_group', 'fs_group'] as const) {
      if (k?.[name] === 0) errors.push({ field: `kubernetes.${name}`, message: root })
    }
    // A numeric user becomes the container's runAsUser (a name is looked up in the image).
    for (const [field, user] of actionUsers(def.action, 'action', [])) {
      if (/^\d+$/.test(user) && Number(user) === 0) errors.push({ field, message: root })
    }
  }
  return errors
}
