/**
 * The local executor ignores nothing silently: cached_dependencies and
 * image_layers are downloaded before the action; volume_mounts, placement_tags
 * and the kubernetes block, which only Kubernetes can apply, are named in one
 * system line at the top of the task's log (the same definition must be
 * desirable on both executors, so they are not refused).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import type { ExecutorEvent } from '../../../src/executors/executor.ts'
import { LocalExecutor } from '../../../src/executors/local/index.ts'
import { digest, startFixtures } from '../../conformance/fixtures.ts'

const fixtures = await startFixtures()
t.teardown(() => fixtures.close())
const workDir = await mkdtemp(join(tmpdir(), 'taskbbs-local-fields-'))
t.teardown(() => rm(workDir, { recursive: true, force: true }))
const executor = new LocalExecutor({ workDir })
const events: ExecutorEvent[] = []
executor.observe(e => events.push(e))

let n = 0
async function runTask (fields: Partial<TaskDefinition>) {
  const guid = `fields-${++n}`
  const definition: TaskDefinition = {
    guid, domain: 'd', root_fs: 'docker:///library/busybox#latest',
    action: { run: { path: 'sh', args: ['-c', 'echo action ran'], user: 'root' } },
    ...fields
  }
  await executor.start({ guid, domain: 'd', definition })
  const deadline = Date.now() + 30000
  let done: ExecutorEvent | undefined
  while (!(done = events.find(e => e.type === 'completed' && e.guid === guid))) {
    if (Date.now() > deadline) throw new Error(`${guid} did not complete`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  const logs = events.flatMap(e => e.type === 'log' && e.guid === guid ? [`${e.stream} ${e.source} ${e.line}`] : [])
  return { guid, done: done as Extract<ExecutorEvent, { type: 'completed' }>, logs }
}

const volume = { driver: 'nfs', container_dir: '/mnt/data', mode: 'rw' as const, shared: { volume_id: 'claim-1' } }

t.test('volume_mounts, placement_tags and kubernetes are named in one system line, first in the log; the task still runs', async t => {
  const { done, logs } = await runTask({
    log_source: 'APP',
    volume_mounts: [volume],
    placement_tags: ['gpu'],
    kubernetes: { node_selector: [{ key: 'pool', value: 'a' }] }
  })
  t.equal(done.failed, false)
  t.same(logs, [
    'system APP the local executor does not apply volume_mounts, placement_tags, kubernetes: they take effect on the Kubernetes executor only',
    'stdout APP action ran'
  ])
})

t.test('the line names only the fields the task sets', async t => {
  t.same((await runTask({ placement_tags: ['a', 'b'] })).logs[0],
    'system TASK the local executor does not apply placement_tags: it takes effect on the Kubernetes executor only')
  t.same((await runTask({ kubernetes: { node_selector: [{ key: 'pool', value: 'a' }] }, volume_mounts: [volume] })).logs[0],
    'system TASK the local executor does not apply volume_mounts, kubernetes: they take effect on the Kubernetes executor only')
})

t.test('empty lists and an empty kubernetes block change nothing and are not named', async t => {
  const { logs } = await runTask({ placement_tags: [], volume_mounts: [], kubernetes: {} })
  t.same(logs, ['stdout TASK action ran'])
})

t.test('cached_dependencies and image_layers are downloaded, verified, before the action, which sees their files', async t => {
  const { done, logs } = await runTask({
    cached_dependencies: [{ name: 'bits', from: `${fixtures.base}/app.tgz`, to: '/deps', cache_key: 'k', checksum_algorithm: 'sha1', checksum_value: digest('/app.tgz', 'sha1') }],
    image_layers: [{ name: 'layer', url: `${fixtures.base}/layer.tar`, destination_path: '/layer-root', layer_type: 'EXCLUSIVE', media_type: 'TAR', digest_algorithm: 'SHA256', digest_value: digest('/layer.tar', 'sha256') }],
    action: { run: { path: 'sh', args: ['-c', 'cat deps/app/hello.txt layer-root/layer/marker.txt > seen.txt'], user: 'root' } },
    result_file: 'seen.txt'
  })
  t.equal(done.failed, false, done.failureReason)
  t.equal(done.result, 'hello from the archive\nlayer marker\n')
  t.same(logs, ['system TASK Downloading bits...', 'system TASK Downloaded bits', 'system TASK Downloading layer...', 'system TASK Downloaded layer'])
})

t.test('a cached dependency that fails its checksum fails the task before the action runs', async t => {
  const { done, guid } = await runTask({
    cached_dependencies: [{ from: `${fixtures.base}/file.txt`, to: '/deps', cache_key: 'k', checksum_algorithm: 'md5', checksum_value: '0'.repeat(32) }],
    action: { run: { path: 'sh', args: ['-c', 'echo ran > ran.txt'], user: 'root' } }
  })
  t.equal(done.failed, true)
  t.equal(done.failureReason, `download: checksum mismatch: md5 is ${digest('/file.txt', 'md5')}, expected ${'0'.repeat(32)}`)
  const taskDir = (await readdir(workDir)).find(d => d.startsWith(`${guid}-`))
  t.ok(taskDir, 'the task directory exists until cleanup')
  await t.rejects(readFile(join(workDir, taskDir!, 'ran.txt')), { code: 'ENOENT' }, 'the action never ran')
})
