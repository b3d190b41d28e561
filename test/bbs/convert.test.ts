/**
 * One domain model, two wire formats: a definition converts to BBS's
 * TaskDefinition and back without loss, through real protobuf bytes, and
 * proto3 zero values become absent fields as BBS reads them.
 */
import t from 'tap'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { definitionFromProto, definitionToProto, nanos, taskToProto } from '../../src/bbs/convert.ts'
import { TaskDefinitionSchema, Task_State } from '../../src/bbs/gen/task_pb.ts'
import type { StoredDefinition } from '../../src/domain/task-definition.ts'
import type { Task } from '../../src/domain/task.ts'

const full: StoredDefinition = {
  guid: 'g-1',
  domain: 'd',
  root_fs: 'docker:///library/busybox#latest',
  image_username: 'user',
  env: [{ name: 'A', value: '1' }, { name: 'EMPTY', value: '' }],
  cached_dependencies: [{ name: 'dep', from: 'http://x/dep.tgz', to: '/deps', cache_key: 'k', log_source: 'DEP', checksum_algorithm: 'sha256', checksum_value: 'abc' }],
  image_layers: [{ url: 'http://x/l.tgz', destination_path: '/l', layer_type: 'SHARED', media_type: 'TAR' }],
  trusted_system_certificates_path: '/certs',
  volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'r', shared: { volume_id: 'v' } }],
  placement_tags: ['a', 'b'],
  cpu_weight: 100,
  disk_mb: 1,
  max_pids: 2,
  memory_mb: 3,
  privileged: true,
  action: {
    codependent: {
      actions: [
        { download: { from: 'http://x/a', to: '/a', user: 'u', cache_key: 'c', artifact: 'art', checksum_algorithm: 'md5', checksum_value: 'v', log_source: 'L' } },
        { upload: { from: '/f', to: 'http://x/up', user: 'u', artifact: 'up' } },
        { emit_progress: { action: { try: { action: { parallel: { actions: [{ run: { path: 'p', user: 'u', args: ['x'], dir: '/w', suppress_log_output: true, resource_limits: { nofile: 64 }, volume_mounted_files: [{ path: 'f', content: 'c' }] } }] } } } }, start_message: 's', success_message: 'ok', failure_message_prefix: 'f' } },
        { timeout: { action: { serial: { actions: [{ run: { path: 'q', user: 'u' } }], log_source: 'S' } }, timeout_ms: 1500 } }
      ]
    }
  },
  result_file: 'r.txt',
  completion_callback_url: 'https://x/cb',
  egress_rules: [{ protocol: 'udp', destinations: ['1.2.3.4'], port_range: { start: 1, end: 2 } }, { protocol: 'icmp', destinations: ['::1'], icmp_info: { type: 0, code: 0 }, annotations: ['a'] }],
  log_guid: 'lg',
  log_source: 'ls',
  metrics_guid: 'mg',
  annotation: 'note',
  network: { properties: { a: 'b' } },
  certificate_properties: { organizational_unit: ['ou'] },
  log_rate_limit: { bytes_per_second: 0 },
  metric_tags: { s: { static: 'v' }, d: { dynamic: 'INDEX' } },
  volume_mounted_files: [{ path: 'p', content: '' }],
  legacy_download_user: 'vcap'
}

t.test('every field survives domain → protobuf bytes → domain', async t => {
  const bytes = toBinary(TaskDefinitionSchema, definitionToProto(full))
  const back = definitionFromProto('g-1', 'd', fromBinary(TaskDefinitionSchema, bytes))
  t.same(back, full)
})

t.test('zero values are absent fields; a present message keeps its zeros', async t => {
  const def = definitionFromProto('g', 'd', create(TaskDefinitionSchema, {
    rootFs: 'docker:///x', action: { runAction: { path: 'p', user: 'u', args: [], dir: '' } },
    memoryMb: 0, cpuWeight: 0, privileged: false, resultFile: '', egressRules: [], logRateLimit: { bytesPerSecond: 0n }
  }))
  t.same(def, { guid: 'g', domain: 'd', root_fs: 'docker:///x', action: { run: { path: 'p', user: 'u' } }, log_rate_limit: { bytes_per_second: 0 } })
})

t.test('no action, or two kinds in one action, stay visible to the validator', async t => {
  t.notOk('action' in definitionFromProto('g', 'd', create(TaskDefinitionSchema, { rootFs: 'docker:///x' })))
  const two = definitionFromProto('g', 'd', create(TaskDefinitionSchema, { rootFs: 'docker:///x', action: { runAction: { path: 'p', user: 'u' }, tryAction: {} } }))
  t.same(Object.keys(two.action).sort(), ['run', 'try'])
})

t.test('the deprecated nanosecond timeout is read when timeout_ms is unset', async t => {
  const def = definitionFromProto('g', 'd', create(TaskDefinitionSchema, { rootFs: 'docker:///x', action: { timeoutAction: { action: { runAction: { path: 'p', user: 'u' } }, deprecatedTimeoutNs: 2_500_000_000n } } }))
  t.equal(def.action.timeout?.timeout_ms, 2500)
})

t.test('a task: Unix nanoseconds, enum states, and never the image password', async t => {
  const task: Task = {
    ...full, state: 'COMPLETED', cell_id: 'c', result: 'r', failed: false, failure_reason: '', rejection_count: 1, rejection_reason: 'x',
    created_at: '2026-01-02T03:04:05.678Z', updated_at: '2026-01-02T03:04:06.000Z'
  }
  const pb = taskToProto(task)
  t.equal(pb.state, Task_State.Completed)
  t.equal(pb.createdAt, 1767323045678000000n)
  t.equal(pb.firstCompletedAt, 0n)
  t.equal(pb.taskDefinition?.imagePassword, '')
  t.equal(pb.taskDefinition?.imageUsername, 'user')
  t.equal(nanos(undefined), 0n)
})
