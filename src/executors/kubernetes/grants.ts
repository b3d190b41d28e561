import { type ObjectGrants, isGranted } from '../../config/k8s-grants.ts'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'

/**
 * The objects of the task namespace a task names are the operator's to
 * hand out, per domain (TASKBBS_K8S_GRANTS): every Secret in
 * `kubernetes.secrets` (it becomes the pod's environment) and every claim in
 * `volume_mounts[].shared.volume_id` must be granted to the task's domain or
 * to "*". Checked at desire time (422) and again just before the pod is made,
 * so a grant withdrawn while a task waited stops it before it runs.
 *
 * The message is the same whether the object exists or not: a tenant must
 * not learn the names of another tenant's Secrets by trying them.
 */
const CLAIM_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

export function grantErrors (def: TaskDefinition, grants: ObjectGrants): FieldError[] {
  const errors: FieldError[] = []
  const domain = JSON.stringify(def.domain)
  def.kubernetes?.secrets?.forEach((name, i) => {
    if (!isGranted(grants, def.domain, 'secrets', name)) {
      errors.push({ field: `kubernetes.secrets[${i}]`, message: `Secret ${JSON.stringify(name)} is not granted to domain ${domain}` })
    }
  })
  def.volume_mounts?.forEach((v, i) => {
    // A volume_id that cannot name a claim at all is refused by the pod mapping already.
    if (!CLAIM_NAME.test(v.shared.volume_id)) return
    if (!isGranted(grants, def.domain, 'volume_claims', v.shared.volume_id)) {
      errors.push({ field: `volume_mounts[${i}].shared.volume_id`, message: `volume claim ${JSON.stringify(v.shared.volume_id)} is not granted to domain ${domain}` })
    }
  })
  return errors
}
