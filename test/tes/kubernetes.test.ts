/**
 * A TES task on the Kubernetes executor: the definition the mapping makes is
 * one the executor accepts, and its pod, as a real API server stored it, has
 * the image, the resources, the preemptible toleration and the zone affinity
 * the TES document asked for.
 */
import t from 'tap'
import { podName } from '../../src/executors/kubernetes/names.ts'
import type { TesTaskCreate } from '../../src/tes/schemas.ts'
import { toDefinition } from '../../src/tes/to-definition.ts'
import { annotate, testCluster, testExecutor, testNamespace } from '../helpers/cluster.ts'

const cluster = await testCluster(t)
const namespace = await testNamespace(t, cluster, 'tes')
// The operator allows what the TES mapping asks for: preemptible nodes' taint and zones.
const executor = testExecutor(t, cluster, namespace, {
  policy: { tolerationKeys: ['taskbbs.io/preemptible'], nodeLabelKeys: ['topology.kubernetes.io/zone'], allowRootIds: false, allowPodAffinity: false }
})
const started: string[] = []
t.teardown(async () => { for (const guid of started) await executor.cleanup(guid).catch(() => {}) })

t.test('a TES task with inputs, volumes, redirections and resources becomes one pod with its image, requests, limits, toleration and zone affinity', async t => {
  const tes: TesTaskCreate = {
    name: 'k8s',
    inputs: [{ url: 'https://example.org/in.txt', path: '/data/in.txt' }, { content: 'x', path: '/data/c.txt' }],
    volumes: ['/scratch'],
    resources: { cpu_cores: 2, ram_gb: 1, disk_gb: 2, preemptible: true, zones: ['zone-a', 'zone-b'] },
    executors: [
      { image: 'quay.io/biocontainers/samtools:1.19', command: ['samtools', 'view', 'in.txt'], workdir: '/data', stdout: '/data/out.txt' },
      { image: 'quay.io/biocontainers/samtools:1.19', command: ['ls'], ignore_error: true }
    ]
  }
  const guid = 'tes-on-k8s-1'
  const mapped = toDefinition(tes, guid, 'tes')
  if (!('definition' in mapped)) throw new Error(JSON.stringify(mapped.errors))
  const definition = { ...mapped.definition, env: annotate({ 'taskbbs.test/run-forever': 'true' }) }
  t.same(executor.unsupported(definition), [], 'the Kubernetes executor can run everything the mapping makes')
  await executor.start({ guid, domain: 'tes', definition })
  started.push(guid)
  const pod = await cluster.core.readNamespacedPod({ name: podName(guid), namespace })
  const main = pod.spec!.containers.find(c => c.name === 'main') ?? pod.spec!.containers[0]
  t.equal(main.image, 'quay.io/biocontainers/samtools:1.19')
  t.match(main.resources, { requests: { cpu: '2', memory: '1Gi' }, limits: { memory: /^1Gi|1024Mi$/, 'ephemeral-storage': /^2Gi|2048Mi$/ } })
  t.match(pod.spec!.tolerations, [{ key: 'taskbbs.io/preemptible', operator: 'Exists', effect: 'NoSchedule' }])
  const terms = pod.spec!.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
  t.equal(terms.length, 1)
  // Beside the executor's own placement-tag requirement, in the same term (AND).
  const zone = terms[0]?.matchExpressions?.find(e => e.key === 'topology.kubernetes.io/zone')
  t.same(zone && { operator: zone.operator, values: zone.values }, { operator: 'In', values: ['zone-a', 'zone-b'] })
})
