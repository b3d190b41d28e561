/**
 * Operator policy for the `kubernetes` block: what a task may ask of the
 * cluster beyond its own pod. Each refusal names its field; each setting
 * opens exactly one thing. The same check runs at desire time (422) and
 * before a pod is made (tenancy.test.ts shows both on a real cluster).
 */
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { STRICT_POLICY, type TaskPolicy, listSetting, policyErrors } from '../../../src/executors/kubernetes/policy.ts'
import { loadConfig } from '../../../src/config/load.ts'

const def = (kubernetes: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ guid: 'g', domain: 'a', root_fs: 'docker:///busybox', action: { run: { path: 'true', user: 'root' } }, kubernetes, ...extra }) as TaskDefinition
const fields = (kubernetes: Record<string, unknown>, p: Partial<TaskPolicy> = {}, extra: Record<string, unknown> = {}) =>
  policyErrors(def(kubernetes, extra), { ...STRICT_POLICY, ...p }).map(e => e.field)

t.test('the defaults open nothing: no tolerations, no root ids, no pod affinity; node labels only the well-known ones', async t => {
  const c = loadConfig({})
  t.same(listSetting(c.TASKBBS_K8S_ALLOWED_TOLERATIONS), [])
  t.equal(c.TASKBBS_K8S_ALLOW_ROOT_IDS, false)
  t.equal(c.TASKBBS_K8S_ALLOW_POD_AFFINITY, false)
  t.same(listSetting(c.TASKBBS_K8S_ALLOWED_NODE_LABELS), ['kubernetes.io/os', 'kubernetes.io/arch', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'node.kubernetes.io/instance-type'])
  t.same(c.TASKBBS_K8S_GRANTS, '', 'nothing granted')
})

t.test('a blanket toleration (no key, operator Exists) is refused unless "*" is allowed', async t => {
  const blanket = { tolerations: [{ operator: 'Exists' }] }
  const errors = policyErrors(def(blanket), STRICT_POLICY)
  t.match(errors, [{ field: 'kubernetes.tolerations[0]', message: /without a key tolerates every taint/ }])
  t.same(fields(blanket, { tolerationKeys: ['gpu'] }), ['kubernetes.tolerations[0]'], 'allowing some keys does not allow all')
  t.same(fields(blanket, { tolerationKeys: ['*'] }), [])
  t.same(fields({ tolerations: [{ operator: 'Equal', value: 'x' }] }, { tolerationKeys: ['*'] }), ['kubernetes.tolerations[0].operator'], 'Kubernetes needs Exists without a key')
})

t.test('a toleration is allowed only for a listed taint key', async t => {
  const gpu = { tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }
  t.match(policyErrors(def(gpu), { ...STRICT_POLICY, tolerationKeys: ['gpu'] }), [{ field: 'kubernetes.tolerations[1].key', message: /may not tolerate taint node-role.kubernetes.io\/control-plane: this server allows only gpu/ }])
  t.same(fields(gpu, { tolerationKeys: ['gpu', 'node-role.kubernetes.io/control-plane'] }), [])
  t.same(fields({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'x', effect: 'NoSchedule', toleration_seconds: 5 }] }, { tolerationKeys: ['gpu'] }), ['kubernetes.tolerations[0].toleration_seconds'], 'toleration_seconds only with NoExecute')
})

t.test('node selector keys and node affinity keys must be allowed node labels', async t => {
  const p = { nodeLabelKeys: ['kubernetes.io/os'] }
  t.same(fields({ node_selector: [{ key: 'kubernetes.io/os', value: 'linux' }, { key: 'tenant', value: 'b' }] }, p), ['kubernetes.node_selector[1].key'])
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'tenant', operator: 'In', values: ['b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'tenant', operator: 'Exists' }] } }]
    }
  }
  t.same(fields({ affinity }, p), [
    'kubernetes.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key',
    'kubernetes.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].key',
    'kubernetes.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key'
  ])
  t.same(fields({ affinity }, { nodeLabelKeys: ['*'] }), [], '"*" allows every key')
})

t.test('node affinity operators get the values Kubernetes requires', async t => {
  const req = (operator: string, values?: string[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator, values }] }] } } } })
  const at = 'kubernetes.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values'
  const p = { nodeLabelKeys: ['*'] }
  t.same(fields(req('In', []), p), [at])
  t.same(fields(req('Exists', ['x']), p), [at])
  t.same(fields(req('Gt', ['x']), p), [at])
  t.same(fields(req('Gt', ['3']), p), [])
  t.same(fields(req('NotIn', ['a', 'b']), p), [])
})

t.test('pod affinity and anti-affinity are refused unless allowed', async t => {
  const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'taskbbs.io/domain': 'b' } } }
  const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] }, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } }
  t.match(policyErrors(def({ affinity }), STRICT_POLICY), [
    { field: 'kubernetes.affinity.podAffinity', message: /does not accept pod affinity/ },
    { field: 'kubernetes.affinity.podAntiAffinity', message: /does not accept pod affinity/ }
  ])
  t.same(fields({ affinity }, { allowPodAffinity: true }), [])
})

t.test('uid and gid 0 are refused unless allowed, in the kubernetes block and as a numeric action user', async t => {
  t.same(fields({ run_as_user: 0, run_as_group: 0, fs_group: 0 }), ['kubernetes.run_as_user', 'kubernetes.run_as_group', 'kubernetes.fs_group'])
  t.same(fields({ run_as_user: 1000, run_as_group: 1000, fs_group: 2000 }), [])
  const action = { serial: { actions: [{ run: { path: 'a', user: '0' } }, { try: { action: { download: { from: 'https://x.example.com/a', to: '/a', user: '000' } } } }, { run: { path: 'b', user: 'root' } }] } }
  t.same(fields({}, {}, { action }), ['action.serial.actions[0].run.user', 'action.serial.actions[1].try.action.download.user'], 'a user name is the image\'s business; "0" is uid 0')
  t.same(fields({ run_as_user: 0 }, { allowRootIds: true }, { action }), [])
})
