import type { V1NetworkPolicy, V1NetworkPolicyEgressRule, V1NetworkPolicyPort } from '@kubernetes/client-node'
import { type EgressRule, parseDestination } from '../../domain/egress.ts'
import type { FieldError } from '../../domain/errors.ts'

/**
 * egress_rules → one NetworkPolicy per task, selecting only the task's pod.
 *
 * NetworkPolicies are allow-lists and add up: once any policy with
 * policyTypes [Egress] selects a pod, the pod may reach only what some policy
 * allows. Diego's "by default network access for any container is limited"
 * is the namespace-wide default-deny policy in deploy/network-policy.yaml;
 * this per-task policy opens what the task's rules allow on top of it.
 *
 * What does not carry over:
 * - icmp / icmpv6: a NetworkPolicy port has protocol TCP, UDP or SCTP only,
 *   so ICMP types and codes cannot be said. TASKBBS_K8S_ICMP_EGRESS=reject
 *   (default) refuses such tasks at desire time; =ignore drops those rules.
 * - protocol all → a rule without ports, which allows every port and
 *   protocol the network plugin filters (ICMP included on common plugins).
 * - `log: true` has no NetworkPolicy counterpart and is ignored.
 * - ranges `ip1-ip2` become the exact set of CIDR blocks covering them (at
 *   most 2 × address width blocks), so nothing outside the range is opened.
 */

export type IcmpEgress = 'reject' | 'ignore'

/**
 * A destination every task may reach over TCP (TASKBBS_K8S_ARTIFACT_EGRESS):
 * the artifact stores its downloads and uploads talk to, which the runner
 * reaches from inside the task's pod, under the task's policy. A
 * NetworkPolicy takes IP blocks only, no host names: the operator lists the
 * store's addresses.
 */
export interface ArtifactEgress { cidrs: string[], port?: number }

/**
 * `10.1.2.3`, `10.0.0.0/8:443`, `10.0.0.1-10.0.0.9:80`, `2001:db8::/32:443`,
 * `[2001:db8::1]:443`, comma-separated. Throws naming the bad entry.
 */
export function parseArtifactEgress (text: string): ArtifactEgress[] {
  const out: ArtifactEgress[] = []
  for (const raw of text.split(',').map(e => e.trim()).filter(Boolean)) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw) ?? /^(.*\/\d{1,3}):(\d+)$/.exec(raw) ?? /^([\d.]+(?:\/\d{1,2})?(?:-[\d.]+)?):(\d+)$/.exec(raw) ?? [raw, raw, undefined]
    const [, destination, port] = m
    const n = port === undefined ? undefined : Number(port)
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 65535)) throw new Error(`TASKBBS_K8S_ARTIFACT_EGRESS: "${raw}" has no valid port (1-65535)`)
    let cidrs: string[]
    try {
      cidrs = destinationCidrs(destination)
    } catch {
      throw new Error(`TASKBBS_K8S_ARTIFACT_EGRESS: "${raw}" is not an IP address, CIDR or range with an optional :port (NetworkPolicy cannot take host names)`)
    }
    out.push(n === undefined ? { cidrs } : { cidrs, port: n })
  }
  return out
}

const isIcmp = (rule: EgressRule) => rule.protocol === 'icmp' || rule.protocol === 'icmpv6'

export function egressErrors (rules: readonly EgressRule[] | undefined, icmp: IcmpEgress): FieldError[] {
  if (icmp === 'ignore') return []
  return (rules ?? []).flatMap((rule, i) => isIcmp(rule)
    ? [{ field: `egress_rules[${i}].protocol`, message: `${rule.protocol} cannot be expressed in a Kubernetes NetworkPolicy, which filters only TCP, UDP and SCTP ports; drop the rule, or ask the operator to set TASKBBS_K8S_ICMP_EGRESS=ignore` }]
    : [])
}

/** Rules a policy will leave out (icmp under `ignore`); the task log names them. */
export function droppedEgressRules (rules: readonly EgressRule[] | undefined): number[] {
  return (rules ?? []).flatMap((rule, i) => isIcmp(rule) ? [i] : [])
}

function trailingZeroBits (n: bigint, width: number): number {
  if (n === 0n) return width
  let bits = 0
  while ((n & 1n) === 0n) { n >>= 1n; bits++ }
  return bits
}

function formatIPv4 (n: bigint): string {
  return [24n, 16n, 8n, 0n].map(s => String((n >> s) & 0xffn)).join('.')
}

/** RFC 5952 form: lowercase, the longest run of two or more zero groups as "::". */
function formatIPv6 (n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn))
  let best = { start: -1, len: 0 }
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > best.len) best = { start: i, len: j - i }
    i = j
  }
  const hex = groups.map(g => g.toString(16))
  if (best.len < 2) return hex.join(':')
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`
}

/** The fewest CIDR blocks whose union is exactly [first, last]. */
export function rangeToCidrs (first: bigint, last: bigint, family: 4 | 6): string[] {
  const width = family === 4 ? 32 : 128
  const format = family === 4 ? formatIPv4 : formatIPv6
  const out: string[] = []
  while (first <= last) {
    let bits = trailingZeroBits(first, width)
    while (bits > 0 && first + (1n << BigInt(bits)) - 1n > last) bits--
    out.push(`${format(first)}/${width - bits}`)
    first += 1n << BigInt(bits)
  }
  return out
}

/** CIDR blocks for one Diego destination (IP, CIDR or range), in canonical form. */
export function destinationCidrs (destination: string): string[] {
  const d = parseDestination(destination)
  if (!d) throw new Error(`"${destination}" is not an IP address, a CIDR or a range`)
  return rangeToCidrs(d.first, d.last, d.family)
}

function ports (rule: EgressRule): V1NetworkPolicyPort[] | undefined {
  const protocol = rule.protocol === 'udp' ? 'UDP' : 'TCP'
  if (rule.ports) return rule.ports.map(port => ({ protocol, port }))
  if (rule.port_range) {
    const { start, end } = rule.port_range
    return [end > start ? { protocol, port: start, endPort: end } : { protocol, port: start }]
  }
  return undefined
}

export interface PolicyTarget {
  name: string
  namespace: string
  labels: Record<string, string>
  /** Labels that select exactly the task's pod. */
  podSelector: Record<string, string>
}

/**
 * The task's NetworkPolicy: the operator's artifact destinations first, then
 * the task's rules; undefined when there is nothing to open (the namespace
 * default applies).
 */
export function networkPolicyFor (target: PolicyTarget, rules: readonly EgressRule[] | undefined, artifacts: readonly ArtifactEgress[] = []): V1NetworkPolicy | undefined {
  const egress: V1NetworkPolicyEgressRule[] = []
  for (const a of artifacts) {
    const to = a.cidrs.map(cidr => ({ ipBlock: { cidr } }))
    egress.push(a.port === undefined ? { to, ports: [{ protocol: 'TCP' }] } : { to, ports: [{ protocol: 'TCP', port: a.port }] })
  }
  for (const rule of rules ?? []) {
    if (isIcmp(rule)) continue
    const to = rule.destinations.flatMap(destinationCidrs).map(cidr => ({ ipBlock: { cidr } }))
    const p = rule.protocol === 'all' ? undefined : ports(rule)
    egress.push(p ? { to, ports: p } : { to })
  }
  if (egress.length === 0) return undefined
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: { podSelector: { matchLabels: target.podSelector }, policyTypes: ['Egress'], egress }
  }
}
