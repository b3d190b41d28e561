/**
 * deploy/: the manifests parse, fit together, keep task pods in a namespace
 * apart from the server's, and grant the server exactly the Kubernetes
 * permissions the executor uses there, shown by running tasks on the test
 * control plane under nothing but that Role, and by the server's service
 * account failing to read anything of its own namespace.
 */
import { CoreV1Api, KubeConfig, PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions, type V1ConfigMap, type V1Namespace, type V1Deployment, type V1NetworkPolicy, type V1Role, type V1RoleBinding, type V1Service } from '@kubernetes/client-node'
import { readFile, readdir } from 'node:fs/promises'
import t from 'tap'
import { parse, parseAllDocuments } from 'yaml'
import { loadConfig } from '../../../src/config/load.ts'
import { ConfigSchema } from '../../../src/config/schema.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { TASK_CONTAINER, podName } from '../../../src/executors/kubernetes/names.ts'
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

const namespaces = docs.filter(d => d.kind === 'Namespace') as V1Namespace[]
const serverNamespace = deployment.metadata!.namespace!
const tasksNamespace = configMap.data!.TASKBBS_K8S_NAMESPACE

t.test('task pods get a namespace of their own: the server\'s objects in one, the executor\'s Role and the task policy in the other', async t => {
  t.same(namespaces.map(n => n.metadata!.name).sort(), [serverNamespace, tasksNamespace].sort(), 'namespace.yaml defines both')
  t.not(tasksNamespace, serverNamespace)
  for (const d of docs.filter(d => ['ServiceAccount', 'ConfigMap', 'Deployment', 'Service'].includes(d.kind))) t.equal(d.metadata.namespace, serverNamespace, `${d.kind} ${d.metadata.name}`)
  for (const d of docs.filter(d => ['Role', 'RoleBinding', 'NetworkPolicy'].includes(d.kind))) t.equal(d.metadata.namespace, tasksNamespace, `${d.kind} ${d.metadata.name}`)
  t.same(docs.filter(d => d.kind !== 'Namespace' && d.metadata.namespace !== serverNamespace && d.metadata.namespace !== tasksNamespace), [], 'nothing elsewhere')
})

t.test('in production the server refuses the configuration if the task namespace is its own', async t => {
  const tokens = JSON.stringify([{ name: 'ci', token: 'a-test-token-of-some-length', domains: '*', role: 'admin' }])
  t.equal(loadConfig({ ...configMap.data, TASKBBS_TOKENS: tokens }, {}, { ownNamespace: () => serverNamespace }).TASKBBS_MODE, 'production')
  t.throws(() => loadConfig({ ...configMap.data, TASKBBS_TOKENS: tokens, TASKBBS_K8S_NAMESPACE: serverNamespace }, {}, { ownNamespace: () => serverNamespace }),
    { message: /TASKBBS_K8S_NAMESPACE=taskbbs is the namespace this server runs in/ })
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
  const config = loadConfig({ ...configMap.data, TASKBBS_TOKENS: JSON.stringify([{ name: 'ci', token: 'a-test-token-of-some-length', domains: '*', role: 'admin' }]) }, {}, { ownNamespace: () => serverNamespace })
  t.equal(config.TASKBBS_EXECUTOR, 'kubernetes')
  t.equal(config.TASKBBS_K8S_GRANTS, '', 'nothing is granted until the operator says so')
  t.equal(config.TASKBBS_K8S_ALLOWED_TOLERATIONS, '')
  t.equal(config.TASKBBS_K8S_ALLOW_ROOT_IDS, false)
  t.equal(config.TASKBBS_K8S_ALLOW_POD_AFFINITY, false)
})

t.test('the default egress policy covers task pods, not the server', async t => {
  t.same(policy.spec!.podSelector!.matchLabels, { 'app.kubernetes.io/managed-by': 'taskbbs' })
  const serverLabels = deployment.spec!.template.metadata!.labels!
  t.notOk(Object.entries(policy.spec!.podSelector!.matchLabels!).every(([k, v]) => serverLabels[k] === v))
})


/** The manifests' two namespaces under fresh names, with their labels (Pod Security levels). */
async function deployNamespaces (t: { teardown (fn: () => unknown): void }) {
  const names: Record<string, string> = {}
  for (const ns of namespaces) {
    const name = await testNamespace(t, cluster, ns.metadata!.name === serverNamespace ? 'srv' : 'tasks')
    await cluster.core.patchNamespace({ name, body: { metadata: { labels: ns.metadata!.labels } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
    names[ns.metadata!.name!] = name
  }
  return { server: names[serverNamespace], tasks: names[tasksNamespace] }
}

t.test('with the manifests applied, the server runs tasks in the task namespace under nothing but the Role, and reads nothing of its own namespace', async t => {
  const ns = await deployNamespaces(t)
  const sa = deployment.spec!.template.spec!.serviceAccountName!
  await cluster.core.createNamespacedServiceAccount({ namespace: ns.server, body: { metadata: { name: sa } } })
  // The server's own Secret, where deploy/README.md tells the operator to make it.
  await cluster.core.createNamespacedSecret({ namespace: ns.server, body: { metadata: { name: 'taskbbs-secrets' }, stringData: { DATABASE_URL: 'postgres://taskbbs:secret@postgres/taskbbs' } } })
  await cluster.core.createNamespacedSecret({ namespace: ns.tasks, body: { metadata: { name: 'tenant-a-secret' }, stringData: { KEY: 'a' } } })
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api)
  await rbac.createNamespacedRole({ namespace: ns.tasks, body: { metadata: { name: role.metadata!.name }, rules: role.rules } })
  await rbac.createNamespacedRoleBinding({
    namespace: ns.tasks,
    body: { metadata: { name: binding.metadata!.name }, roleRef: binding.roleRef, subjects: binding.subjects!.map(s => ({ ...s, namespace: ns.server })) }
  })
  const { status } = await cluster.core.createNamespacedServiceAccountToken({ name: sa, namespace: ns.server, body: { spec: { audiences: [], expirationSeconds: 3600 } } })
  const server = cluster.kc.getCurrentCluster()!
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: server.server, caData: server.caData, skipTLSVerify: false }],
    users: [{ name: sa, token: status!.token }],
    contexts: [{ name: 'sa', cluster: 'test', user: sa, namespace: ns.tasks }],
    currentContext: 'sa'
  })
  const executor = testExecutor(t, { ...cluster, kc }, ns.tasks)
  const events = recordEvents(executor)
  const task = (guid: string, def: Record<string, unknown>) => ({ guid, domain: 'rbac', definition: { guid, domain: 'rbac', root_fs: 'docker://registry.example.com/app#1', action: { run: { path: '/app', user: 'root' } }, ...def } as TaskDefinition })

  const asSa = kc.makeApiClient(CoreV1Api)
  // The simulated container ends as the runner would: with its outcome as the termination message.
  const outcome = JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0 })
  const full = task('rbac-full', { env: annotate({ 'taskbbs.test/run-duration': '1500ms', 'taskbbs.test/termination-message': outcome }), image_username: 'u', image_password: 'p', egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443] }] })
  await executor.start(full)
  t.match(await events.next(full.guid, 'completed'), { failed: false, failureReason: '' })
  t.ok(events.of(full.guid).some(e => e.type === 'log' && e.stream === 'stdout'), 'pods/log was readable (followed and read at the end)')
  t.type(await asSa.readNamespacedPodLog({ name: podName(full.guid), namespace: ns.tasks, container: TASK_CONTAINER }), 'string', 'pods/log is readable')
  await executor.cleanup(full.guid)

  const forever = task('rbac-cancel', { env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await executor.start(forever)
  await executor.cancel(forever.guid)
  t.match(await events.next(forever.guid, 'completed'), { failureReason: 'task was cancelled' })
  await executor.cleanup(forever.guid)

  await t.rejects(asSa.readNamespacedSecret({ name: 'taskbbs-secrets', namespace: ns.server }), { code: 403 }, 'the server\'s own Secret is not readable through the API')
  await t.rejects(asSa.listNamespacedSecret({ namespace: ns.server }), { code: 403 }, 'nor any Secret of the server\'s namespace')
  await t.rejects(asSa.readNamespacedSecret({ name: 'tenant-a-secret', namespace: ns.tasks }), { code: 403 }, 'a tenant\'s Secret is not readable either: secrets are create and delete only')
  await t.rejects(asSa.listNamespacedSecret({ namespace: ns.tasks }), { code: 403 })
  await t.rejects(asSa.createNamespacedPod({ namespace: ns.server, body: { metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'busybox' }] } } }), { code: 403 }, 'no pod can be made in the server\'s namespace')
  await t.rejects(asSa.listNamespacedPod({ namespace: ns.server }), { code: 403 })
  await t.rejects(asSa.listPodForAllNamespaces(), { code: 403 }, 'other namespaces are not granted')
})

t.test('each namespace admits what runs there: the server pod under restricted, task pods under baseline but no privileged pod', async t => {
  const ns = await deployNamespaces(t)
  const template = deployment.spec!.template
  const serverPod = await cluster.core.createNamespacedPod({ namespace: ns.server, body: { metadata: { name: 'server', labels: template.metadata!.labels }, spec: { ...template.spec!, serviceAccountName: undefined } } })
  t.equal(serverPod.metadata!.namespace, ns.server, 'the Deployment\'s pod passes Pod Security "restricted"')
  const refused = await cluster.core.createNamespacedPod({ namespace: ns.tasks, body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'x', image: 'busybox', securityContext: { privileged: true } }] } } })
    .then(() => undefined, (err: { code?: number, body?: string }) => err)
  t.match(refused, { code: 403 })
  t.match(refused?.body, /violates PodSecurity \\"baseline:latest\\": privileged/)
})
