/**
 * The pure halves of the task → Kubernetes mapping: names, images, placement
 * labels, egress CIDRs and the shape of the pod around the runner. The cluster tests
 * (pod-mapping.test.ts) show the same objects accepted by a real API server.
 */
import { execFileSync } from 'node:child_process'
import t from 'tap'
import type { TaskDefinition } from '../../../src/domain/task-definition.ts'
import { DOCKER_HUB_AUTH_KEY, dockerConfigJson, imageFor } from '../../../src/executors/kubernetes/image.ts'
import { labelValue, podName } from '../../../src/executors/kubernetes/names.ts'
import { destinationCidrs, networkPolicyFor, parseArtifactEgress } from '../../../src/executors/kubernetes/network-policy.ts'
import { placementLabelValue, placementRequirement, withNodeRequirement } from '../../../src/executors/kubernetes/placement.ts'
import { taskObjects, type PodSettings } from '../../../src/executors/kubernetes/pod.ts'

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

t.test('pod names are DNS labels derived from the guid alone, distinct for guids that differ only in case or "_"', async t => {
  t.equal(podName('task-1'), podName('task-1'))
  t.match(podName('Task_1'), /^taskbbs-task-1-[0-9a-f]{10}$/)
  t.not(podName('Task_1'), podName('task-1'))
  for (const guid of ['a', '_', '--x--', 'A'.repeat(255), '0_-_0']) {
    t.match(podName(guid), DNS_LABEL, guid.slice(0, 20))
    t.ok(podName(guid).length <= 63)
  }
})

t.test('label values keep valid text as is and hash the rest', async t => {
  t.equal(labelValue('my-domain'), 'my-domain')
  for (const text of ['a b/c', 'x'.repeat(64), '-lead', 'ünïcode', '']) t.match(labelValue(text), LABEL_VALUE, JSON.stringify(text))
  t.not(labelValue('a b'), labelValue('a/b'), 'different texts stay different')
})

t.test('docker root_fs URIs become image references; preloaded names go through the operator map', async t => {
  const map = { cflinuxfs4: 'cloudfoundry/cflinuxfs4:1.2' }
  t.same(imageFor('docker:///org/img#tag', map), { image: 'org/img:tag' })
  t.same(imageFor('docker:///busybox', map), { image: 'busybox' })
  t.same(imageFor('docker://registry.example.com:5000/org/img#1.0', map), { image: 'registry.example.com:5000/org/img:1.0' })
  t.same(imageFor(`docker:///org/img#sha256:${'a'.repeat(64)}`, map), { image: `org/img@sha256:${'a'.repeat(64)}` })
  t.same(imageFor('preloaded:cflinuxfs4', map), { image: 'cloudfoundry/cflinuxfs4:1.2' })
  t.match(imageFor('preloaded:toString', map), { error: /not configured/ }, 'an inherited property is no mapping')
})

t.test('image credentials become a dockerconfigjson for the root_fs registry (Docker Hub without a host)', async t => {
  const hub = JSON.parse(dockerConfigJson('docker:///org/img#1', 'u', 'p:w'))
  t.same(hub, { auths: { [DOCKER_HUB_AUTH_KEY]: { username: 'u', password: 'p:w', auth: Buffer.from('u:p:w').toString('base64') } } })
  t.same(Object.keys(JSON.parse(dockerConfigJson('docker://reg.example.com/org/img', 'u', 'p')).auths), ['reg.example.com'])
})

t.test('placement tags: one label holds the exact tag set, so [a] and [a, b] never match each other', async t => {
  t.equal(placementLabelValue([]), undefined)
  t.equal(placementLabelValue(['tag-1']), 'tag-1')
  t.equal(placementLabelValue(['tag-2', 'tag-1', 'tag-2']), 'tag-1.tag-2', 'sorted, distinct')
  t.not(placementLabelValue(['tag-1']), placementLabelValue(['tag-1', 'tag-2']))
  t.same(placementRequirement(undefined), { key: 'taskbbs.io/placement-tags', operator: 'DoesNotExist' }, 'no tags: only nodes advertising none')
  t.same(placementRequirement(['b', 'a']), { key: 'taskbbs.io/placement-tags', operator: 'In', values: ['a.b'] })
})

t.test('tags a label cannot hold are hashed exactly as the documented shell line does', async t => {
  const tags = ['gpu', 'zone:eu west', 'a.b']
  const value = placementLabelValue(tags)!
  t.match(value, /^sha256_[0-9a-f]{56}$/)
  t.match(value, LABEL_VALUE)
  const shell = execFileSync('sh', ['-c', "printf '%s\\n' \"$@\" | LC_ALL=C sort -u | sha256sum | cut -c1-56", 'sh', ...tags], { encoding: 'utf8' }).trim()
  t.equal(value, `sha256_${shell}`)
  t.match(placementLabelValue(['x'.repeat(40), 'y'.repeat(40)]), /^sha256_/, 'too long for the readable form')
})

t.test('the placement requirement is added to every node selector term the task wrote, never loosening them', async t => {
  const req = placementRequirement(['a'])
  const merged = withNodeRequirement({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } },
    podAntiAffinity: {}
  }, req)
  t.same(merged.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms.map(term => term.matchExpressions), [
    [{ key: 'zone', operator: 'In', values: ['x'] }, req],
    [req]
  ])
  t.same(merged.podAntiAffinity, {})
  t.same(withNodeRequirement(undefined, req), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [req] }] } } })
})

t.test('egress destinations become the exact CIDR blocks covering them', async t => {
  t.same(destinationCidrs('10.0.0.1-10.0.0.9'), ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/30', '10.0.0.8/31'])
  t.same(destinationCidrs('0.0.0.0-255.255.255.255'), ['0.0.0.0/0'])
  t.same(destinationCidrs('10.1.2.3/8'), ['10.0.0.0/8'], 'host bits cleared')
  t.same(destinationCidrs('8.8.8.8'), ['8.8.8.8/32'])
  t.same(destinationCidrs('2001:db8::1-2001:db8::3'), ['2001:db8::1/128', '2001:db8::2/127'])
  t.same(destinationCidrs('::/0'), ['::/0'])
  t.equal(destinationCidrs('1.0.0.0-254.255.255.255').length <= 64, true, 'never more than 2 × 32 blocks')
})

t.test('egress rules map to a policy: ports → port, port_range → port + endPort, all → no ports, icmp left out', async t => {
  const policy = networkPolicyFor({ name: 'p', namespace: 'ns', labels: {}, podSelector: { 'taskbbs.io/guid': 'g' } }, [
    { protocol: 'tcp', destinations: ['10.0.0.0/8'], ports: [80, 443] },
    { protocol: 'udp', destinations: ['8.8.8.8'], port_range: { start: 53, end: 54 } },
    { protocol: 'tcp', destinations: ['1.1.1.1'], port_range: { start: 22, end: 22 } },
    { protocol: 'all', destinations: ['192.168.0.0/16'] },
    { protocol: 'icmp', destinations: ['0.0.0.0/0'], icmp_info: { type: 0, code: 0 } }
  ])!
  t.same(policy.spec, {
    podSelector: { matchLabels: { 'taskbbs.io/guid': 'g' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '8.8.8.8/32' } }], ports: [{ protocol: 'UDP', port: 53, endPort: 54 }] },
      { to: [{ ipBlock: { cidr: '1.1.1.1/32' } }], ports: [{ protocol: 'TCP', port: 22 }] },
      { to: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }
    ]
  })
  t.equal(networkPolicyFor({ name: 'p', namespace: 'ns', labels: {}, podSelector: {} }, [{ protocol: 'icmp', destinations: ['0.0.0.0/0'], icmp_info: { type: 0, code: 0 } }]), undefined, 'nothing left: no policy, the namespace default applies')
})

const settings: PodSettings = { namespace: 'ns', preloadedImages: {}, cpuMillisPerWeight: 10, runnerImage: 'taskbbs:1', trustedCertsConfigMap: '', icmpEgress: 'ignore', artifactEgress: [], allowPrivileged: false }
const objects = (def: Record<string, unknown>, s: Partial<PodSettings> = {}) => taskObjects({ guid: 'g1', domain: 'd', definition: { guid: 'g1', domain: 'd', root_fs: 'docker:///busybox', ...def } as TaskDefinition }, { ...settings, ...s })
const run = (path: string, extra: Record<string, unknown> = {}) => ({ run: { path, user: 'root', ...extra } })

t.test('every action tree is one pod: install-runner, then the task container running the runner on the projected spec', async t => {
  const action = { serial: { actions: [{ download: { from: 'https://b.example.com/a.tgz', to: 'app', user: 'root' } }, run('/bin/prepare'), { parallel: { actions: [run('/a'), run('/b')] } }] } }
  const { pod } = objects({ action })
  t.same(pod.spec!.initContainers, [{ name: 'install-runner', image: 'taskbbs:1', command: ['/usr/local/bin/taskbbs-runner', 'install', '/taskbbs/bin/taskbbs-runner'], volumeMounts: [{ name: 'taskbbs-runner', mountPath: '/taskbbs/bin' }] }])
  t.same(pod.spec!.containers.map(c => [c.name, c.image, c.command]), [['task', 'busybox', ['/taskbbs/bin/taskbbs-runner', 'run', '--spec', '/taskbbs/spec/spec.json']]])
  t.same(pod.spec!.volumes, [
    { name: 'taskbbs-runner', emptyDir: {} },
    { name: 'taskbbs-spec', downwardAPI: { items: [{ path: 'spec.json', fieldRef: { fieldPath: "metadata.annotations['taskbbs.io/runner-spec']" } }] } }
  ])
  t.same(JSON.parse(pod.metadata!.annotations!['taskbbs.io/runner-spec']), { version: 1, guid: 'g1', log_source: 'TASK', action }, 'the action tree as stored, untranslated')
  t.match(pod.spec!.containers[0], { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' })
})

t.test('the task env is the container env (the guid first); the action env stays in the spec for the runner', async t => {
  const { pod } = objects({ env: [{ name: 'A', value: 'task' }, { name: 'B', value: 'task' }, { name: 'A', value: 'again' }], action: run('/x', { env: [{ name: 'A', value: 'action' }] }) })
  t.same(pod.spec!.containers[0].env, [{ name: 'TASKBBS_TASK_GUID', value: 'g1' }, { name: 'B', value: 'task' }, { name: 'A', value: 'again' }])
  t.same(JSON.parse(pod.metadata!.annotations!['taskbbs.io/runner-spec']).action.run.env, [{ name: 'A', value: 'action' }])
})

t.test('cached_dependencies and image_layers become downloads before the action in the spec; result_file, max_pids and log_source go with it', async t => {
  const { pod } = objects({
    action: run('/x'),
    result_file: 'out/r.txt',
    max_pids: 64,
    log_source: 'STG',
    cached_dependencies: [{ from: 'https://b.example.com/bp.zip', to: '/bp', cache_key: 'bp' }]
  })
  const spec = JSON.parse(pod.metadata!.annotations!['taskbbs.io/runner-spec'])
  t.match(spec, { version: 1, guid: 'g1', log_source: 'STG', result_file: 'out/r.txt', max_pids: 64 })
  t.match(spec.action.serial.actions, [{ download: { from: 'https://b.example.com/bp.zip', to: '/bp', cache_key: 'bp' } }, run('/x')])
})

t.test('every run action as the same numeric user: the container runs as that uid; mixed users run as the image user', async t => {
  t.same(objects({ action: { serial: { actions: [run('/a', { user: '1001' }), run('/b', { user: '1001' })] } } }).pod.spec!.containers[0].securityContext, { runAsUser: 1001 })
  t.equal(objects({ action: { serial: { actions: [run('/a', { user: '1001' }), run('/b', { user: 'vcap' })] } } }).pod.spec!.containers[0].securityContext, undefined)
})

t.test('the operator\'s artifact destinations are in every task\'s policy, before the task\'s rules; with them every pod is gated until its policy exists', async t => {
  const artifactEgress = parseArtifactEgress('10.20.0.0/16:443, 192.168.5.5, [2001:db8::7]:8443')
  const plain = objects({ action: run('/x') }, { artifactEgress })
  t.same(plain.policy!.spec!.egress, [
    { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    { to: [{ ipBlock: { cidr: '192.168.5.5/32' } }], ports: [{ protocol: 'TCP' }] },
    { to: [{ ipBlock: { cidr: '2001:db8::7/128' } }], ports: [{ protocol: 'TCP', port: 8443 }] }
  ])
  t.same(plain.pod.spec!.schedulingGates, [{ name: 'taskbbs.io/setup' }])
  const withRules = objects({ action: run('/x'), egress_rules: [{ protocol: 'udp', destinations: ['8.8.8.8'], ports: [53] }] }, { artifactEgress })
  t.equal(withRules.policy!.spec!.egress!.length, 4)
  t.same(withRules.policy!.spec!.egress![3], { to: [{ ipBlock: { cidr: '8.8.8.8/32' } }], ports: [{ protocol: 'UDP', port: 53 }] })
})

t.test('TASKBBS_K8S_ARTIFACT_EGRESS: ranges and IPv6 CIDRs with ports are read; host names and bad ports are refused, naming the entry', async t => {
  t.same(parseArtifactEgress(''), [])
  t.same(parseArtifactEgress('10.0.0.1-10.0.0.2:80,2001:db8::/32:443'), [{ cidrs: ['10.0.0.1/32', '10.0.0.2/32'], port: 80 }, { cidrs: ['2001:db8::/32'], port: 443 }])
  t.same(parseArtifactEgress('2001:db8::1'), [{ cidrs: ['2001:db8::1/128'] }])
  t.throws(() => parseArtifactEgress('blobs.example.com:443'), { message: /"blobs.example.com:443" is not an IP address, CIDR or range .*NetworkPolicy cannot take host names/ })
  t.throws(() => parseArtifactEgress('10.0.0.1:70000'), { message: /"10.0.0.1:70000" has no valid port/ })
})

t.test('a pod needing no secret and no policy is created ungated; dropped icmp rules are noted for the task log', async t => {
  const plain = objects({ action: run('/x') })
  t.equal(plain.pod.spec!.schedulingGates, undefined)
  const icmp = objects({ action: run('/x'), egress_rules: [{ protocol: 'icmp', destinations: ['0.0.0.0/0'], icmp_info: { type: 0, code: 0 } }] })
  t.equal(icmp.policy, undefined)
  t.match(icmp.notes, [/egress_rules \[0\] \(icmp\) cannot be expressed/])
})

t.test('a privileged task is refused by the executor too unless allowed', async t => {
  t.throws(() => objects({ privileged: true, action: run('/x') }), { code: 'TASK_UNSUPPORTED', message: /privileged: this server does not run privileged tasks/ })
})
