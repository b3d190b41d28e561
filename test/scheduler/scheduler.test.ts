import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { taskDefinition, testApp } from '../helpers/app.ts'
import { run, sh, testScheduler, waitForTask } from '../helpers/scheduler.ts'

const h = await testApp(t)
const { scheduler } = await testScheduler(t, h)

async function desire (def: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition(def) })
  if (res.statusCode !== 201) throw new Error(`desire failed: ${res.body}`)
  return res.json().guid as string
}
const completed = (task: { state: string } | undefined) => task?.state === 'COMPLETED'

t.test('a run task goes PENDING → RUNNING → COMPLETED with the first bytes of result_file as its result', async t => {
  const guid = await desire({ action: sh('sleep 0.3; printf 42 > out.txt'), result_file: '/out.txt' })
  const running = await waitForTask(h.pool, guid, task => task?.state === 'RUNNING')
  t.match(running, { state: 'RUNNING', cell_id: /^cell-/ })
  const done = await waitForTask(h.pool, guid, completed)
  t.match(done, { failed: false, failure_reason: '', result: '42' })
  t.ok(done!.first_completed_at)
})

t.test('result keeps only the first 10 KB of result_file', async t => {
  const guid = await desire({ action: sh('head -c 20000 /dev/zero | tr "\\0" x > big.txt'), result_file: 'big.txt' })
  const done = await waitForTask(h.pool, guid, completed)
  t.equal(done!.result.length, 10240)
})

t.test('a missing result_file fails the task naming the file', async t => {
  const guid = await desire({ action: sh('true'), result_file: 'nope.txt' })
  const done = await waitForTask(h.pool, guid, completed)
  t.match(done, { failed: true, failure_reason: /result_file nope\.txt.*ENOENT/ })
})

t.test('a non-zero exit completes the task failed, naming the action and the status', async t => {
  const guid = await desire({ action: sh('exit 3') })
  const done = await waitForTask(h.pool, guid, completed)
  t.match(done, { failed: true, failure_reason: 'run sh: exited with status 3', result: '' })
})

t.test('a command that does not exist fails with the reason', async t => {
  const guid = await desire({ action: run('/no/such/binary') })
  t.match(await waitForTask(h.pool, guid, completed), { failed: true, failure_reason: 'run /no/such/binary: could not start: ENOENT' })
})

t.test('timeout fails the inner action after timeout_ms and kills it', async t => {
  const guid = await desire({ action: { timeout: { action: run('sleep', ['30']), timeout_ms: 200 } } })
  const done = await waitForTask(h.pool, guid, completed)
  t.match(done, { failed: true, failure_reason: 'exceeded 200ms timeout' })
})

t.test('cancelling a RUNNING task kills its process and leaves it COMPLETED "task was cancelled"', async t => {
  const pidFile = join(tmpdir(), `taskbbs-cancel-${process.pid}.pid`)
  const guid = await desire({ action: sh(`echo $$ > ${pidFile}; exec sleep 30`) })
  await waitForTask(h.pool, guid, task => task?.state === 'RUNNING')
  let pid = 0
  for (let i = 0; i < 200 && !pid; i++) {
    pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || 0
    if (!pid) await new Promise(r => setTimeout(r, 20))
  }
  t.ok(pid > 0, 'the process started')
  const res = await h.app.inject({ method: 'POST', url: `/v1/tasks/${guid}/cancel` })
  t.match(res.json(), { state: 'COMPLETED', failed: true, failure_reason: 'task was cancelled' })
  const alive = () => { try { process.kill(pid, 0); return true } catch { return false } }
  for (let i = 0; i < 150 && alive(); i++) await new Promise(r => setTimeout(r, 20))
  t.notOk(alive(), 'the process was killed')
  t.match(await waitForTask(h.pool, guid, completed), { failure_reason: 'task was cancelled' }, 'the cancel is not overwritten by the killed run')
})

t.test('serial stops at the first failure', async t => {
  const marker = join(tmpdir(), `taskbbs-serial-${process.pid}`)
  const guid = await desire({ action: { serial: { actions: [sh('true'), sh('exit 7'), sh(`touch ${marker}`)] } } })
  t.match(await waitForTask(h.pool, guid, completed), { failed: true, failure_reason: 'run sh: exited with status 7' })
  t.notOk(existsSync(marker), 'the action after the failure did not run')
})

t.test('parallel runs all actions at once and fails if any failed, after all finished', async t => {
  const guid = await desire({
    action: { parallel: { actions: [sh('sleep 0.3; echo a > a.txt'), sh('exit 2'), sh('sleep 0.3; cat a.txt > b.txt')] } },
    result_file: 'a.txt'
  })
  const done = await waitForTask(h.pool, guid, completed)
  t.match(done, { failed: true, failure_reason: 'run sh: exited with status 2' })
})

t.test('try swallows the failure of its action', async t => {
  const guid = await desire({ action: { serial: { actions: [{ try: { action: sh('exit 1') } }, sh('echo ok > r')] } }, result_file: 'r' })
  t.match(await waitForTask(h.pool, guid, completed), { failed: false, result: 'ok\n' })
})

t.test('codependent stops the other actions when one exits', async t => {
  const start = Date.now()
  const guid = await desire({ action: { codependent: { actions: [run('sleep', ['30']), sh('exit 0')] } } })
  t.match(await waitForTask(h.pool, guid, completed), { failed: false })
  t.ok(Date.now() - start < 10000, 'the long action did not run to its end')
})

t.test('nested composite actions: emit_progress around serial of parallel and try', async t => {
  const guid = await desire({
    action: {
      emit_progress: {
        start_message: 'starting', success_message: 'done', failure_message_prefix: 'Failed to run',
        action: { serial: { actions: [{ parallel: { actions: [sh('echo 1 > one'), sh('echo 2 > two')] } }, { try: { action: sh('exit 9') } }, sh('exit 4')] } }
      }
    }
  })
  t.match(await waitForTask(h.pool, guid, completed), { failed: true, failure_reason: 'Failed to run: run sh: exited with status 4' })
})

t.test('logs: stdout and stderr lines are readable with log_source applied', async t => {
  const guid = await desire({
    log_source: 'APP',
    action: { serial: { actions: [sh('echo out-line; echo err-line >&2'), { run: { path: 'sh', args: ['-c', 'echo staged'], user: 'root', log_source: 'STG' } }] } }
  })
  await waitForTask(h.pool, guid, completed)
  const res = await h.app.inject({ method: 'GET', url: `/v1/tasks/${guid}/logs` })
  t.equal(res.statusCode, 200)
  const lines = res.json().lines.map((l: { source: string, stream: string, line: string }) => [l.source, l.stream, l.line])
  t.same(lines.sort(), [['APP', 'stderr', 'err-line'], ['APP', 'stdout', 'out-line'], ['STG', 'stdout', 'staged']])
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/tasks/nope/logs' })).statusCode, 404)
})

t.test('a desire wakes the scheduler through NOTIFY, not the poll', async t => {
  // The poll interval of this scheduler is a minute: only the NOTIFY path can make this task run.
  const before = { ...scheduler.stats.wakeups }
  const guid = await desire({ action: sh('true') })
  await waitForTask(h.pool, guid, completed)
  t.ok(scheduler.stats.wakeups.notify > before.notify, 'woken by a notification')
  t.equal(scheduler.stats.wakeups.poll, before.poll, 'not by the poll')
})

t.test('memory_mb is applied to run processes', async t => {
  const guid = await desire({ memory_mb: 64, action: run('python3', ['-c', 'b = bytearray(512 * 1024 * 1024)']) })
  t.match(await waitForTask(h.pool, guid, completed), { failed: true, failure_reason: /^run python3: exited with status [1-9]/ })
  const ok = await desire({ memory_mb: 1024, action: run('python3', ['-c', 'b = bytearray(64 * 1024 * 1024)']) })
  t.match(await waitForTask(h.pool, ok, completed), { failed: false }, 'within the limit it runs')
})
