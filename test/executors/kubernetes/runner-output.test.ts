/**
 * The runner's output through the real API server and kwok's log endpoint:
 * frames are followed live while the pod runs and read back when it ends,
 * the result comes only from the frame whose digest the termination message
 * names. kwok runs no containers, so the test writes what the runner would
 * (runner/PROTOCOL.md): frames into the container log kwok serves for the
 * pod (its Logs resource), and the outcome into the container's termination
 * message through the pods/status subresource, as the kubelet does.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node'
import { createHash } from 'node:crypto'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import type { ExecutorEvent } from '../../../src/executors/executor.ts'
import type { KubernetesExecutor } from '../../../src/executors/kubernetes/index.ts'
import type { LogFollower } from '../../../src/executors/kubernetes/log-follow.ts'
import { podName } from '../../../src/executors/kubernetes/names.ts'
import { annotate, eventually, fakeContainerLog, recordEvents, testCluster, testExecutor, testNamespace, DEFAULT_POD_LOG_LINE } from '../../helpers/cluster.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'runner-output')
const executor = testExecutor(t, cluster, namespace)
const events = recordEvents(executor)

let n = 0
const forever = annotate({ 'taskbbs.test/run-forever': 'true' })
const definition = (guid: string, extra: Record<string, unknown> = {}) =>
  ({ guid, domain: 'out', root_fs: 'docker:///busybox', action: { run: { path: '/bin/task', user: 'root' } }, env: forever, ...extra }) as TaskDefinition
const readPod = (guid: string) => cluster.core.readNamespacedPod({ name: podName(guid), namespace })
const running = (guid: string) => eventually(`${guid} to run`, async () => (await readPod(guid)).status?.phase === 'Running' || undefined)
const frame = (seq: number, fd: string, line: string, src?: string) => JSON.stringify(src ? { seq, fd, src, line } : { seq, fd, line })
const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const logLines = (guid: string, from = events.events) => from.filter((e): e is Extract<ExecutorEvent, { type: 'log' }> => e.guid === guid && e.type === 'log' && e.line !== DEFAULT_POD_LOG_LINE)

/** The runner's outcome, written where the kubelet puts a termination message, and the pod finished. */
async function runnerEnds (guid: string, outcome: Record<string, unknown>, exitCode = 0) {
  const pod = await readPod(guid)
  const containerStatuses: V1ContainerStatus[] = pod.status!.containerStatuses!.map(s => ({
    ...s, ready: false, started: false, state: { terminated: { exitCode, startedAt: new Date(), finishedAt: new Date(), message: JSON.stringify({ v: 1, failed: false, failure_reason: '', ...outcome }) } }
  }))
  pod.status = { ...pod.status, phase: exitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses } as V1Pod['status']
  await cluster.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace, body: pod })
}

/** Starts a task whose container log the test writes. */
async function startWithLog (extra: Record<string, unknown> = {}, on: KubernetesExecutor = executor, guid = `out-${++n}`) {
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid))
  await on.start({ guid, domain: 'out', definition: definition(guid, extra) })
  t.teardown(() => on.cleanup(guid).catch(() => {}))
  await running(guid)
  return { guid, log }
}

t.test('while the pod runs, its output arrives as it is written: stdout, stderr and system apart, each with its source and frame number', async t => {
  const { guid, log } = await startWithLog({ log_source: 'STG' })
  await log.write(frame(1, 'system', 'Downloading app...'), frame(2, 'stdout', 'hello'), frame(3, 'stderr', 'warning: x', 'APP'))
  await eventually('the first lines', async () => logLines(guid).length >= 3 || undefined)
  t.equal((await readPod(guid)).status!.phase, 'Running', 'seen before the pod ended')
  t.same(logLines(guid).map(({ stream, source, line, seq }) => ({ stream, source, line, seq })), [
    { stream: 'system', source: 'STG', line: 'Downloading app...', seq: 1 },
    { stream: 'stdout', source: 'STG', line: 'hello', seq: 2 },
    { stream: 'stderr', source: 'APP', line: 'warning: x', seq: 3 }
  ])
  await log.write('printed straight to the container\'s stdout', frame(4, 'stdout', 'bye'))
  await eventually('the next lines', async () => logLines(guid).length >= 5 || undefined)
  t.match(logLines(guid).slice(3), [{ stream: 'stdout', source: 'STG', line: 'printed straight to the container\'s stdout', seq: undefined }, { line: 'bye', seq: 4 }])
  await runnerEnds(guid, { frames: 4 })
  t.match(await events.next(guid, 'completed'), { failed: false, result: '' })
  t.equal(logLines(guid).length, 5, 'nothing read twice at the end')
})

t.test('a follow stream that drops is opened again: no line lost, none repeated', async t => {
  const { guid, log } = await startWithLog()
  await log.write(frame(1, 'stdout', 'one'), 'plain line', frame(2, 'stdout', 'two'))
  await eventually('the first lines', async () => logLines(guid).length >= 3 || undefined)
  const follower = (executor as unknown as { tracked: Map<string, { follower?: LogFollower }> }).tracked.get(guid)!.follower!
  const abort = (follower as unknown as { abort: AbortController }).abort
  abort.abort()
  await log.write(frame(3, 'stdout', 'three'), 'another plain line')
  await eventually('a new stream', async () => (follower as unknown as { abort: AbortController }).abort !== abort || undefined)
  await log.write(frame(4, 'stderr', 'four'))
  await eventually('every line', async () => logLines(guid).length >= 6 || undefined, 20_000)
  await runnerEnds(guid, { frames: 4 })
  await events.next(guid, 'completed')
  t.same(logLines(guid).map(l => l.line), ['one', 'plain line', 'two', 'three', 'another plain line', 'four'])
})

t.test('a result of 10,240 bytes round-trips: the result frame whose length and digest the outcome names', async t => {
  const result = 'é'.repeat(5000) + '"\n\\'.repeat(80)
  t.equal(Buffer.byteLength(result), 10240)
  const { guid, log } = await startWithLog({ result_file: '/out/result.txt' })
  await log.write(frame(1, 'stdout', 'working'), JSON.stringify({ seq: 2, result }))
  await runnerEnds(guid, { frames: 2, result_bytes: 10240, result_sha256: sha(result) })
  const done = await events.next(guid, 'completed')
  t.equal(done.result, result)
  t.equal(done.failed, false)
  t.same(logLines(guid).map(l => l.line), ['working'], 'the result frame is no log line')
})

t.test('forged frames in the output change nothing: not the result, not failed, not the reason', async t => {
  const { guid, log } = await startWithLog({ result_file: 'r.txt' })
  await log.write(
    frame(1, 'stdout', '{"seq":2,"result":"forged inside a frame"}'),
    '{"seq":2,"result":"forged"}',
    '{"v":1,"failed":true,"failure_reason":"forged","frames":2}',
    frame(2, 'stdout', 'real output'),
    '{"seq":3,"result":"forged again"}',
    JSON.stringify({ seq: 3, result: '42\n' })
  )
  await runnerEnds(guid, { frames: 3, result_bytes: 3, result_sha256: sha('42\n') })
  t.match(await events.next(guid, 'completed'), { failed: false, failureReason: '', result: '42\n' })
})

t.test('a task whose result frame is missing fails, saying so', async t => {
  const { guid, log } = await startWithLog({ result_file: 'r.txt' })
  await log.write(frame(1, 'stdout', 'x'), '{"seq":2,"result":"not it"}')
  await runnerEnds(guid, { frames: 2, result_bytes: 3, result_sha256: sha('42\n') })
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: /^the result could not be read back: the container log holds no result frame of 3 bytes/ })
})

t.test('the runner\'s failure is the task\'s failure, with its reason; a missing result_file is the runner\'s to report', async t => {
  const { guid, log } = await startWithLog({ result_file: 'missing.txt' })
  await log.write(frame(1, 'stdout', 'done'))
  await runnerEnds(guid, { failed: true, failure_reason: 'failed to read result_file missing.txt: ENOENT', frames: 1 }, 1)
  t.match(await events.next(guid, 'completed'), { failed: true, failureReason: 'failed to read result_file missing.txt: ENOENT', result: '' })
})

t.test('past the stream bound, a task\'s output is read when it ends: the whole log when its end does not reach back, in order, once', async t => {
  const bounded = testExecutor(t, cluster, namespace, { logStreams: 0 })
  const seen = recordEvents(bounded)
  const guid = `out-${++n}`
  const { log } = await startWithLog({ result_file: 'r.txt' }, bounded, guid)
  const lines: string[] = []
  for (let i = 1; i <= 60; i++) lines.push(frame(i, i % 2 ? 'stdout' : 'stderr', `frame ${i}`), `plain ${i}`)
  await log.write(...lines, JSON.stringify({ seq: 61, result: 'ok' }))
  await runnerEnds(guid, { frames: 61, result_bytes: 2, result_sha256: sha('ok') })
  t.match(await seen.next(guid, 'completed'), { failed: false, result: 'ok' })
  const got = logLines(guid, seen.events)
  t.equal(got.length, 120)
  t.same(got.slice(0, 4).map(l => [l.stream, l.line]), [['stdout', 'frame 1'], ['stdout', 'plain 1'], ['stderr', 'frame 2'], ['stdout', 'plain 2']])
  t.same(got.filter(l => l.seq !== undefined).map(l => l.seq), Array.from({ length: 60 }, (_, i) => i + 1))
})

t.test('with one stream for two running tasks, the second is followed live once the first has ended', async t => {
  const one = testExecutor(t, cluster, namespace, { logStreams: 1 })
  const seen = recordEvents(one)
  const a = await startWithLog({}, one)
  await a.log.write(frame(1, 'stdout', 'a1'))
  await eventually('a followed', async () => logLines(a.guid, seen.events).length >= 1 || undefined)
  const b = await startWithLog({}, one)
  await b.log.write(frame(1, 'stdout', 'b1'))
  await new Promise(resolve => setTimeout(resolve, 1500))
  t.same(logLines(b.guid, seen.events), [], 'b waits for the stream')
  await runnerEnds(a.guid, { frames: 1 })
  await seen.next(a.guid, 'completed')
  await eventually('b followed', async () => logLines(b.guid, seen.events).length >= 1 || undefined)
  t.equal((await readPod(b.guid)).status!.phase, 'Running', 'live, before b ended')
  await runnerEnds(b.guid, { frames: 1 })
  await seen.next(b.guid, 'completed')
  t.same(logLines(b.guid, seen.events).map(l => l.line), ['b1'])
})

t.test('logsSeen: an executor taking over a running task reports only the frames after those already recorded', async t => {
  const guid = `out-${++n}`
  const log = await fakeContainerLog(t, cluster, namespace, podName(guid))
  await log.write(frame(1, 'stdout', 'recorded before'), frame(2, 'stdout', 'recorded too'), frame(3, 'stdout', 'new'))
  const other = testExecutor(t, cluster, namespace)
  const seen = recordEvents(other)
  await other.start({ guid, domain: 'out', definition: definition(guid), logsSeen: 2 })
  t.teardown(() => other.cleanup(guid).catch(() => {}))
  await running(guid)
  await runnerEnds(guid, { frames: 3 })
  await seen.next(guid, 'completed')
  t.same(logLines(guid, seen.events).map(l => [l.line, l.seq]), [['new', 3]])
})
