import Type, { type Static } from 'typebox'
import { LIMITS, StringEnum } from './common.ts'

// Kubernetes name and quantity grammars, so that a bad value is a 422 at desire
// time rather than a pod the API server refuses later.
const LABEL_KEY = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$'
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
const QUANTITY = '^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[mkMGTPE]|([eE][-+]?[0-9]+))?$'
const RESOURCE_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$'

const Id = Type.Integer({ minimum: 0, maximum: 2147483647 })

const ResourceMap = Type.Record(
  Type.String({ pattern: RESOURCE_NAME, maxLength: 253 }),
  Type.String({ pattern: QUANTITY, maxLength: 64 }),
  { description: 'Resource name to quantity: cpu, memory, ephemeral-storage, or extended resources such as nvidia.com/gpu.', maxProperties: 64 }
)

const Items = <T extends Parameters<typeof Type.Array>[0]>(item: T, description?: string) =>
  Type.Array(item, { maxItems: 64, ...(description ? { description } : {}) })
const LabelKey = Type.String({ pattern: LABEL_KEY, maxLength: 317 })
const LabelValue = Type.String({ pattern: LABEL_VALUE, maxLength: 63 })
const Weight = Type.Integer({ minimum: 1, maximum: 100 })

// Kubernetes core/v1 affinity types, written out (camelCase, as Kubernetes
// spells them) instead of passed through, so that every field a task may set
// is known and operator policy can judge it (src/executors/kubernetes/policy.ts).
const NodeSelectorRequirement = Type.Object({
  key: LabelKey,
  operator: StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: Type.Optional(Items(LabelValue))
}, { additionalProperties: false })

const NodeSelectorTerm = Type.Object({
  matchExpressions: Type.Optional(Items(NodeSelectorRequirement)),
  matchFields: Type.Optional(Items(NodeSelectorRequirement))
}, { additionalProperties: false })

const NodeAffinity = Type.Object({
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Object({
    nodeSelectorTerms: Type.Array(NodeSelectorTerm, { minItems: 1, maxItems: 64 })
  }, { additionalProperties: false })),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(Items(Type.Object({
    weight: Weight,
    preference: NodeSelectorTerm
  }, { additionalProperties: false })))
}, { additionalProperties: false })

const LabelSelector = Type.Object({
  matchLabels: Type.Optional(Type.Record(LabelKey, LabelValue, { maxProperties: 64 })),
  matchExpressions: Type.Optional(Items(Type.Object({
    key: LabelKey,
    operator: StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: Type.Optional(Items(LabelValue))
  }, { additionalProperties: false })))
}, { additionalProperties: false })

// No `namespaces` or `namespaceSelector`: a task's pod (anti-)affinity sees
// only pods of the task namespace, never the server's or another namespace's.
const PodAffinityTerm = Type.Object({
  labelSelector: Type.Optional(LabelSelector),
  topologyKey: LabelKey,
  matchLabelKeys: Type.Optional(Items(LabelKey)),
  mismatchLabelKeys: Type.Optional(Items(LabelKey))
}, { additionalProperties: false })

const PodAffinity = Type.Object({
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Items(PodAffinityTerm)),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(Items(Type.Object({
    weight: Weight,
    podAffinityTerm: PodAffinityTerm
  }, { additionalProperties: false })))
}, { additionalProperties: false })

const Affinity = Type.Object({
  nodeAffinity: Type.Optional(NodeAffinity),
  podAffinity: Type.Optional(PodAffinity),
  podAntiAffinity: Type.Optional(PodAffinity)
}, {
  additionalProperties: false,
  description: 'A Kubernetes core/v1 Affinity (camelCase, as Kubernetes spells it). Node affinity keys are limited to the node labels the operator allows; pod affinity and anti-affinity only where the operator allows them, and only over pods of the task namespace.'
})

/**
 * The DigitalHub-style extension block: Kubernetes scheduling and security
 * settings that have no Diego field. Only the Kubernetes executor reads it.
 */
export const KubernetesOptions = Type.Object({
  node_selector: Type.Optional(Type.Array(Type.Object({
    key: Type.String({ pattern: LABEL_KEY, maxLength: 317 }),
    value: Type.String({ pattern: LABEL_VALUE, maxLength: 63 })
  }, { additionalProperties: false }), { maxItems: 64, description: 'Node labels the pod must match.' })),
  tolerations: Type.Optional(Type.Array(Type.Object({
    key: Type.Optional(Type.String({ pattern: LABEL_KEY, maxLength: 317 })),
    operator: Type.Optional(StringEnum(['Exists', 'Equal'])),
    value: Type.Optional(Type.String({ pattern: LABEL_VALUE, maxLength: 63 })),
    effect: Type.Optional(StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
    toleration_seconds: Type.Optional(Type.Integer({ minimum: 0 }))
  }, { additionalProperties: false }), { maxItems: 64 })),
  affinity: Type.Optional(Affinity),
  resources: Type.Optional(Type.Object({
    limits: Type.Optional(ResourceMap),
    requests: Type.Optional(ResourceMap)
  }, { additionalProperties: false })),
  secrets: Type.Optional(Type.Array(Type.String({ pattern: DNS_SUBDOMAIN, maxLength: 253 }), {
    maxItems: 64, description: 'Names of Secrets in the task namespace whose keys become environment variables.'
  })),
  run_as_user: Type.Optional(Id),
  run_as_group: Type.Optional(Id),
  fs_group: Type.Optional(Id)
}, { additionalProperties: false, maxProperties: LIMITS.items })

export type KubernetesOptions = Static<typeof KubernetesOptions>
