/**
 * The conformance table against the Kubernetes executor. For each case the
 * executor builds the pod and creates it on the test control plane, whose API
 * server must accept it. kwok runs no containers, so the test plays the
 * kubelet: it runs the real runner (runner/build.sh) as a process on the spec
 * read back from the created pod's annotation and with the env of its `task`
 * container, makes the runner's stdout the pod's container log as it is
 * written (kwok's Logs resource), and its outcome the container's termination
 * message (pods/status, as the kubelet writes it). The executor's `completed`
 * event and log events must be what the table says.
 *
 * What this cannot show: the downwardAPI projection and the install-runner
 * copy happen in a kubelet, so the spec is handed to the runner by the test
 * (from the pod's annotation, byte for byte), and the runner runs with a
 * temporary directory as its root (--root), as root, on this machine.
 */
import type { V1Pod } from '@kubernetes/client-node'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import t from 'tap'
import type { ExecutorEvent } from '../../src/executors/executor.ts'
import { ANNOTATIONS, podName } from '../../src/executors/kubernetes/names.ts'
import { DEFAULT_POD_LOG_LINE, type FakeContainerLog, eventually, fakeContainerLog, recordEvents, testCluster, testExecutor, testNamespace } from '../helpers/cluster.ts'
import { caseGuid, definitionOf, expectationFor, materialize } from './case-types.ts'
import { CANCEL_CASE, CASES } from './cases.ts'
import { compareOutcome, processGone } from './compare.ts'
import { startFixtures } from './fixtures.ts'

const repo = new URL('../../', import.meta.url).pathname

function sh (file: string, args: string[]): Promise<{ code: number | null, out: string }> {
  return new Promise(resolve => {
    const child = spawn(file, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', d => { out += d })
    child.stderr.on('data', d => { out += d })
    child.on('close', code => resolve({ code, out }))
  })
}

const base = await mkdtemp(join(tmpdir(), 'taskbbs-k8s-conformance-'))
t.teardown(() => rm(base, { recursive: true, force: true }))
const binary = join(base, 'taskbbs-runner')
let skip: string | false = false
if (!existsSync(join(repo, 'runner/build.sh'))) {
  skip = 'runner/build.sh is missing: the runner is not in this checkout'
} else {
  const built = await sh('bash', ['runner/build.sh', binary])
  if (built.code !== 0) {
    if (/Go is not installed/.test(built.out)) skip = `Go is missing, so the runner cannot be built: ${built.out.trim()}`
    else t.fail(`runner/build.sh failed: ${built.out}`)
  }
}

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'conformance')
// The pods stay Running until the test writes the runner's outcome.
const executor = testExecutor(t, cluster, namespace, { decoratePod: pod => { pod.metadata!.annotations!['taskbbs.test/run-forever'] = 'true' } })
const events = recordEvents(executor)
const fixtures = await startFixtures()
t.teardown(() => fixtures.close())
const asRoot = process.getuid?.() === 0

/** Lines of a stream as they come, in order, each passed on once complete. */
function lines (stream: NodeJS.ReadableStream, each: (lines: string[]) => Promise<void>): Promise<void> {
  let pending = ''
  let chain = Promise.resolve()
  // One decoder for the stream: a character split across two reads stays whole.
  const decoder = new StringDecoder('utf8')
  stream.on('data', (d: Buffer) => {
    pending += decoder.write(d)
    const cut = pending.lastIndexOf('\n')
    if (cut < 0) return
    const complete = pending.slice(0, cut).split('\n')
    pending = pending.slice(cut + 1)
    chain = chain.then(() => each(complete))
  })
  return new Promise(resolve => stream.on('end', () => {
    if (pending) chain = chain.then(() => each([pending]))
    resolve(chain)
  }))
}

/** What the kubelet would do with the pod: run its container's command (the runner) and report how it ended. */
async function playKubelet (pod: V1Pod, guid: string, log: FakeContainerLog): Promise<{ elapsedMs: number, root: string, code: number | null }> {
  const container = pod.spec!.containers.find(c => c.name === 'task')!
  t.same(container.command, ['/taskbbs/bin/taskbbs-runner', 'run', '--spec', '/taskbbs/spec/spec.json'])
  const root = join(base, guid)
  await mkdir(root)
  const specFile = join(base, `${guid}.spec.json`)
  const termLog = join(base, `${guid}.termination-log`)
  await writeFile(specFile, pod.metadata!.annotations![ANNOTATIONS.runnerSpec])
  await writeFile(termLog, '')
  const env = Object.fromEntries((container.env ?? []).map(e => [e.name, e.value ?? '']))
  const started = performance.now()
  const child = spawn(binary, ['run', '--spec', specFile, '--root', root, '--termination-log', termLog], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  // A deleted pod's containers get SIGTERM (the runner then reports "task was cancelled").
  let deleted = false
  const watcher = setInterval(() => {
    cluster.core.readNamespacedPod({ name: pod.metadata!.name!, namespace })
      .then(p => p.metadata?.deletionTimestamp !== undefined, (err: { code?: number }) => err.code === 404)
      .then(gone => {
        if (gone && !deleted) {
          deleted = true
          child.kill('SIGTERM')
        }
      }, () => {})
  }, 100)
  const [code] = await Promise.all([
    new Promise<number | null>(resolve => child.on('close', resolve)),
    lines(child.stdout, l => log.write(...l)),
    lines(child.stderr, l => log.writeStderr(...l))
  ])
  clearTimeout(killer)
  clearInterval(watcher)
  const elapsedMs = performance.now() - started
  if (deleted) return { elapsedMs, root, code }
  const current = await cluster.core.readNamespacedPod({ name: pod.metadata!.name!, namespace })
  const exitCode = code ?? 137
  const message = await readFile(termLog, 'utf8')
  current.status = {
    ...current.status,
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    containerStatuses: current.status!.containerStatuses!.map(s => ({ ...s, ready: false, started: false, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message, startedAt: new Date(), finishedAt: new Date() } } }))
  }
  await cluster.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace, body: current })
  return { elapsedMs, root, code }
}

t.test('the conformance table on the Kubernetes executor', { skip }, async t => {
  for (const [i, raw] of CASES.entries()) {
    // The runner's known gaps are this target's too: it runs the same runner.
    const gap = raw.knownGaps?.kubernetes ?? raw.knownGaps?.runner ?? false
    await t.test(raw.name, { todo: gap }, async t => {
      const c = materialize(raw, fixtures.base)
      const guid = caseGuid(i, 'k8s')
      const def = definitionOf(c, guid)
      t.same(executor.unsupported(def), [], 'accepted at desire time')
      // The pod's own log exists before the executor follows it.
      const log = await fakeContainerLog(t, cluster, namespace, podName(guid))
      await executor.start({ guid, domain: def.domain, definition: def })
      t.teardown(() => executor.cleanup(guid).catch(() => {}))
      const pod = await eventually(`${guid} to run`, async () => {
        const p = await cluster.core.readNamespacedPod({ name: podName(guid), namespace })
        return p.status?.phase === 'Running' ? p : undefined
      })
      const { elapsedMs } = await playKubelet(pod, guid, log)
      const done = await events.next(guid, 'completed', 30_000)
      const logs = events.of(guid).filter((e): e is Extract<ExecutorEvent, { type: 'log' }> => e.type === 'log')
        // kwok reads the pod's own Logs resource through an informer: under
        // load the executor's first read can come before that and get the
        // test cluster's shared default log line. The runner's frames are read
        // from the pod's own file all the same (at the latest when the pod
        // ends), so only that simulator line is set aside here.
        .filter(l => l.line !== DEFAULT_POD_LOG_LINE)
      compareOutcome(t, expectationFor(c, asRoot), {
        failed: done.failed,
        failure_reason: done.failureReason,
        result: done.result,
        logs: logs.map(l => ({ fd: l.stream, source: l.source, line: l.line })),
        elapsedMs,
        uploads: fixtures.uploads
      })
      const seqs = logs.map(l => l.seq).filter(s => s !== undefined)
      t.ok(seqs.every((s, j) => j === 0 || s > seqs[j - 1]), 'frames in order, none twice', { seqs })
    })
  }

  await t.test(CANCEL_CASE.name, async t => {
    const guid = 'k8s-cancel'
    const def = definitionOf(CANCEL_CASE, guid)
    const log = await fakeContainerLog(t, cluster, namespace, podName(guid))
    await executor.start({ guid, domain: def.domain, definition: def })
    t.teardown(() => executor.cleanup(guid).catch(() => {}))
    const pod = await eventually(`${guid} to run`, async () => {
      const p = await cluster.core.readNamespacedPod({ name: podName(guid), namespace })
      return p.status?.phase === 'Running' ? p : undefined
    })
    const kubelet = playKubelet(pod, guid, log)
    await eventually('"started" in the live log', async () => events.of(guid).some(e => e.type === 'log' && e.line === CANCEL_CASE.startedLine) || undefined, 20_000)
    await executor.cancel(guid)
    const done = await events.next(guid, 'completed')
    const run = await kubelet
    t.equal(run.code, 1, 'the runner got SIGTERM when its pod was deleted, and ended the task')
    const logs = events.of(guid).filter((e): e is Extract<ExecutorEvent, { type: 'log' }> => e.type === 'log')
      .filter(l => l.line !== DEFAULT_POD_LOG_LINE)
    compareOutcome(t, CANCEL_CASE.expect, {
      failed: done.failed,
      failure_reason: done.failureReason,
      result: done.result,
      logs: logs.map(l => ({ fd: l.stream, source: l.source, line: l.line })),
      elapsedMs: run.elapsedMs,
      uploads: fixtures.uploads
    })
    const pid = Number(await readFile(join(run.root, CANCEL_CASE.pidFile), 'utf8'))
    t.ok(await processGone(pid), `the background process ${pid} was stopped`)
  })
})
