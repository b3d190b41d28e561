import type { V1Affinity, V1NodeSelectorRequirement } from '@kubernetes/client-node'
import { createHash } from 'node:crypto'

/**
 * Diego's placement tags on Kubernetes nodes.
 *
 * Diego: "An Task will only be placed on a cell if the tags in the Task's
 * PlacementTags are exactly the same as the tags advertised by the given
 * cell ... An Task with no placement tags will only match a cell advertising
 * no tags." Exact set equality cannot be said with one label per tag: "no tag
 * other than these" would need a NotIn over every tag that exists anywhere.
 * So a node advertises its whole tag set in ONE label, and a task requires
 * that label to equal the encoding of its own set:
 *
 *   taskbbs.io/placement-tags: <encoding of the node's sorted, distinct tags>
 *
 * - a node without the label advertises no tags; a task without tags
 *   requires the label to be absent (DoesNotExist), so untagged tasks run on
 *   every node of a cluster that uses no tags at all;
 * - the encoding is the tags joined by "." when every tag is a plain name
 *   ([A-Za-z0-9], "-" inside) and the result fits a label value (63 chars):
 *   tags [gpu, us-east] → "gpu.us-east";
 * - otherwise "sha256_" + the first 56 hex digits of SHA-256 over each tag
 *   followed by "\n", in byte order: the shell's
 *   `printf '%s\n' TAG... | LC_ALL=C sort -u | sha256sum | cut -c1-56`.
 *   "_" cannot occur in the readable form, so the two never collide.
 */
export const PLACEMENT_LABEL = 'taskbbs.io/placement-tags'

const PLAIN_TAG = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/
const LABEL_VALUE_MAX = 63

/** The label value a node carries to advertise exactly these tags; undefined for none. */
export function placementLabelValue (tags: readonly string[]): string | undefined {
  const set = [...new Set(tags)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  if (set.length === 0) return undefined
  const readable = set.join('.')
  if (set.every(t => PLAIN_TAG.test(t)) && readable.length <= LABEL_VALUE_MAX) return readable
  const digest = createHash('sha256').update(set.map(t => `${t}\n`).join('')).digest('hex')
  return `sha256_${digest.slice(0, 56)}`
}

export function placementRequirement (tags: readonly string[] | undefined): V1NodeSelectorRequirement {
  const value = placementLabelValue(tags ?? [])
  return value === undefined
    ? { key: PLACEMENT_LABEL, operator: 'DoesNotExist' }
    : { key: PLACEMENT_LABEL, operator: 'In', values: [value] }
}

/**
 * Adds a node requirement to an affinity without loosening it. Required node
 * selector terms are ORed and the expressions inside a term ANDed, so the
 * requirement goes into every term the caller wrote (or one new term).
 */
export function withNodeRequirement (affinity: V1Affinity | undefined, req: V1NodeSelectorRequirement): V1Affinity {
  const out: V1Affinity = structuredClone(affinity ?? {})
  const nodeAffinity = out.nodeAffinity ??= {}
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] }
  if (!Array.isArray(required.nodeSelectorTerms) || required.nodeSelectorTerms.length === 0) {
    required.nodeSelectorTerms = [{ matchExpressions: [req] }]
  } else {
    for (const term of required.nodeSelectorTerms) term.matchExpressions = [...(term.matchExpressions ?? []), req]
  }
  return out
}
