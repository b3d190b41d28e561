/**
 * Diego fields the local executor honours beyond the action tree:
 * volume_mounted_files written into the container before the action runs, and
 * log_rate_limit dropping log lines past the budget with one notice.
 */
import t from 'tap'
import { LocalExecutor, logRateLimiter } from '../../../src/executors/local/index.ts'
import type { ExecutorEvent } from '../../../src/executors/executor.ts'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'

function runTask (definition: Partial<TaskDefinition>): Promise<ExecutorEvent[]> {
  const executor = new LocalExecutor()
  const guid = `fields-${Math.random().toString(36).slice(2, 8)}`
  const events: ExecutorEvent[] = []
  return new Promise(resolve => {
    executor.observe(e => {
      events.push(e)
      if (e.type === 'completed') executor.cleanup(guid).then(() => resolve(events))
    })
    void executor.start({ guid, domain: 'd', definition: { guid, domain: 'd', root_fs: 'docker:///busybox', ...definition } as TaskDefinition })
  })
}

t.test('volume_mounted_files are in /etc/cf-service-bindings of the container before the action runs', async t => {
  const events = await runTask({
    volume_mounted_files: [{ path: 'db/username', content: 'admin' }, { path: '/db/password', content: 's3cret' }],
    action: { run: { path: 'sh', args: ['-c', 'cat "$TASKBBS_TASK_DIR/etc/cf-service-bindings/db/username" "$TASKBBS_TASK_DIR/etc/cf-service-bindings/db/password" > result.txt; stat -c %a "$TASKBBS_TASK_DIR/etc/cf-service-bindings/db/password" >> result.txt'], user: 'root' } },
    result_file: 'result.txt'
  })
  t.match(events.at(-1), { type: 'completed', failed: false, result: 'admins3cret600\n' })
})

t.test('log_rate_limit: lines past bytes_per_second are dropped, with one notice', async t => {
  const events = await runTask({
    log_rate_limit: { bytes_per_second: 20 },
    log_source: 'APP',
    action: { run: { path: 'sh', args: ['-c', 'for i in 1 2 3 4 5 6 7 8; do echo line-$i; done'], user: 'root' } }
  })
  const lines = events.filter(e => e.type === 'log').map(e => (e as { line: string }).line)
  t.same(lines.filter(l => l.startsWith('line-')), ['line-1', 'line-2'], '7 bytes a line with its newline: two fit in 20')
  t.same(lines.filter(l => l.includes('exceeded log rate limit')), ['APP exceeded log rate limit (20 bytes/sec)'])
})

t.test('the limiter starts a new budget each second; -1 and absent mean no limit', async t => {
  let now = 0
  const notices: string[] = []
  const keep = logRateLimiter(10, 'S', l => notices.push(l), () => now)
  t.same(['aaaa', 'bbbb', 'cccc'].map(keep), [true, true, false])
  now = 1000
  t.same(['dddd', 'eeee', 'ffff'].map(keep), [true, true, false])
  t.equal(notices.length, 2, 'one notice per window')
  t.ok(logRateLimiter(-1, 'S', () => {})('x'.repeat(1e6)))
  t.ok(logRateLimiter(undefined, 'S', () => {})('x'.repeat(1e6)))
})
