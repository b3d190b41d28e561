/**
 * How a pod's status becomes the task's outcome, on pod statuses written the
 * way the kubelet writes them: also for the cases the simulated cluster
 * cannot produce (a deadline, an eviction, a termination message, an image
 * that cannot be pulled).
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { observe } from '../../../src/executors/kubernetes/outcome.ts'
import { planActions } from '../../../src/executors/kubernetes/plan.ts'

const run = (path: string) => ({ run: { path, user: 'root' } })
const plan = (action: unknown) => planActions({ guid: 'g', domain: 'd', root_fs: 'docker:///busybox', action } as TaskDefinition)
const ended = (name: string, exitCode: number, extra: Record<string, unknown> = {}): V1ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, ...extra } } }) as V1ContainerStatus
const pod = (status: V1Pod['status'], annotations: Record<string, string> = {}): V1Pod => ({ metadata: { name: 'p', annotations }, spec: { containers: [] }, status })

t.test('Succeeded: the result is the main container\'s termination message, which is result_file', async t => {
  const p = plan(run('/x'))
  const status = { phase: 'Succeeded', containerStatuses: [ended('main', 0, { message: '{"answer":42}' })] }
  t.match(observe(pod(status), p, { resultPath: '/out.json' }), { state: 'succeeded', result: '{"answer":42}' })
  t.match(observe(pod(status), p), { state: 'succeeded', result: '' }, 'without result_file a termination message is no result')
})

t.test('Failed with an exit code names the action, the container and the status', async t => {
  const p = plan({ serial: { actions: [run('/bin/prep'), run('/bin/main')] } })
  t.match(observe(pod({ phase: 'Failed', initContainerStatuses: [ended('step-1', 2)] }), p), { state: 'failed', reason: 'run /bin/prep: container step-1 exited with status 2' })
})

t.test('OOMKilled is named', async t => {
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('main', 137, { reason: 'OOMKilled' })] }), plan(run('/x'))),
    { state: 'failed', reason: 'run /x: container main exited with status 137: OOMKilled' })
})

t.test('a fetch container\'s termination message explains its failure', async t => {
  const p = plan({ serial: { actions: [{ download: { from: 'https://b.example.com/a.tgz', to: '/app', user: 'root' } }, run('/x')] } })
  t.match(observe(pod({ phase: 'Failed', initContainerStatuses: [ended('fetch-1', 1, { message: 'checksum mismatch for https://b.example.com/a.tgz: sha256 is 00, expected ff' })] }), p),
    { state: 'failed', reason: 'download https://b.example.com/a.tgz: container fetch-1 exited with status 1: checksum mismatch for https://b.example.com/a.tgz: sha256 is 00, expected ff' })
})

t.test('parallel failures are all named; emit_progress prefixes wrap them, innermost first', async t => {
  const p = plan({ emit_progress: { failure_message_prefix: 'outer', action: { parallel: { actions: [{ emit_progress: { failure_message_prefix: 'inner', action: run('/a') } }, run('/b')] } } } })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('main-1', 1), ended('main-2', 2)] }), p),
    { state: 'failed', reason: 'outer: inner: run /a: container main-1 exited with status 1; outer: run /b: container main-2 exited with status 2' })
})

t.test('activeDeadlineSeconds exceeded is reported as Diego\'s timeout', async t => {
  t.match(observe(pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }, { 'taskbbs.io/timeout-ms': '1500' }), plan(run('/x'))),
    { state: 'failed', reason: 'exceeded 1500ms timeout' })
})

t.test('an evicted pod fails its task with the kubelet\'s message', async t => {
  t.match(observe(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), plan(run('/x'))),
    { state: 'failed', reason: 'pod evicted: The node was low on resource: memory.' })
})

t.test('a failure inside try does not fail the task', async t => {
  const p = plan({ try: { action: { serial: { actions: [run('/a'), run('/b')] } } } })
  t.match(observe(pod({ phase: 'Failed', initContainerStatuses: [ended('step-1', 1)] }), p), { state: 'succeeded' })
  const q = plan({ parallel: { actions: [{ try: { action: run('/a') } }, run('/b')] } })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('main-1', 1), ended('main-2', 3)] }), q), { state: 'failed', reason: 'run /b: container main-2 exited with status 3' })
})

t.test('an image that cannot be pulled fails the task without waiting for the kubelet to give up', async t => {
  const status = { phase: 'Pending', containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } } }] }
  t.match(observe(pod(status), plan(run('/x'))), { state: 'failed', reason: 'run /x: container main cannot start: ImagePullBackOff: Back-off pulling image "nope:1"' })
})

t.test('an unschedulable pod reports since when and the scheduler\'s message', async t => {
  const status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.', lastTransitionTime: new Date('2030-01-01T00:00:00Z') }] }
  t.match(observe(pod(status), plan(run('/x'))), { state: 'unschedulable', since: Date.parse('2030-01-01T00:00:00Z'), message: /Insufficient nvidia.com\/gpu/ })
})

t.test('the result is cut to Diego\'s 10 KB on a character boundary', async t => {
  const message = 'é'.repeat(6000)
  const { result } = observe(pod({ phase: 'Succeeded', containerStatuses: [ended('main', 0, { message })] }), plan(run('/x')), { resultPath: '/r' }) as { result: string }
  t.equal(Buffer.byteLength(result), 10240)
  t.equal(result, 'é'.repeat(5120))
})
