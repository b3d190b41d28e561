/**
 * Every Kubernetes API permission the executor uses, and what for. The Role
 * in deploy/role.yaml grants exactly these (test/executors/kubernetes/
 * deploy.test.ts compares the two and runs tasks under that Role).
 *
 * - pods create: one per task; get: adopt an existing pod (AlreadyExists)
 *   and confirm a pod the watch lacks; list, watch: the informer; patch:
 *   lift the setup scheduling gate; delete: cancel and cleanup.
 * - pods/log get: the task's output, followed while its pod runs (follow is
 *   a get), and the rest with the result frame when it ends.
 * - secrets create, delete: the per-task image pull secret.
 * - networkpolicies create, delete: the per-task egress policy.
 * Owner references from the secret and policy to the pod need no extra
 * permission, because blockOwnerDeletion is not set.
 */
export const RBAC_RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'delete'] }
] as const
