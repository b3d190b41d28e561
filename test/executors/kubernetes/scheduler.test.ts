/**
 * End to end: the HTTP API, the real Scheduler on a real Postgres, and the
 * Kubernetes executor on the test control plane. A desired task becomes a
 * pod, RUNNING while it runs, COMPLETED with the runner's outcome and
 * result, and its pod is gone afterwards.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { guidSelector } from '../../../src/executors/kubernetes/run-identity.ts'
import { taskDefinition, testApp } from '../../helpers/app.ts'
import { annotate, eventually, DEFAULT_POD_LOG_LINE, fakeContainerLog, testCluster, testExecutor, testNamespace } from '../../helpers/cluster.ts'
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
/** The task's pod, found by its guid label (its name depends on the run). */
const podOf = async (guid: string) => (await cluster.core.listNamespacedPod({ namespace, labelSelector: guidSelector(guid) })).items[0]
const podGone = (guid: string) => eventually(`the pod of ${guid} to be deleted`, async () => (await podOf(guid)) === undefined || undefined)

t.test('desire → RUNNING on a pod → COMPLETED with the runner\'s result; its output in the task log; the pod is cleaned up after', async t => {
  const guid = `sched-${Math.random().toString(36).slice(2, 8)}`
  const outcome = { v: 1, failed: false, failure_reason: '', frames: 3, result_bytes: 3, result_sha256: createHash('sha256').update('42\n').digest('hex') }
  // The pod's name comes with the run, known once the task is desired; the pod waits a second before it starts.
  await desire({ guid, result_file: 'result.txt', env: annotate({ 'taskbbs.test/start-delay': '1s', 'taskbbs.test/run-duration': '1500ms', 'taskbbs.test/termination-message': JSON.stringify(outcome) }) })
  const { rows: [{ run_id: runId }] } = await h.pool.query<{ run_id: string }>('SELECT run_id FROM tasks WHERE guid = $1', [guid])
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid, runId))
  await log.write(JSON.stringify({ seq: 1, fd: 'stdout', src: 'TASK', line: 'hello' }), JSON.stringify({ seq: 2, fd: 'stderr', src: 'TASK', line: 'careful' }), JSON.stringify({ seq: 3, result: '42\n' }))
  const running = await waitForTask(h.pool, guid, task => task?.state === 'RUNNING')
  t.match(running, { state: 'RUNNING', cell_id: /^(cell-|kwok-node-0$)/ }, 'RUNNING on this replica until the pod is placed')
  t.match(await waitForTask(h.pool, guid, task => task?.cell_id === 'kwok-node-0'), { state: 'RUNNING' }, 'then its cell is the node of its pod')
  const pod = await eventually('the pod to run', async () => {
    const p = await podOf(guid)
    return p?.status?.phase === 'Running' ? p : undefined
  })
  t.equal(pod.metadata!.annotations!['taskbbs.io/guid'], guid)
  const { rows: [row] } = await h.pool.query<{ run_id: string, fencing_token: string }>('SELECT run_id, fencing_token FROM tasks WHERE guid = $1', [guid])
  t.match(pod.metadata!.annotations, { 'taskbbs.io/run-id': row.run_id, 'taskbbs.io/fencing-token': row.fencing_token }, 'the pod carries its run and claim')
  t.match(await waitForTask(h.pool, guid, completed), { failed: false, failure_reason: '', result: '42\n' })
  await podGone(guid)
  const logs = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/logs` })
  t.equal(logs.statusCode, 200)
  const lines = (logs.json().lines as Array<{ line: string }>).filter(l => l.line !== DEFAULT_POD_LOG_LINE)
  t.match(lines, [{ stream: 'stdout', line: 'hello' }, { stream: 'stderr', line: 'careful' }], 'the container output is in the task log, streams apart')
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
  await eventually('the pod to exist', () => podOf(guid))
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
  const fields = (res.json().errors as Array<{ field: string }>).map(e => e.field).sort()
  // The claim "v" is granted to no domain here, so tenancy refuses it as well.
  t.same(fields, ['egress_rules[0].protocol', 'volume_mounts[0].container_dir', 'volume_mounts[0].shared.volume_id'])
  t.notOk(fields.some(f => f.startsWith('action')), 'the upload is no refusal')
})
