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
  affinity: Type.Optional(Type.Object({
    nodeAffinity: Type.Optional(Type.Object({}, { additionalProperties: true })),
    podAffinity: Type.Optional(Type.Object({}, { additionalProperties: true })),
    podAntiAffinity: Type.Optional(Type.Object({}, { additionalProperties: true }))
  }, { additionalProperties: false, description: 'A Kubernetes core/v1 Affinity, passed through as written (camelCase, as Kubernetes spells it).' })),
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
