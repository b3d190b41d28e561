/**
 * Tenants stay apart on Kubernetes. Through the real API (a write token
 * limited to domain "a") and the real Scheduler, on the test control plane,
 * with the server's Secret in a namespace of its own and two tenants'
 * Secrets and claims in the task namespace: what a task names must be
 * granted to its domain, and what the kubernetes block asks for must be
 * allowed by the operator (here: the defaults). Every refusal is a 422
 * naming the field, or a failure before any pod exists; a pod watch over the
 * task namespace, opened before the first desire, proves no pod was made.
 */
import { Watch, type V1Pod } from '@kubernetes/client-node'
import t, { type Test } from 'tap'
import { Authenticator } from '../../../src/api/auth.ts'
import { loadConfig } from '../../../src/config/load.ts'
import { readTokens } from '../../../src/config/tokens.ts'
import { ANNOTATIONS } from '../../../src/executors/kubernetes/names.ts'
import { tenancyFromConfig } from '../../../src/executors/kubernetes/options.ts'
import { taskDefinition, testApp } from '../../helpers/app.ts'
import { annotate, eventually, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'
import { testScheduler, waitForTask } from '../../helpers/scheduler.ts'

const cluster = await testCluster(t)
const serverNs = await testNamespace(t, cluster, 'srv')
const tasksNs = await testNamespace(t, cluster, 'tenancy')
await cluster.core.createNamespacedSecret({ namespace: serverNs, body: { metadata: { name: 'taskbbs-secrets' }, stringData: { DATABASE_URL: 'postgres://taskbbs:secret@postgres/taskbbs' } } })
for (const name of ['a-secret', 'a-revoked', 'b-secret']) {
  await cluster.core.createNamespacedSecret({ namespace: tasksNs, body: { metadata: { name }, stringData: { KEY: name } } })
}
for (const name of ['a-cache', 'postgres-data']) {
  await cluster.core.createNamespacedPersistentVolumeClaim({ namespace: tasksNs, body: { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } })
}

// The operator's configuration: the defaults, and grants per domain.
const grants = { a: { secrets: ['a-secret'], volume_claims: ['a-cache'] }, b: { secrets: ['b-secret'] } }
const running = tenancyFromConfig(loadConfig({ TASKBBS_K8S_GRANTS: JSON.stringify(grants) }))
// As the grants stood when some tasks were desired: a-revoked was withdrawn since.
const earlier = tenancyFromConfig(loadConfig({ TASKBBS_K8S_GRANTS: JSON.stringify({ ...grants, a: { ...grants.a, secrets: ['a-secret', 'a-revoked'] } }) }))
const executor = testExecutor(t, cluster, tasksNs, running)
const desireTime = testExecutor(t, cluster, tasksNs, earlier)

const TOKEN = 'token-of-tenant-a-writer-1'
const { grants: tokens } = readTokens(JSON.stringify([{ name: 'a-writer', token: TOKEN, domains: ['a'], role: 'write' }]))
let revokedView = false
const h = await testApp(t, {
  auth: new Authenticator(tokens),
  unsupported: def => (revokedView ? desireTime : executor).unsupported(def)
})
await testScheduler(t, h, { executor })

// The guid of every pod ever created in the task namespace, from before the
// first desire (pod names also carry the run, so pods are known by guid).
const created = new Set<string>()
const guidOf = (pod: V1Pod) => pod.metadata?.annotations?.[ANNOTATIONS.guid] ?? ''
const watching = await new Watch(cluster.kc).watch(`/api/v1/namespaces/${tasksNs}/pods`, {}, (type: string, pod: V1Pod) => {
  if (type === 'ADDED') created.add(guidOf(pod))
}, () => {})
t.teardown(() => watching.abort())

const headers = { authorization: `Bearer ${TOKEN}` }
const desire = (def: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/v1/tasks', headers, payload: taskDefinition({ domain: 'a', env: annotate({ 'taskbbs.test/run-forever': 'true' }), ...def }) })

async function refused (t: Test, kubernetes: Record<string, unknown>, field: string, message: RegExp, extra: Record<string, unknown> = {}) {
  const guid = `refused-${Math.random().toString(36).slice(2, 8)}`
  const res = await desire({ guid, kubernetes, ...extra })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { code: 'VALIDATION_FAILED', errors: [{ field, message }] })
  t.equal(res.json().errors.length, 1, 'only that field')
  t.equal((await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}`, headers })).statusCode, 404, 'nothing was stored')
  return guid
}
const refusedGuids: string[] = []

t.test('a tenant naming another tenant\'s Secret is refused with 422 naming the field', async t => {
  refusedGuids.push(await refused(t, { secrets: ['a-secret', 'b-secret'] }, 'kubernetes.secrets[1]', /^Secret "b-secret" is not granted to domain "a"$/))
})

t.test('naming the server\'s Secret is refused the same way (and it is not in the task namespace anyway)', async t => {
  refusedGuids.push(await refused(t, { secrets: ['taskbbs-secrets'] }, 'kubernetes.secrets[0]', /^Secret "taskbbs-secrets" is not granted to domain "a"$/))
})

t.test('a claim not granted to the domain is refused', async t => {
  refusedGuids.push(await refused(t, {}, 'volume_mounts[0].shared.volume_id', /volume claim "postgres-data" is not granted to domain "a"/,
    { volume_mounts: [{ driver: 'nfs', container_dir: '/var/lib/postgresql', mode: 'rw', shared: { volume_id: 'postgres-data' } }] }))
})

t.test('uid 0, a blanket toleration and pod affinity are refused under the default policy', async t => {
  refusedGuids.push(await refused(t, { run_as_user: 0 }, 'kubernetes.run_as_user', /uid and gid 0/))
  refusedGuids.push(await refused(t, { run_as_group: 0 }, 'kubernetes.run_as_group', /uid and gid 0/))
  refusedGuids.push(await refused(t, {}, 'action.run.user', /uid and gid 0/, { action: { run: { path: '/bin/sh', user: '0' } } }))
  refusedGuids.push(await refused(t, { tolerations: [{ operator: 'Exists' }] }, 'kubernetes.tolerations[0]', /tolerates every taint/))
  refusedGuids.push(await refused(t, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }, 'kubernetes.tolerations[0].key', /may not tolerate taint/))
  refusedGuids.push(await refused(t, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'taskbbs.io/domain': 'b' } } }] } } },
    'kubernetes.affinity.podAffinity', /does not accept pod affinity/))
  refusedGuids.push(await refused(t, { node_selector: [{ key: 'tenant', value: 'b' }] }, 'kubernetes.node_selector[0].key', /may not select nodes by tenant/))
  refusedGuids.push(await refused(t, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', namespaces: ['taskbbs'] }] } } },
    'kubernetes.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces', /not a known field/))
})

t.test('a granted Secret and claim reach the pod: envFrom and a persistentVolumeClaim volume', async t => {
  const res = await desire({
    guid: 'granted-1',
    kubernetes: { secrets: ['a-secret'], node_selector: [{ key: 'kubernetes.io/os', value: 'linux' }], run_as_user: 1000 },
    volume_mounts: [{ driver: 'nfs', container_dir: '/cache', mode: 'rw', shared: { volume_id: 'a-cache' } }]
  })
  t.equal(res.statusCode, 201, res.body)
  const pod = await eventually('the pod of granted-1', () => cluster.core.listNamespacedPod({ namespace: tasksNs })
    .then(list => list.items.find(p => guidOf(p) === 'granted-1'), () => undefined))
  t.match(pod.spec!.containers[0].envFrom, [{ secretRef: { name: 'a-secret' } }])
  t.same(pod.spec!.volumes!.filter(v => v.persistentVolumeClaim).map(v => v.persistentVolumeClaim!.claimName), ['a-cache'])
  t.same(pod.spec!.containers.flatMap(c => c.envFrom ?? []).map(e => e.secretRef?.name), ['a-secret'], 'no other Secret')
  t.ok(created.has('granted-1'), 'the pod watch sees pods being made')
  await h.app.inject({ method: 'POST', url: '/v1/tasks/granted-1/cancel', headers })
})

t.test('a grant withdrawn after the desire fails the task before any pod exists, naming the field', async t => {
  revokedView = true
  const res = await desire({ guid: 'revoked-1', kubernetes: { secrets: ['a-revoked'] } })
  revokedView = false
  t.equal(res.statusCode, 201, 'granted when desired')
  const task = await waitForTask(h.pool, 'revoked-1', task => task?.state === 'COMPLETED')
  t.match(task, { failed: true, failure_reason: /^failed to start: .*kubernetes\.secrets\[0\]: Secret "a-revoked" is not granted to domain "a"/ })
  refusedGuids.push('revoked-1')
})

t.test('no refused task ever had a pod', async t => {
  // The cancelled granted task's pod is gone by now or going; the watch saw it made.
  t.ok(created.size >= 1)
  for (const guid of refusedGuids) t.notOk(created.has(guid), `no pod for ${guid}`)
  const pods = await cluster.core.listNamespacedPod({ namespace: tasksNs })
  t.same(pods.items.map(guidOf).filter(g => g !== 'granted-1'), [])
})
