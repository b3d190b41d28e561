/**
 * Tasks running through the real control plane and KWOK's simulated kubelet:
 * how each way a pod can end becomes the task's outcome, what cancel and
 * cleanup remove, and what the API server's refusals turn into. The runner's
 * outcome is the task container's termination message: the simulated
 * kubelet writes it from the pod annotation taskbbs.test/termination-message
 * (test/cluster/stages/pod.yaml); where only a real kubelet could produce a
 * status (an eviction), the test writes it through the pods/status
 * subresource, as the kubelet does.
 */
import { PatchStrategy, type V1ContainerStatus, type V1Pod, setHeaderOptions } from '@kubernetes/client-node'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { ExecutorRejection } from '../../../src/executors/executor.ts'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import type { PodWatch } from '../../../src/executors/kubernetes/pod-watch.ts'
import { annotate, eventually, recordEvents, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'lifecycle')
const executor = testExecutor(t, cluster, namespace)
const events = recordEvents(executor)

let n = 0
const run = (path: string, extra: Record<string, unknown> = {}) => ({ run: { path, user: 'root', ...extra } })
const task = (def: Record<string, unknown> = {}, guid = `life-${++n}`) =>
  ({ guid, domain: 'lifecycle', definition: { guid, domain: 'lifecycle', root_fs: 'docker:///busybox', action: run('/bin/task'), ...def } as TaskDefinition })
const readPod = (guid: string) => cluster.core.readNamespacedPod({ name: podName(guid), namespace })
const gone = (read: () => Promise<unknown>) => read().then(() => undefined, (err: { code?: number }) => err.code === 404 ? true : undefined)
const running = (guid: string) => eventually(`${guid} to run`, async () => (await readPod(guid)).status?.phase === 'Running' || undefined)

/** Writes a pod status the way the kubelet would, through the status subresource. */
async function kubeletReports (guid: string, status: (pod: V1Pod) => V1Pod['status']) {
  const pod = await readPod(guid)
  pod.status = status(pod)
  await cluster.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace, body: pod })
}
const terminated = (pod: V1Pod, exitCode: number, extra: Record<string, unknown> = {}): V1ContainerStatus[] =>
  pod.status!.containerStatuses!.map(s => ({ ...s, ready: false, started: false, state: { terminated: { exitCode, startedAt: new Date(), finishedAt: new Date(), ...extra } } }))
/** What the runner writes to its termination message (runner/PROTOCOL.md). */
const outcome = (o: Record<string, unknown> = {}) => JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0, ...o })
/** The simulated kubelet ends the pod with the runner's outcome as the termination message. */
const reports = (o: Record<string, unknown> = {}, more: Record<string, string> = {}) => annotate({ 'taskbbs.test/termination-message': outcome(o), ...more })

t.test('a task whose runner reports success completes, with the container output in the task log', async t => {
  const { guid, ...rest } = task({ log_source: 'APP', env: reports() })
  await executor.start({ guid, ...rest })
  t.match(await events.next(guid, 'completed'), { failed: false, failureReason: '', result: '' })
  t.match(events.of(guid).filter(e => e.type === 'log'), [{ stream: 'stdout', source: 'APP', line: 'taskbbs test cluster: simulated container, no real output' }], 'a line that is no frame is stdout, not dropped')
})

t.test('a task whose runner reports failure fails with the runner\'s reason', async t => {
  const { guid, ...rest } = task({ env: reports({ failed: true, failure_reason: 'run /bin/migrate: exited with status 3' }, { 'taskbbs.test/exit-code': '1' }), action: run('/bin/migrate') })
  await executor.start({ guid, ...rest })
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'run /bin/migrate: exited with status 3', result: '' })
})

t.test('the outcome comes from the termination message, never from the exit code: an exit 0 without one fails', async t => {
  const { guid, ...rest } = task()
  await executor.start({ guid, ...rest })
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'the runner wrote no outcome: container task exited with status 0' })
  const other = task({ env: reports({ failed: false }, { 'taskbbs.test/exit-code': '3' }) })
  await executor.start(other)
  t.match(await events.next(other.guid, 'completed'), { failed: false }, 'and a runner that says success succeeds whatever its exit code')
})

t.test('an OOM-killed runner wrote no outcome: the task fails "… OOMKilled"', async t => {
  const { guid, ...rest } = task({ env: annotate({ 'taskbbs.test/oom': 'true' }), memory_mb: 64 })
  await executor.start({ guid, ...rest })
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'the runner wrote no outcome: container task exited with status 137: OOMKilled' })
})

t.test('a timeout is the runner\'s: the pod has no deadline and the runner\'s reason is the task\'s', async t => {
  const { guid, ...rest } = task({ env: reports({ failed: true, failure_reason: 'exceeded 1500ms timeout' }, { 'taskbbs.test/exit-code': '1' }), action: { timeout: { timeout_ms: 1500, action: run('/bin/sleep') } } })
  await executor.start({ guid, ...rest })
  t.equal((await readPod(guid)).spec!.activeDeadlineSeconds, undefined)
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'exceeded 1500ms timeout' })
})

t.test('an evicted pod fails its task with the eviction reason', async t => {
  const { guid, ...rest } = task({ env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await executor.start({ guid, ...rest })
  await running(guid)
  await kubeletReports(guid, pod => ({ ...pod.status, phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage.', containerStatuses: terminated(pod, 137, { reason: 'Error' }) }))
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'pod evicted: The node was low on resource: ephemeral-storage.' })
})

t.test('a pod deleted behind our back loses its task, with the reason', async t => {
  const { guid, ...rest } = task({ env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await executor.start({ guid, ...rest })
  await running(guid)
  await cluster.core.deleteNamespacedPod({ name: podName(guid), namespace })
  t.match(await events.next(guid, 'lost'), { reason: `pod ${podName(guid)} was deleted before the task finished` })
  t.notOk(events.of(guid).some(e => e.type === 'completed'))
})

t.test('a deletion the watch never saw (it was down) is found by the resync, and the task is lost', async t => {
  const blind = testExecutor(t, cluster, namespace, { resyncMs: 300 })
  const blindEvents = recordEvents(blind)
  const { guid, ...rest } = task({ env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await blind.start({ guid, ...rest })
  await running(guid)
  const watch = (blind as unknown as { watch: PodWatch }).watch
  await watch.stop()
  await cluster.core.deleteNamespacedPod({ name: podName(guid), namespace })
  await eventually('the pod to be gone', () => gone(() => readPod(guid)))
  await watch.start()
  t.match(await blindEvents.next(guid, 'lost'), { reason: `pod ${podName(guid)} disappeared before the task finished` })
})

t.test('cancel deletes the pod and reports the task cancelled', async t => {
  const { guid, ...rest } = task({ env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await executor.start({ guid, ...rest })
  await running(guid)
  await executor.cancel(guid)
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'task was cancelled' })
  await eventually('the pod to be gone', () => gone(() => readPod(guid)))
  t.notOk(events.of(guid).some(e => e.type === 'lost'), 'our own delete is no loss')
})

t.test('cleanup removes the pod, its secret and its network policy', async t => {
  const { guid, ...rest } = task({ image_username: 'u', image_password: 'p', egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443] }] })
  await executor.start({ guid, ...rest })
  await events.next(guid, 'completed')
  const name = podName(guid)
  await cluster.core.readNamespacedSecret({ name, namespace })
  await cluster.networking.readNamespacedNetworkPolicy({ name, namespace })
  await executor.cleanup(guid)
  await executor.cleanup(guid)
  t.ok(await eventually('the pod to be gone', () => gone(() => readPod(guid))))
  t.ok(await gone(() => cluster.core.readNamespacedSecret({ name, namespace })), 'secret deleted')
  t.ok(await gone(() => cluster.networking.readNamespacedNetworkPolicy({ name, namespace })), 'policy deleted')
})

t.test('two replicas starting the same task create one pod, and both see it complete', async t => {
  const other = testExecutor(t, cluster, namespace)
  const otherEvents = recordEvents(other)
  const same = task({ env: reports(), image_username: 'u', image_password: 'p', egress_rules: [{ protocol: 'udp', destinations: ['10.0.0.53'], ports: [53] }] })
  await Promise.all([executor.start(same), other.start(same), executor.start(same)])
  const pods = await cluster.core.listNamespacedPod({ namespace, labelSelector: `taskbbs.io/guid=${same.guid}` })
  t.equal(pods.items.length, 1, 'one pod')
  t.match(await events.next(same.guid, 'completed'), { failed: false })
  t.match(await otherEvents.next(same.guid, 'completed'), { failed: false })
  t.equal(events.of(same.guid).filter(e => e.type === 'completed').length, 1, 'starting twice on one replica is one start')
})

t.test('a task no node can take fails after the unschedulable timeout with the scheduler\'s message', async t => {
  const impatient = testExecutor(t, cluster, namespace, { unschedulableTimeoutMs: 1000, resyncMs: 300 })
  const impatientEvents = recordEvents(impatient)
  const { guid, ...rest } = task({ kubernetes: { resources: { limits: { 'nvidia.com/gpu': '100' } } } })
  await impatient.start({ guid, ...rest })
  t.match(await impatientEvents.next(guid, 'completed', 20_000), { failed: true, failureReason: /^found no node to run the task within 1s: 0\/\d+ nodes are available: .*Insufficient nvidia\.com\/gpu/ })
  await impatient.cleanup(guid)
})

t.test('a pod the API server finds invalid (422) fails the task with the API\'s message', async t => {
  const bad = task({ kubernetes: { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } } })
  await t.rejects(executor.start(bad), { message: /^kubernetes refused the task: Pod "taskbbs-.*" is invalid: .*must be less than or equal to cpu limit/ })
  await t.rejects(readPod(bad.guid), { code: 404 })
})

t.test('a pod the API server forbids (403, here Pod Security) fails the task with the API\'s message', async t => {
  const strict = `lifecycle-pss-${Math.random().toString(36).slice(2, 6)}`
  await cluster.core.createNamespace({ body: { metadata: { name: strict, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } } })
  t.teardown(() => cluster.core.deleteNamespace({ name: strict }).catch(() => {}))
  const permissive = testExecutor(t, cluster, strict, { allowPrivileged: true })
  const err = await permissive.start(task({ privileged: true })).then(() => undefined, (e: unknown) => e)
  t.match(err, { message: /^kubernetes refused the task: pods "taskbbs-.*" is forbidden: violates PodSecurity "baseline:latest": privileged/ })
  t.notOk(err instanceof ExecutorRejection, 'not handed back: the task fails')
})

t.test('an exceeded quota hands the task back (ExecutorRejection) and leaves nothing behind', async t => {
  const quota = `lifecycle-quota-${Math.random().toString(36).slice(2, 6)}`
  await cluster.core.createNamespace({ body: { metadata: { name: quota } } })
  t.teardown(() => cluster.core.deleteNamespace({ name: quota }).catch(() => {}))
  const hard = { pods: '0' }
  await cluster.core.createNamespacedResourceQuota({ namespace: quota, body: { metadata: { name: 'no-pods' }, spec: { hard } } })
  // No quota controller runs in the test cluster: write the usage it would have counted.
  await cluster.core.patchNamespacedResourceQuotaStatus({ name: 'no-pods', namespace: quota, body: { status: { hard, used: { pods: '0' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
  const limited = testExecutor(t, cluster, quota)
  const { guid, ...rest } = task()
  const err = await limited.start({ guid, ...rest }).then(() => undefined, (e: unknown) => e)
  t.type(err, ExecutorRejection)
  t.match(err, { code: 'EXECUTOR_REJECTED', message: /^kubernetes quota: pods "taskbbs-.*" is forbidden: exceeded quota: no-pods/ })
  const left = await cluster.core.listNamespacedPod({ namespace: quota })
  t.same(left.items, [])
})
