/**
 * End to end: the HTTP API, the real Scheduler on a real Postgres, and the
 * Kubernetes executor on the test control plane. A desired task becomes a
 * pod, RUNNING while it runs, COMPLETED with the runner's outcome and
 * result, and its pod is gone afterwards.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { taskDefinition, testApp } from '../../helpers/app.ts'
import { annotate, eventually, fakeContainerLog, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'
import { testScheduler, waitForTask } from '../../helpers/scheduler.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'scheduler')
const executor = testExecutor(t, cluster, namespace)
const h = await testApp(t, { unsupported: def => executor.unsupported(def) })
await testScheduler(t, h, { executor })

async function desire (def: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition(def) })
  if (res.statusCode !== 201) throw new Error(`desire failed: ${res.body}`)
  return res.json().guid as string
}
const completed = (task: { state: string } | undefined) => task?.state === 'COMPLETED'
const podGone = (guid: string) => eventually(`the pod of ${guid} to be deleted`, () =>
  cluster.core.readNamespacedPod({ name: podName(guid), namespace }).then(() => undefined, (err: { code?: number }) => err.code === 404 || undefined))

t.test('desire → RUNNING on a pod → COMPLETED with the runner\'s result; its output in the task log; the pod is cleaned up after', async t => {
  const guid = `sched-${Math.random().toString(36).slice(2, 8)}`
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid))
  await log.write(JSON.stringify({ seq: 1, fd: 'stdout', src: 'TASK', line: 'hello' }), JSON.stringify({ seq: 2, fd: 'stderr', src: 'TASK', line: 'careful' }), JSON.stringify({ seq: 3, result: '42\n' }))
  const outcome = { v: 1, failed: false, failure_reason: '', frames: 3, result_bytes: 3, result_sha256: createHash('sha256').update('42\n').digest('hex') }
  await desire({ guid, result_file: 'result.txt', env: annotate({ 'taskbbs.test/run-duration': '1500ms', 'taskbbs.test/termination-message': JSON.stringify(outcome) }) })
  const running = await waitForTask(h.pool, guid, task => task?.state === 'RUNNING')
  t.match(running, { state: 'RUNNING', cell_id: /^cell-/ })
  const pod = await eventually('the pod to run', async () => {
    const p = await cluster.core.readNamespacedPod({ name: podName(guid), namespace }).catch(() => undefined)
    return p?.status?.phase === 'Running' ? p : undefined
  })
  t.equal(pod.metadata!.annotations!['taskbbs.io/guid'], guid)
  t.match(await waitForTask(h.pool, guid, completed), { failed: false, failure_reason: '', result: '42\n' })
  await podGone(guid)
  const logs = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/logs` })
  t.equal(logs.statusCode, 200)
  t.match(logs.json().lines, [{ stream: 'stdout', line: 'hello' }, { stream: 'stderr', line: 'careful' }], 'the container output is in the task log, streams apart')
})

t.test('a runner that reports failure completes its task failed with its reason', async t => {
  const outcome = { v: 1, failed: true, failure_reason: 'run /bin/job: exited with status 42', frames: 0 }
  const guid = await desire({ env: annotate({ 'taskbbs.test/exit-code': '1', 'taskbbs.test/termination-message': JSON.stringify(outcome) }), action: { run: { path: '/bin/job', user: 'root' } } })
  t.match(await waitForTask(h.pool, guid, completed), { failed: true, failure_reason: 'run /bin/job: exited with status 42' })
  await podGone(guid)
})

t.test('cancel through the API deletes the pod; the task stays "task was cancelled"', async t => {
  const guid = await desire({ env: annotate({ 'taskbbs.test/run-forever': 'true' }) })
  await waitForTask(h.pool, guid, task => task?.state === 'RUNNING')
  await eventually('the pod to exist', () => cluster.core.readNamespacedPod({ name: podName(guid), namespace }).then(p => p, () => undefined))
  const res = await h.app.inject({ method: 'POST', url: `/v1/tasks/${guid}/cancel` })
  t.match(res.json(), { state: 'COMPLETED', failed: true, failure_reason: 'task was cancelled' })
  await podGone(guid)
  t.match(await waitForTask(h.pool, guid, completed), { failure_reason: 'task was cancelled' })
})

t.test('what Kubernetes cannot hold is refused at desire time with 422, naming each field; every action kind is accepted', async t => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/v1/tasks',
    payload: taskDefinition({
      action: { serial: { actions: [{ run: { path: '/bin/build', user: 'root' } }, { upload: { from: '/out.tgz', to: 'https://blobs.example.com/up', user: 'root' } }] } },
      egress_rules: [{ protocol: 'icmp', destinations: ['0.0.0.0/0'], icmp_info: { type: 0, code: 0 } }],
      volume_mounts: [{ driver: 'nfs', container_dir: '/taskbbs/bin', mode: 'rw', shared: { volume_id: 'v' } }]
    })
  })
  t.equal(res.statusCode, 422)
  t.match(res.json().errors, [{ field: 'egress_rules[0].protocol' }, { field: 'volume_mounts[0].container_dir' }])
  t.equal(res.json().errors.length, 2, 'the upload is no refusal')
})
