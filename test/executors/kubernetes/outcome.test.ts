/**
 * How a pod's status becomes the task's outcome, on pod statuses written the
 * way the kubelet writes them: the runner's termination message, and the
 * cases where the runner never wrote one (OOM, an image that cannot run it,
 * eviction, an image that cannot be pulled).
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node'
import { createHash } from 'node:crypto'
import t from 'tap'
import { observe } from '../../../src/executors/kubernetes/outcome.ts'
import { parseOutcome, resultMatches } from '../../../src/executors/kubernetes/runner-output.ts'

const ended = (name: string, exitCode: number, extra: Record<string, unknown> = {}): V1ContainerStatus =>
  ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, ...extra } } }) as V1ContainerStatus
const pod = (status: V1Pod['status']): V1Pod => ({ metadata: { name: 'p' }, spec: { containers: [] }, status })
const outcome = (o: Record<string, unknown>) => JSON.stringify({ v: 1, failed: false, failure_reason: '', frames: 0, ...o })
const sha = (s: string) => createHash('sha256').update(s).digest('hex')

t.test('the runner\'s termination message is the outcome: failed and failure_reason as it says, whatever the exit code', async t => {
  t.match(observe(pod({ phase: 'Succeeded', containerStatuses: [ended('task', 0, { message: outcome({ frames: 3 }) })] })),
    { state: 'ended', outcome: { failed: false, failureReason: '', frames: 3 } })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 1, { message: outcome({ failed: true, failure_reason: 'run /bin/migrate: exited with status 3', frames: 7 }) })] })),
    { state: 'ended', outcome: { failed: true, failureReason: 'run /bin/migrate: exited with status 3', frames: 7 } })
})

t.test('the outcome is read as soon as the task container has ended, before the pod phase follows', async t => {
  t.match(observe(pod({ phase: 'Running', containerStatuses: [ended('task', 0, { message: outcome({}) })] })), { state: 'ended' })
})

t.test('a result is described by its length and digest; only a text with both matches', async t => {
  const parsed = parseOutcome(outcome({ result_bytes: 3, result_sha256: sha('42\n'), frames: 2 }))
  t.ok(parsed.ok)
  if (!parsed.ok) return
  t.ok(resultMatches(parsed.outcome, '42\n'))
  t.notOk(resultMatches(parsed.outcome, '43\n'), 'same length, other digest')
  t.notOk(resultMatches(parsed.outcome, '42\n\n'))
  const none = parseOutcome(outcome({}))
  t.ok(none.ok && !resultMatches(none.outcome, ''), 'no result described: nothing matches')
})

t.test('no termination message: the runner was killed or never ran, and the task fails with the container status', async t => {
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 137, { reason: 'OOMKilled' })] })),
    { state: 'failed', reason: 'the runner wrote no outcome: container task exited with status 137: OOMKilled' })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 126, { reason: 'ContainerCannotRun', message: '' })] })),
    { state: 'failed', reason: 'the runner wrote no outcome: container task exited with status 126 (ContainerCannotRun)' })
  t.match(observe(pod({ phase: 'Succeeded', containerStatuses: [ended('task', 0, { reason: 'Completed' })] })),
    { state: 'failed', reason: 'the runner wrote no outcome: container task exited with status 0' }, 'even an exit 0 is no outcome')
})

t.test('an unparseable or foreign termination message fails the task and says why', async t => {
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 1, { message: 'exec format error' })] })),
    { state: 'failed', reason: 'the runner\'s outcome is not JSON: container task exited with status 1' })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 1, { message: '{"v":2,"failed":false}' })] })),
    { state: 'failed', reason: /has version 2, not 1/ })
  t.match(observe(pod({ phase: 'Failed', containerStatuses: [ended('task', 1, { message: '{"v":1}' })] })),
    { state: 'failed', reason: /lacks "failed"/ })
  t.match(parseOutcome('{"v":1,"failed":true,"frames":0}'), { ok: true, outcome: { failed: true, failureReason: 'the task failed (the runner gave no reason)' } })
})

t.test('install-runner failing fails the task, naming it', async t => {
  t.match(observe(pod({ phase: 'Failed', initContainerStatuses: [ended('install-runner', 127, { reason: 'Error' })] })),
    { state: 'failed', reason: 'the runner could not be installed: container install-runner exited with status 127' })
})

t.test('an evicted pod fails its task with the kubelet\'s message, even when the runner wrote "task was cancelled"', async t => {
  t.match(observe(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' })),
    { state: 'failed', reason: 'pod evicted: The node was low on resource: memory.' })
  t.match(observe(pod({ phase: 'Failed', reason: 'Evicted', message: 'low on disk', containerStatuses: [ended('task', 1, { message: outcome({ failed: true, failure_reason: 'task was cancelled' }) })] })),
    { state: 'failed', reason: 'pod evicted: low on disk' })
})

t.test('a pod that failed before the runner reported says so with the pod\'s reason', async t => {
  t.match(observe(pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' })),
    { state: 'failed', reason: 'pod failed before the runner reported: DeadlineExceeded: Pod was active on the node longer than the specified deadline' })
})

t.test('an image that cannot be pulled fails the task without waiting for the kubelet to give up', async t => {
  const status = { phase: 'Pending', containerStatuses: [{ name: 'task', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } } }] }
  t.match(observe(pod(status)), { state: 'failed', reason: 'container task cannot start: ImagePullBackOff: Back-off pulling image "nope:1"' })
  const install = { phase: 'Pending', initContainerStatuses: [{ name: 'install-runner', image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImageNeverPull' } } }] }
  t.match(observe(pod(install)), { state: 'failed', reason: 'container install-runner cannot start: ErrImageNeverPull' })
})

t.test('an unschedulable pod reports since when and the scheduler\'s message', async t => {
  const status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.', lastTransitionTime: new Date('2030-01-01T00:00:00Z') }] }
  t.match(observe(pod(status)), { state: 'unschedulable', since: Date.parse('2030-01-01T00:00:00Z'), message: /Insufficient nvidia.com\/gpu/ })
})

t.test('running once the task container runs; pending before', async t => {
  t.match(observe(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'install-runner', image: 'i', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] })), { state: 'pending' })
  t.match(observe(pod({ phase: 'Running', containerStatuses: [{ name: 'task', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] })), { state: 'running' })
})
