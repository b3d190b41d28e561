/**
 * What the Kubernetes executor refuses at desire time (422, through
 * unsupported()), each refusal naming its field, and what it accepts. Every
 * action runs (the in-pod runner executes the whole tree); what is refused
 * is what a pod object cannot hold. No cluster is needed.
 */
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { unsupportedParts, type PodSettings } from '../../../src/executors/kubernetes/pod.ts'

const settings: PodSettings = {
  namespace: 'taskbbs',
  preloadedImages: { cflinuxfs4: 'cloudfoundry/cflinuxfs4:latest' },
  cpuMillisPerWeight: 10,
  runnerImage: 'taskbbs:1',
  trustedCertsConfigMap: 'ca-certs',
  icmpEgress: 'reject',
  artifactEgress: [],
  allowPrivileged: false,
  // The claims these tests mount are granted; what grants refuse is in grants.test.ts.
  grants: new Map([['d', { secrets: new Set(), volumeClaims: new Set(['shared-data', 'v']) }]])
}

const run = (path = 'true') => ({ run: { path, user: 'root' } })
const download = (to = '/app', from = 'https://blobs.example.com/app.tgz') => ({ download: { from, to, user: 'root' } })
const def = (extra: Record<string, unknown>) => ({ guid: 'g', domain: 'd', root_fs: 'docker:///busybox', action: run(), ...extra }) as TaskDefinition
const refusals = (extra: Record<string, unknown>, s: Partial<PodSettings> = {}) => unsupportedParts(def(extra), { ...settings, ...s })
const fields = (extra: Record<string, unknown>, s: Partial<PodSettings> = {}) => refusals(extra, s).map(e => e.field)

t.test('every action kind, anywhere in the tree, with every task-level part, is accepted', async t => {
  t.same(refusals({
    action: {
      serial: {
        actions: [
          download(),
          download('/local', 'file:///srv/app.tgz'),
          { try: { action: run('/bin/flaky') } },
          { timeout: { timeout_ms: 1000, action: { codependent: { actions: [run('/bin/server'), run('/bin/client')] } } } },
          { parallel: { actions: [{ serial: { actions: [run('/a'), run('/b')] } }, { emit_progress: { start_message: 's', action: run('/c') } }] } },
          { upload: { from: '/out/report.txt', to: 'https://x.example.com/up', user: 'root' } }
        ]
      }
    },
    cached_dependencies: [{ from: 'https://blobs.example.com/dep.tgz', to: '/deps', cache_key: 'dep' }],
    image_layers: [{ url: 'https://blobs.example.com/layer.tgz', destination_path: '/layer', layer_type: 'SHARED', media_type: 'TGZ' }],
    egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443] }, { protocol: 'all', destinations: ['192.168.1.1-192.168.1.9'] }],
    volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'r', shared: { volume_id: 'shared-data' } }],
    trusted_system_certificates_path: '/etc/cf-system-certificates',
    root_fs: 'preloaded:cflinuxfs4',
    result_file: '/out/result.json',
    max_pids: 100
  }), [])
})

t.test('an action tree larger than a pod\'s annotations may hold (256 KiB) is refused, naming action', async t => {
  const big = (n: number) => ({ serial: { actions: Array.from({ length: n }, (_, i) => run(`/bin/${'x'.repeat(1000)}-${i}`)) } })
  t.same(refusals({ action: big(200) }), [], 'about 220 KB fits')
  t.match(refusals({ action: big(300) }), [{ field: 'action', message: /too large for Kubernetes: .* a pod's annotations may hold 262144 bytes \(this task needs \d+\)/ }])
})

t.test('icmp and icmpv6 egress rules are refused unless the operator chose to drop them', async t => {
  const egress_rules = [
    { protocol: 'tcp', destinations: ['10.0.0.1'], ports: [80] },
    { protocol: 'icmp', destinations: ['0.0.0.0/0'], icmp_info: { type: 0, code: 0 } },
    { protocol: 'icmpv6', destinations: ['::/0'], icmp_info: { type: -1, code: -1 } }
  ]
  t.match(refusals({ egress_rules }), [
    { field: 'egress_rules[1].protocol', message: /icmp cannot be expressed in a Kubernetes NetworkPolicy/ },
    { field: 'egress_rules[2].protocol', message: /icmpv6 cannot be expressed/ }
  ])
  t.same(refusals({ egress_rules }, { icmpEgress: 'ignore' }), [])
})

t.test('a preloaded root_fs the operator did not map is refused, naming the ones that are', async t => {
  t.match(refusals({ root_fs: 'preloaded:cflinuxfs3' }), [{ field: 'root_fs', message: /"cflinuxfs3" is not configured on this server \(configured: cflinuxfs4\)/ }])
  t.match(refusals({ root_fs: 'preloaded:x' }, { preloadedImages: {} }), [{ field: 'root_fs', message: /TASKBBS_K8S_PRELOADED_IMAGES maps none/ }])
})

t.test('volume_mounts need a PersistentVolumeClaim name and a mount point other than /', async t => {
  t.same(fields({ volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'rw', shared: { volume_id: 'My_Volume' } }] }), ['volume_mounts[0].shared.volume_id'])
  t.same(fields({ volume_mounts: [{ driver: 'nfs', container_dir: '/', mode: 'rw', shared: { volume_id: 'v' } }] }), ['volume_mounts[0].container_dir'])
})

t.test('two volumes on one container path are refused, naming the second', async t => {
  t.match(refusals({
    volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'rw', shared: { volume_id: 'v' } }],
    trusted_system_certificates_path: '/data/'
  }), [{ field: 'trusted_system_certificates_path', message: '/data is also the mount point of volume_mounts[0].container_dir; a container path can hold one volume' }])
})

t.test('a volume over the runner\'s directories is refused: it would hide the runner or its spec', async t => {
  const at = (container_dir: string) => fields({ volume_mounts: [{ driver: 'nfs', container_dir, mode: 'rw', shared: { volume_id: 'v' } }] })
  t.same(at('/taskbbs'), ['volume_mounts[0].container_dir'])
  t.same(at('/taskbbs/bin'), ['volume_mounts[0].container_dir'])
  t.same(at('taskbbs/spec/x'), ['volume_mounts[0].container_dir'])
  t.same(at('/taskbbs-data'), [], 'a sibling is fine')
})

t.test('task environment variable names must be printable ASCII without "=" on Kubernetes; action env goes to the runner', async t => {
  t.same(fields({ env: [{ name: 'ÜBER', value: '1' }, { name: 'OK', value: '1' }], action: { run: { path: 'true', user: 'root', env: [{ name: 'ok', value: '1' }, { name: 'tab\u00a0', value: '1' }] } } }),
    ['env[0].name'])
})

t.test('volume_mounted_files are refused rather than missing from the container; the other BBS-only fields pass', async t => {
  t.same(fields({ volume_mounted_files: [{ path: 'db/password', content: 'x' }] }), ['volume_mounted_files'])
  t.same(fields({ volume_mounted_files: [] }), [])
  t.same(refusals({ network: { properties: { a: 'b' } }, certificate_properties: { organizational_unit: ['x'] }, log_rate_limit: { bytes_per_second: 10 }, metric_tags: { a: { static: 'b' } }, legacy_download_user: 'vcap' }), [])
})
