/**
 * Every part of a task definition shows in the objects the executor creates,
 * read back from a real API server (which has admitted, defaulted and
 * validated them), and placement tags steer the real scheduler.
 */
import type { V1Pod } from '@kubernetes/client-node'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { readK8sGrants } from '../../../src/config/k8s-grants.ts'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { parseArtifactEgress } from '../../../src/executors/kubernetes/network-policy.ts'
import { annotate, eventually, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'mapping')
// An operator who opened what these mappings use (what stays closed is in tenancy.test.ts).
const executor = testExecutor(t, cluster, namespace, {
  trustedCertsConfigMap: 'ca-bundle',
  allowPrivileged: true,
  grants: readK8sGrants(JSON.stringify({ mapping: { secrets: ['db-credentials', 'api-keys'], volume_claims: ['shared-data', 'scratch'] } })).grants,
  policy: { tolerationKeys: ['gpu', 'spot'], nodeLabelKeys: ['kubernetes.io/os'], allowRootIds: false, allowPodAffinity: true }
})
t.teardown(async () => { for (const guid of started) await executor.cleanup(guid).catch(() => {}) })

const started: string[] = []
let n = 0
const run = (path: string, extra: Record<string, unknown> = {}) => ({ run: { path, user: 'root', ...extra } })
const forever = annotate({ 'taskbbs.test/run-forever': 'true' })

/** Starts a task (kept running) and returns its pod as the API server stored it. */
async function startTask (def: Record<string, unknown>, guid = `map-${++n}`): Promise<V1Pod> {
  const definition = { guid, domain: 'mapping', root_fs: 'docker:///busybox#1.36', action: run('/bin/true'), env: forever, ...def } as TaskDefinition
  await executor.start({ guid, domain: 'mapping', definition })
  started.push(guid)
  return cluster.core.readNamespacedPod({ name: podName(guid), namespace })
}

t.test('a task is one Pod named from its guid, restartPolicy Never, labelled and annotated with guid, domain and log ids', async t => {
  const guid = 'Mapping_Task-1'
  const definition = { guid, domain: 'billing jobs/eu', root_fs: 'docker:///busybox', action: run('/bin/true'), env: forever, log_guid: 'app-1', log_source: 'STG', metrics_guid: 'metrics-1' } as TaskDefinition
  await executor.start({ guid, domain: definition.domain, definition })
  started.push(guid)
  const pod = await cluster.core.readNamespacedPod({ name: podName(guid), namespace })
  t.match(pod.metadata!.name, /^taskbbs-mapping-task-1-[0-9a-f]{10}$/)
  t.match(pod.metadata!.labels, { 'app.kubernetes.io/managed-by': 'taskbbs', 'taskbbs.io/guid': 'Mapping_Task-1', 'taskbbs.io/domain': /^billing-jobs-eu-[0-9a-f]{10}$/, 'taskbbs.io/log-guid': 'app-1' })
  t.match(pod.metadata!.annotations, { 'taskbbs.io/guid': guid, 'taskbbs.io/domain': 'billing jobs/eu', 'taskbbs.io/log-guid': 'app-1', 'taskbbs.io/log-source': 'STG', 'taskbbs.io/metrics-guid': 'metrics-1' })
  t.equal(pod.spec!.restartPolicy, 'Never')
  t.equal(pod.spec!.automountServiceAccountToken, false, 'a task gets no API credentials')
  t.same(pod.spec!.initContainers!.map(c => [c.name, c.image, c.command]), [['install-runner', 'taskbbs:test', ['/usr/local/bin/taskbbs-runner', 'install', '/taskbbs/bin/taskbbs-runner']]])
  t.same(pod.spec!.containers.map(c => [c.name, c.image, c.command]), [['task', 'busybox', ['/taskbbs/bin/taskbbs-runner', 'run', '--spec', '/taskbbs/spec/spec.json']]])
})

t.test('static metric_tags become labels of the pod; dynamic ones and names the label grammar refuses do not', async t => {
  const pod = await startTask({ metric_tags: { source_id: { static: 'metrics-1' }, team: { static: 'blue team' }, instance_id: { dynamic: 'INSTANCE_GUID' }, 'bad name!': { static: 'x' } } })
  const tagLabels = Object.fromEntries(Object.entries(pod.metadata!.labels!).filter(([k]) => k.startsWith('metric-tag.taskbbs.io/')))
  t.match(tagLabels, { 'metric-tag.taskbbs.io/source_id': 'metrics-1', 'metric-tag.taskbbs.io/team': /^blue-team-[0-9a-f]{10}$/ })
  t.equal(Object.keys(tagLabels).length, 2, 'only the two static tags with label-safe names')
})

t.test('root_fs: docker URIs become image references, preloaded names go through the operator map', async t => {
  t.equal((await startTask({ root_fs: 'docker://registry.example.com:5000/org/tool#2.1' })).spec!.containers[0].image, 'registry.example.com:5000/org/tool:2.1')
  t.equal((await startTask({ root_fs: 'preloaded:cflinuxfs4' })).spec!.containers[0].image, 'cloudfoundry/cflinuxfs4:latest')
})

t.test('image credentials: a dockerconfigjson Secret owned by the pod, named in imagePullSecrets; the setup gate is lifted', async t => {
  const pod = await startTask({ root_fs: 'docker://registry.example.com/private/app#1', image_username: 'robot', image_password: 's3cret' })
  t.same(pod.spec!.imagePullSecrets, [{ name: pod.metadata!.name }])
  t.notOk(pod.spec!.schedulingGates?.length, 'no scheduling gate left: the scheduler may place it')
  const secret = await cluster.core.readNamespacedSecret({ name: pod.metadata!.name!, namespace })
  t.equal(secret.type, 'kubernetes.io/dockerconfigjson')
  t.same(JSON.parse(Buffer.from(secret.data!['.dockerconfigjson'], 'base64').toString()), {
    auths: { 'registry.example.com': { username: 'robot', password: 's3cret', auth: Buffer.from('robot:s3cret').toString('base64') } }
  })
  t.match(secret.metadata!.ownerReferences, [{ kind: 'Pod', name: pod.metadata!.name, uid: pod.metadata!.uid }])
  t.notMatch(JSON.stringify(pod), /s3cret/, 'the password is only in the secret')
})

t.test('the secret is garbage-collected with its pod', async t => {
  const pod = await startTask({ image_username: 'robot', image_password: 'pw' })
  await cluster.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace })
  await eventually('the secret to be collected', () => cluster.core.readNamespacedSecret({ name: pod.metadata!.name!, namespace }).then(() => undefined, () => true), 30_000)
  t.pass('the secret went with the pod')
})

t.test('memory_mb, disk_mb → limits; cpu_weight → cpu request; kubernetes.resources adds extended resources', async t => {
  const pod = await startTask({ memory_mb: 256, disk_mb: 1024, cpu_weight: 50, kubernetes: { resources: { limits: { 'nvidia.com/gpu': '1' }, requests: { memory: '128Mi' } } } })
  t.same(pod.spec!.containers[0].resources, {
    limits: { memory: '256Mi', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' },
    requests: { cpu: '500m', memory: '128Mi', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' }
  })
})

t.test('the kubernetes block: node selector, tolerations, affinity, secrets as env, user and group ids', async t => {
  const pod = await startTask({
    kubernetes: {
      node_selector: [{ key: 'kubernetes.io/os', value: 'linux' }],
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'spot', operator: 'Equal', value: 'yes', effect: 'NoExecute', toleration_seconds: 30 }],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } } }] } },
      secrets: ['db-credentials', 'api-keys'],
      run_as_user: 1000,
      run_as_group: 3000,
      fs_group: 2000
    }
  })
  t.same(pod.spec!.nodeSelector, { 'kubernetes.io/os': 'linux' })
  t.match(pod.spec!.tolerations, [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'spot', operator: 'Equal', value: 'yes', effect: 'NoExecute', tolerationSeconds: 30 }])
  t.match(pod.spec!.affinity!.podAntiAffinity, { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10 }] })
  t.same(pod.spec!.containers[0].envFrom, [{ secretRef: { name: 'db-credentials' } }, { secretRef: { name: 'api-keys' } }])
  t.match(pod.spec!.securityContext, { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 })
})

t.test('privileged → securityContext.privileged when the operator allows it; a numeric user → runAsUser', async t => {
  const pod = await startTask({ privileged: true, action: run('/bin/true', { user: '1001' }) })
  t.match(pod.spec!.containers[0].securityContext, { privileged: true, runAsUser: 1001 })
  t.equal((await startTask({ action: run('/bin/true', { user: 'vcap' }) })).spec!.containers[0].securityContext, undefined, 'a user name runs as the image user')
})

t.test('task env in the container, volume_mounts as PVCs (mode r → readOnly) and the trusted certificates ConfigMap beside the runner\'s volumes', async t => {
  const pod = await startTask({
    env: [...forever, { name: 'LANG', value: 'C' }],
    action: run('/bin/true', { env: [{ name: 'STEP', value: '1' }], dir: '/work' }),
    volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'r', shared: { volume_id: 'shared-data' } }, { driver: 'nfs', container_dir: '/scratch', mode: 'rw', shared: { volume_id: 'scratch' } }],
    trusted_system_certificates_path: '/etc/cf-system-certificates'
  })
  const c = pod.spec!.containers[0]
  t.same(c.env, [{ name: 'TASKBBS_TASK_GUID', value: pod.metadata!.annotations!['taskbbs.io/guid'] }, forever[0], { name: 'LANG', value: 'C' }])
  t.equal(c.workingDir, undefined, 'run.dir is the runner\'s to apply, per process')
  t.match(JSON.parse(pod.metadata!.annotations!['taskbbs.io/runner-spec']).action, { run: { env: [{ name: 'STEP', value: '1' }], dir: '/work' } })
  t.match(pod.spec!.volumes, [
    { name: 'taskbbs-runner', emptyDir: {} },
    { name: 'taskbbs-spec' },
    { name: 'volume-1', persistentVolumeClaim: { claimName: 'shared-data', readOnly: true } },
    { name: 'volume-2', persistentVolumeClaim: { claimName: 'scratch' } },
    { name: 'trusted-certs', configMap: { name: 'ca-bundle' } }
  ])
  t.equal(c.volumeMounts![3].readOnly, undefined, 'mode rw: writable')
  t.match(c.volumeMounts, [
    { name: 'taskbbs-runner', mountPath: '/taskbbs/bin', readOnly: true },
    { name: 'taskbbs-spec', mountPath: '/taskbbs/spec', readOnly: true },
    { name: 'volume-1', mountPath: '/data', readOnly: true },
    { name: 'volume-2', mountPath: '/scratch' },
    { name: 'trusted-certs', mountPath: '/etc/cf-system-certificates', readOnly: true }
  ])
})

t.test('the runner spec is a pod annotation projected by a downwardAPI volume as /taskbbs/spec/spec.json; the whole action tree is in it', async t => {
  const action = { serial: { actions: [{ download: { from: 'https://blobs.example.com/app.tgz', to: '/app', user: 'root', checksum_algorithm: 'md5', checksum_value: 'ef'.repeat(16) } }, run('/app/build'), { parallel: { actions: [run('/app/web'), { upload: { from: '/out/x', to: 'https://blobs.example.com/up', user: 'root' } }] } }] } }
  const pod = await startTask({
    action,
    result_file: 'out/result.json',
    cached_dependencies: [{ from: 'https://blobs.example.com/buildpack.zip', to: '/tmp/buildpacks', cache_key: 'bp', checksum_algorithm: 'sha256', checksum_value: 'ab'.repeat(32) }]
  })
  const volume = pod.spec!.volumes!.find(v => v.name === 'taskbbs-spec')!
  t.same(volume.downwardAPI!.items, [{ path: 'spec.json', fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['taskbbs.io/runner-spec']" } }])
  t.match(pod.spec!.containers[0].volumeMounts, [{}, { name: 'taskbbs-spec', mountPath: '/taskbbs/spec', readOnly: true }])
  const spec = JSON.parse(pod.metadata!.annotations!['taskbbs.io/runner-spec'])
  t.match(spec, { version: 1, guid: pod.metadata!.annotations!['taskbbs.io/guid'], log_source: 'TASK', result_file: 'out/result.json' })
  t.same(spec.action.serial.actions.slice(1), [action], 'the action after the cached dependency, as desired')
  t.match(spec.action.serial.actions[0], { download: { from: 'https://blobs.example.com/buildpack.zip', to: '/tmp/buildpacks', checksum_algorithm: 'sha256' } })
})

t.test('the runner\'s outcome is the termination message: /dev/termination-log, policy File (never the log\'s tail); no pod deadline', async t => {
  const pod = await startTask({ result_file: 'out/result.json', action: { timeout: { action: run('/bin/sleep'), timeout_ms: 1500 } } })
  t.match(pod.spec!.containers[0], { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' })
  t.equal(pod.spec!.activeDeadlineSeconds, undefined, 'timeouts are the runner\'s, anywhere in the tree')
})

t.test('egress_rules → a NetworkPolicy owned by the pod, selecting only it', async t => {
  const pod = await startTask({
    egress_rules: [
      { protocol: 'tcp', destinations: ['10.0.0.1-10.0.0.9'], ports: [80, 443] },
      { protocol: 'udp', destinations: ['8.8.8.8', '2001:4860::/32'], port_range: { start: 53, end: 55 } },
      { protocol: 'all', destinations: ['192.168.0.0/16'] }
    ]
  })
  const policy = await cluster.networking.readNamespacedNetworkPolicy({ name: pod.metadata!.name!, namespace })
  t.match(policy.metadata!.ownerReferences, [{ kind: 'Pod', uid: pod.metadata!.uid }])
  t.same(policy.spec!.podSelector, { matchLabels: { 'taskbbs.io/guid': pod.metadata!.labels!['taskbbs.io/guid'], 'app.kubernetes.io/managed-by': 'taskbbs' } })
  t.same(policy.spec!.policyTypes, ['Egress'])
  t.match(policy.spec!.egress, [
    { to: ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/30', '10.0.0.8/31'].map(cidr => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }] },
    { to: [{ ipBlock: { cidr: '8.8.8.8/32' } }, { ipBlock: { cidr: '2001:4860::/32' } }], ports: [{ protocol: 'UDP', port: 53, endPort: 55 }] },
    { to: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }
  ])
  t.equal(policy.spec!.egress![2].ports, undefined, 'protocol all: every port')
})

t.test('TASKBBS_K8S_ARTIFACT_EGRESS: every task\'s NetworkPolicy opens the artifact store, with or without egress_rules of its own', async t => {
  const withStore = testExecutor(t, cluster, namespace, { artifactEgress: parseArtifactEgress('10.96.7.0/24:443,192.168.9.9') })
  const start = async (guid: string, extra: Record<string, unknown>) => {
    await withStore.start({ guid, domain: 'mapping', definition: { guid, domain: 'mapping', root_fs: 'docker:///busybox', action: run('/bin/true'), env: forever, ...extra } as TaskDefinition })
    t.teardown(() => withStore.cleanup(guid).catch(() => {}))
    return cluster.networking.readNamespacedNetworkPolicy({ name: podName(guid), namespace })
  }
  const store = [{ to: [{ ipBlock: { cidr: '10.96.7.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }, { to: [{ ipBlock: { cidr: '192.168.9.9/32' } }], ports: [{ protocol: 'TCP' }] }]
  const plain = await start(`map-${++n}`, {})
  t.match(plain.spec, { policyTypes: ['Egress'], egress: store })
  t.equal(plain.spec!.egress!.length, 2)
  const ruled = await start(`map-${++n}`, { egress_rules: [{ protocol: 'udp', destinations: ['8.8.8.8'], ports: [53] }] })
  t.match(ruled.spec!.egress, [...store, { to: [{ ipBlock: { cidr: '8.8.8.8/32' } }], ports: [{ protocol: 'UDP', port: 53 }] }])
  const pod = await cluster.core.readNamespacedPod({ name: podName(`map-${n}`), namespace })
  t.notOk(pod.spec!.schedulingGates?.length, 'the gate is lifted once the policy exists')
})

t.test('placement tags: a task runs only on a node advertising exactly its tags; an untagged task only where none are advertised', async t => {
  const node = `kwok-tagged-${Math.random().toString(36).slice(2, 6)}`
  const capacity = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' }
  await cluster.core.createNode({
    body: {
      metadata: { name: node, labels: { type: 'kwok', 'kubernetes.io/hostname': node, 'taskbbs.io/placement-tags': 'gpu.ssd' }, annotations: { 'kwok.x-k8s.io/node': 'fake' } },
      status: { capacity, allocatable: capacity }
    }
  })
  t.teardown(() => cluster.core.deleteNode({ name: node }).catch(() => {}))
  const nodeOf = (guid: string) => eventually(`${guid} to be scheduled`, async () => (await cluster.core.readNamespacedPod({ name: podName(guid), namespace })).spec!.nodeName || undefined)

  const exact = await startTask({ placement_tags: ['ssd', 'gpu'] })
  t.equal(await nodeOf(exact.metadata!.annotations!['taskbbs.io/guid']), node, '[ssd, gpu] lands on the node advertising [gpu, ssd]')
  const untagged = await startTask({})
  t.not(await nodeOf(untagged.metadata!.annotations!['taskbbs.io/guid']), node, 'no tags: never the tagged node')
  const subset = await startTask({ placement_tags: ['gpu'] })
  const guid = subset.metadata!.annotations!['taskbbs.io/guid']
  const condition = await eventually('the scheduler to refuse [gpu]', async () =>
    (await cluster.core.readNamespacedPod({ name: podName(guid), namespace })).status?.conditions?.find(c => c.type === 'PodScheduled' && c.reason === 'Unschedulable'))
  t.match(condition.message, /didn't match Pod's node affinity\/selector/, '[gpu] matches neither [gpu, ssd] nor no tags')
})
