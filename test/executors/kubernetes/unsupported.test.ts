/**
 * What the Kubernetes executor refuses at desire time (422, through
 * unsupported()), each refusal naming its field, and what it accepts. No
 * cluster is needed: the check is the same plan the pod is built from.
 */
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { unsupportedParts, type PodSettings } from '../../../src/executors/kubernetes/pod.ts'

const settings: PodSettings = {
  namespace: 'taskbbs',
  preloadedImages: { cflinuxfs4: 'cloudfoundry/cflinuxfs4:latest' },
  cpuMillisPerWeight: 10,
  fetcherImage: 'curlimages/curl:8.11.1',
  trustedCertsConfigMap: 'ca-certs',
  icmpEgress: 'reject',
  allowPrivileged: false
}

const run = (path = 'true') => ({ run: { path, user: 'root' } })
const download = (to = '/app', from = 'https://blobs.example.com/app.tgz') => ({ download: { from, to, user: 'root' } })
const def = (extra: Record<string, unknown>) => ({ guid: 'g', domain: 'd', root_fs: 'docker:///busybox', action: run(), ...extra }) as TaskDefinition
const refusals = (extra: Record<string, unknown>, s: Partial<PodSettings> = {}) => unsupportedParts(def(extra), { ...settings, ...s })
const fields = (extra: Record<string, unknown>, s: Partial<PodSettings> = {}) => refusals(extra, s).map(e => e.field)

t.test('run, serial, parallel, download, emit_progress, a timeout around everything and a final try are accepted', async t => {
  t.same(refusals({
    action: {
      timeout: {
        timeout_ms: 60000,
        action: {
          emit_progress: {
            start_message: 'staging',
            action: {
              serial: {
                actions: [
                  download(),
                  { emit_progress: { action: run('/bin/build'), failure_message_prefix: 'build failed' } },
                  { try: { action: { parallel: { actions: [run('/bin/a'), run('/bin/b')] } } } }
                ]
              }
            }
          }
        }
      }
    },
    cached_dependencies: [{ from: 'https://blobs.example.com/dep.tgz', to: '/deps', cache_key: 'dep' }],
    image_layers: [{ url: 'https://blobs.example.com/layer.tgz', destination_path: '/layer', layer_type: 'SHARED', media_type: 'TGZ' }],
    egress_rules: [{ protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [443] }, { protocol: 'all', destinations: ['192.168.1.1-192.168.1.9'] }],
    volume_mounts: [{ driver: 'nfs', container_dir: '/data', mode: 'r', shared: { volume_id: 'shared-data' } }],
    trusted_system_certificates_path: '/etc/cf-system-certificates',
    root_fs: 'preloaded:cflinuxfs4'
  }), [])
})

t.test('upload actions are refused: a finished container cannot be read back', async t => {
  const errors = refusals({ action: { serial: { actions: [run(), { upload: { from: '/out', to: 'https://x.example.com/up', user: 'root' } }] } } })
  t.match(errors, [{ field: 'action.serial.actions[1].upload', message: /upload actions cannot run on Kubernetes/ }])
})

t.test('codependent with more than one action is refused; with one it is that action', async t => {
  t.match(refusals({ action: { codependent: { actions: [run('/a'), run('/b')] } } }), [{ field: 'action.codependent', message: /cannot stop its other containers/ }])
  t.same(refusals({ action: { codependent: { actions: [run('/a')] } } }), [])
})

t.test('a timeout that does not wrap the whole action is refused: activeDeadlineSeconds covers the whole pod', async t => {
  t.same(fields({ action: { serial: { actions: [download(), { timeout: { action: run(), timeout_ms: 1000 } }] } } }), ['action.serial.actions[1].timeout'])
  t.same(fields({ action: { emit_progress: { action: { timeout: { action: run(), timeout_ms: 1000 } } } } }), [], 'emit_progress around it still covers everything')
})

t.test('try around a step that other steps follow is refused: a failed init container stops the pod', async t => {
  t.same(fields({ action: { serial: { actions: [{ try: { action: run('/flaky') } }, run('/main')] } } }), ['action.serial.actions[0].try'])
  t.same(fields({ action: { try: { action: { serial: { actions: [run('/a'), run('/b')] } } } } }), [], 'a try around the whole serial is fine')
  t.same(fields({ action: { parallel: { actions: [{ try: { action: run('/a') } }, run('/b')] } } }), [], 'a try around one parallel container is fine')
})

t.test('parallel may hold only containers, and may only come last in a serial', async t => {
  t.same(fields({ action: { parallel: { actions: [{ serial: { actions: [run('/a'), run('/b')] } }, run('/c')] } } }), ['action.parallel.actions[0]'])
  t.same(fields({ action: { serial: { actions: [{ parallel: { actions: [run('/a'), run('/b')] } }, run('/c')] } } }), ['action.serial.actions[0]'])
})

t.test('file:// downloads are refused on Kubernetes: the file would have to be on the node', async t => {
  t.same(fields({ action: download('/app', 'file:///srv/app.tgz') }), ['action.download'])
  t.same(fields({ cached_dependencies: [{ from: 'file:///srv/dep.tgz', to: '/deps', cache_key: 'k' }] }), ['cached_dependencies[0].from'])
  t.same(fields({ image_layers: [{ url: 'file:///l.tgz', destination_path: '/l', layer_type: 'SHARED', media_type: 'TGZ' }] }), ['image_layers[0].url'])
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
    action: download('/data'),
    volume_mounts: [{ driver: 'nfs', container_dir: '/data/', mode: 'rw', shared: { volume_id: 'v' } }]
  }), [{ field: 'volume_mounts[0].container_dir', message: '/data is also the mount point of action.download; a container path can hold one volume' }])
})

t.test('environment variable names must be printable ASCII on Kubernetes', async t => {
  t.same(fields({ env: [{ name: 'ÜBER', value: '1' }], action: { run: { path: 'true', user: 'root', env: [{ name: 'ok', value: '1' }, { name: 'tab\u00a0', value: '1' }] } } }),
    ['env[0].name', 'action.run.env[1].name'])
})

t.test('volume_mounted_files are refused rather than missing from the container; the other BBS-only fields pass', async t => {
  t.same(fields({ volume_mounted_files: [{ path: 'db/password', content: 'x' }] }), ['volume_mounted_files'])
  t.same(fields({ volume_mounted_files: [] }), [])
  t.same(refusals({ network: { properties: { a: 'b' } }, certificate_properties: { organizational_unit: ['x'] }, log_rate_limit: { bytes_per_second: 10 }, metric_tags: { a: { static: 'b' } }, legacy_download_user: 'vcap' }), [])
})
