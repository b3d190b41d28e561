/**
 * deploy/: the manifests parse, fit together, and grant the server exactly
 * the Kubernetes permissions the executor uses, shown by running tasks on
 * the test control plane under nothing but that Role.
 */
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1ConfigMap, type V1Deployment, type V1NetworkPolicy, type V1Role, type V1RoleBinding, type V1Service } from '@kubernetes/client-node'
import { readFile, readdir } from 'node:fs/promises'
import t from 'tap'
import { parse, parseAllDocuments } from 'yaml'
import { loadConfig } from '../../../src/config/load.ts'
import { ConfigSchema } from '../../../src/config/schema.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { RBAC_RULES } from '../../../src/executors/kubernetes/rbac.ts'
import { annotate, recordEvents, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'

// At the top level, before the first test: a cold build of the cluster
// binaries must extend the file's timeout, and tap ends the file once its
// queued tests are done, so a test defined after this await would never run.
const cluster = await testCluster(t)

const DEPLOY = new URL('../../../deploy/', import.meta.url)
const docs: Array<{ kind: string, metadata: { name: string, namespace?: string } } & Record<string, unknown>> = []
const manifests = (await readdir(DEPLOY)).filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort()
for (const file of manifests) {
  for (const doc of parseAllDocuments(await readFile(new URL(file, DEPLOY), 'utf8'))) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map(e => e.message).join('; ')}`)
    const value = doc.toJS()
    if (value) docs.push(value)
  }
}
function one<T> (kind: string): T {
  const found = docs.filter(d => d.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind} in deploy/, found ${found.length}`)
  return found[0] as T
}
const role = one<V1Role>('Role')
const binding = one<V1RoleBinding>('RoleBinding')
const deployment = one<V1Deployment>('Deployment')
const configMap = one<V1ConfigMap>('ConfigMap')
const service = one<V1Service>('Service')
const policy = one<V1NetworkPolicy>('NetworkPolicy')
const normalize = (rules: ReadonlyArray<{ apiGroups?: readonly string[], resources?: readonly string[], verbs: readonly string[] }>) =>
  rules.flatMap(r => (r.apiGroups ?? []).flatMap(g => (r.resources ?? []).flatMap(res => r.verbs.map(v => `${g}/${res}:${v}`)))).sort()

t.test('the Role grants exactly the verbs and resources the executor uses, nothing more', async t => {
  t.same(normalize(role.rules!), normalize(RBAC_RULES))
  t.notOk(docs.some(d => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding'), 'no cluster-wide permission')
})

t.test('kustomization.yaml applies every manifest', async t => {
  const kustomization = parse(await readFile(new URL('kustomization.yaml', DEPLOY), 'utf8'))
  t.same([...kustomization.resources].sort(), manifests)
})

t.test('every object lives in the namespace the executor is configured for', async t => {
  const ns = one<{ metadata: { name: string } }>('Namespace').metadata.name
  t.equal(configMap.data!.TASKBBS_K8S_NAMESPACE, ns)
  for (const d of docs.filter(d => d.kind !== 'Namespace')) t.equal(d.metadata.namespace, ns, `${d.kind} ${d.metadata.name}`)
})

t.test('the RoleBinding gives the Role to the service account the Deployment runs as', async t => {
  t.match(binding.roleRef, { kind: 'Role', name: role.metadata!.name })
  t.match(binding.subjects, [{ kind: 'ServiceAccount', name: deployment.spec!.template.spec!.serviceAccountName }])
  t.equal(one<{ metadata: { name: string } }>('ServiceAccount').metadata.name, deployment.spec!.template.spec!.serviceAccountName)
})

t.test('the Deployment probes /healthz for liveness and /readyz for readiness, reads the ConfigMap, and the Service reaches it', async t => {
  const c = deployment.spec!.template.spec!.containers[0]
  t.match(c.livenessProbe, { httpGet: { path: '/healthz', port: 'http' } })
  t.match(c.readinessProbe, { httpGet: { path: '/readyz', port: 'http' } })
  t.equal(c.ports!.find(p => p.name === 'http')!.containerPort, Number(configMap.data!.TASKBBS_PORT))
  t.match(c.envFrom, [{ configMapRef: { name: configMap.metadata!.name } }, { secretRef: { name: 'taskbbs-secrets' } }])
  t.same(service.spec!.selector, deployment.spec!.selector!.matchLabels)
  t.ok((deployment.spec!.template.spec!.terminationGracePeriodSeconds ?? 30) > Number(configMap.data!.TASKBBS_SHUTDOWN_TIMEOUT), 'the drain fits in the grace period')
})

t.test('the ConfigMap holds only known variables, and the server accepts them', async t => {
  const known = new Set(Object.keys(ConfigSchema.properties))
  for (const key of Object.keys(configMap.data!)) t.ok(known.has(key), `${key} is a configuration variable`)
  const config = loadConfig({ ...configMap.data, TASKBBS_TOKENS: JSON.stringify([{ name: 'ci', token: 'a-test-token-of-some-length', domains: '*', role: 'admin' }]) })
  t.equal(config.TASKBBS_EXECUTOR, 'kubernetes')
})

t.test('the default egress policy covers task pods, not the server', async t => {
  t.same(policy.spec!.podSelector!.matchLabels, { 'app.kubernetes.io/managed-by': 'taskbbs' })
  const serverLabels = deployment.spec!.template.metadata!.labels!
  t.notOk(Object.entries(policy.spec!.podSelector!.matchLabels!).every(([k, v]) => serverLabels[k] === v))
})


t.test('under nothing but the Role, tasks run, are cancelled and cleaned up; anything else is forbidden', async t => {
  const namespace = await testNamespace(t, cluster, 'rbac')
  const sa = 'taskbbs'
  await cluster.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: sa } } })
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api)
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name: role.metadata!.name }, rules: role.rules } })
  await rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name: binding.metadata!.name }, roleRef: binding.roleRef, subjects: [{ kind: 'ServiceAccount', name: sa, namespace }] } })
  const { status } = await cluster.core.createNamespacedServiceAccountToken({ name: sa, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } })
  const server = cluster.kc.getCurrentCluster()!
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: server.server, caData: server.caData, skipTLSVerify: false }],
    users: [{ name: sa, token: status!.token }],
    contexts: [{ name: 'sa', cluster: 'test', user: sa, namespace }],
    currentContext: 'sa'
  })
  const executor = testExecutor(t, { ...cluster, kc }, namespace)
  const events = recordEvents(executor)
  const task = (guid: string, def: Record<string, unknown>) => ({ guid, domain: 'rbac', definition: { guid, domain: 'rbac', root_fs: 'docker://registry.example.com/app#1', action: { run: { path: '/app', user: 'root' } }, ...def } as TaskDefinition })

  const outcome = JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0 })
  const full = task('rbac-full', { env: annotate({ 'taskbbs.test/run-duration': '1500ms', 'taskbbs.test/termination-message': outcome }), image_username: 'u', image_password: 'p', egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443] }] })
  await executor.start(full)
  t.match(await events.next(full.guid, 'completed'), { failed: false })
  t.ok(events.of(full.guid).some(e => e.type === 'log' && e.stream === 'stdout'), 'pods/log was readable (followed and read at the end)')
  await executor.cleanup(full.guid)

  const forever = task('rbac-cancel', { env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await executor.start(forever)
  await executor.cancel(forever.guid)
  t.match(await events.next(forever.guid, 'completed'), { failureReason: 'task was cancelled' })
  await executor.cleanup(forever.guid)

  const asSa = kc.makeApiClient(CoreV1Api)
  await t.rejects(asSa.listNamespacedSecret({ namespace }), { code: 403 }, 'reading secrets is not granted')
  await t.rejects(asSa.listPodForAllNamespaces(), { code: 403 }, 'other namespaces are not granted')
})
