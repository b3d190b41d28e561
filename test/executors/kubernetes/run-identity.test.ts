/**
 * The identity of a run on its pod, without a cluster: names per run, the
 * labels and annotations a replica re-finds a pod by, and which pod belongs
 * to which run. run-identity.ts, names.ts.
 */
import t from 'tap'
import type { ExecutorTask } from '../../../src/executors/executor.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { type PodSettings, taskObjects } from '../../../src/executors/kubernetes/pod.ts'
import { RUN_ANNOTATIONS, RUN_LABEL, isRunOf, runOf, stampRun } from '../../../src/executors/kubernetes/run-identity.ts'

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const settings: PodSettings = { namespace: 'ns', preloadedImages: {}, cpuMillisPerWeight: 10, runnerImage: 'taskbbs:1', trustedCertsConfigMap: '', icmpEgress: 'ignore', artifactEgress: [], allowPrivileged: false }
const task = (runId: string, def: Record<string, unknown> = {}): ExecutorTask => ({
  guid: 'Task_1',
  domain: 'd',
  runId,
  fencingToken: '7',
  definition: { guid: 'Task_1', domain: 'd', root_fs: 'docker:///busybox', action: { run: { path: '/bin/true', user: 'root' } }, ...def } as TaskDefinition
})

t.test('each run of a guid has a pod name of its own, a DNS label of at most 63 characters', async t => {
  t.equal(podName('Task_1', 'run-a'), podName('Task_1', 'run-a'), 'the same run: the same name, so two replicas create one pod')
  t.not(podName('Task_1', 'run-a'), podName('Task_1', 'run-b'), 'another run: another name')
  t.not(podName('Task_1', 'run-a'), podName('Task_1'))
  for (const guid of ['a', 'A'.repeat(255), '0_-_0']) {
    const name = podName(guid, '0123456789abcdef0123456789abcdef')
    t.match(name, DNS_LABEL)
    t.ok(name.length <= 63)
  }
  t.match(podName('Task_1', 'run-a'), /^taskbbs-task-1-[0-9a-f]{10}$/, 'still readable')
})

t.test('a stamped pod carries its run as label and annotation, the claim that made it, and its policy selects this run only', async t => {
  const objects = taskObjects(task('run-a', { egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.1'], ports: [443] }] }), settings)
  stampRun(objects, task('run-a'))
  t.equal(objects.pod.metadata!.labels![RUN_LABEL], 'run-a')
  t.equal(objects.pod.metadata!.annotations![RUN_ANNOTATIONS.runId], 'run-a')
  t.equal(objects.pod.metadata!.annotations![RUN_ANNOTATIONS.fencingToken], '7')
  t.equal(objects.pod.metadata!.name, podName('Task_1', 'run-a'))
  t.equal(objects.policy!.spec!.podSelector!.matchLabels![RUN_LABEL], 'run-a')
})

t.test('which run a pod belongs to', async t => {
  const objects = taskObjects(task('run-a'), settings)
  stampRun(objects, task('run-a'))
  t.same(runOf(objects.pod), { guid: 'Task_1', runId: 'run-a' })
  t.ok(isRunOf(objects.pod, 'Task_1', 'run-a'))
  t.notOk(isRunOf(objects.pod, 'Task_1', 'run-b'), 'never taken for another run of the guid')
  t.notOk(isRunOf(objects.pod, 'task-1', 'run-a'), 'nor for another guid')
  const unstamped = taskObjects({ ...task('x'), runId: undefined }, settings)
  t.same(runOf(unstamped.pod), { guid: 'Task_1', runId: '' }, 'a pod made without a run has run id ""')
  t.same(runOf({ metadata: { name: 'not-a-task' } }), undefined)
})
