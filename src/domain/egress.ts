import Type, { type Static } from 'typebox'
import { LIMITS, StringEnum } from './common.ts'

const Port = Type.Integer({ minimum: 1, maximum: 65535 })

/** Diego's SecurityGroupRule: what a task may reach. */
export const EgressRule = Type.Object({
  protocol: StringEnum(['tcp', 'udp', 'icmp', 'icmpv6', 'all']),
  destinations: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    minItems: 1, maxItems: LIMITS.items,
    description: 'Each an IP address, a CIDR (10.0.0.0/8) or a range (10.0.0.1-10.0.0.9).'
  }),
  ports: Type.Optional(Type.Array(Port, { minItems: 1, maxItems: LIMITS.items, description: 'tcp/udp only; exclusive with port_range.' })),
  port_range: Type.Optional(Type.Object({ start: Port, end: Port }, {
    additionalProperties: false, description: 'tcp/udp only; start ≤ end; exclusive with ports.'
  })),
  icmp_info: Type.Optional(Type.Object({
    type: Type.Integer({ minimum: -1, maximum: 255, description: '-1 for any type.' }),
    code: Type.Integer({ minimum: -1, maximum: 255, description: '-1 for any code.' })
  }, { additionalProperties: false, description: 'Required for icmp/icmpv6, refused otherwise.' })),
  log: Type.Optional(Type.Boolean()),
  annotations: Type.Optional(Type.Array(Type.String({ maxLength: LIMITS.shortString }), { maxItems: 64 }))
}, { additionalProperties: false })

export type EgressRule = Static<typeof EgressRule>

export type IpFamily = 4 | 6
export interface ParsedDestination { family: IpFamily, first: bigint, last: bigint, text: string }

function parseIPv4 (s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let n = 0n
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined
    const v = Number(p)
    if (v > 255) return undefined
    n = (n << 8n) | BigInt(v)
  }
  return n
}

function parseIPv6 (s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  // A dotted IPv4 tail (::ffff:1.2.3.4) may only end the whole address.
  const groups = (h: string, endsAddress: boolean): number[] | undefined => {
    if (h === '') return []
    const out: number[] = []
    const parts = h.split(':')
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]
      if (endsAddress && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p)
        if (v4 === undefined) return undefined
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn))
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined
        out.push(parseInt(p, 16))
      }
    }
    return out
  }
  const head = groups(halves[0], halves.length === 1)
  const tail = halves.length === 2 ? groups(halves[1], true) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n)
}

function parseIp (s: string): { family: IpFamily, value: bigint } | undefined {
  const v4 = parseIPv4(s)
  if (v4 !== undefined) return { family: 4, value: v4 }
  const v6 = parseIPv6(s)
  if (v6 !== undefined) return { family: 6, value: v6 }
  return undefined
}

/** Parses an IP, CIDR or `ip1-ip2` range the way BBS accepts them; undefined when invalid. */
export function parseDestination (text: string): ParsedDestination | undefined {
  const dash = text.indexOf('-')
  if (dash >= 0) {
    const a = parseIp(text.slice(0, dash))
    const b = parseIp(text.slice(dash + 1))
    if (!a || !b || a.family !== b.family || a.value > b.value) return undefined
    return { family: a.family, first: a.value, last: b.value, text }
  }
  const slash = text.indexOf('/')
  if (slash >= 0) {
    const ip = parseIp(text.slice(0, slash))
    const bitsText = text.slice(slash + 1)
    if (!ip || !/^\d{1,3}$/.test(bitsText)) return undefined
    const width = ip.family === 4 ? 32 : 128
    const bits = Number(bitsText)
    if (bits > width) return undefined
    const hostBits = BigInt(width - bits)
    const first = (ip.value >> hostBits) << hostBits
    return { family: ip.family, first, last: first + (1n << hostBits) - 1n, text }
  }
  const ip = parseIp(text)
  if (!ip) return undefined
  return { family: ip.family, first: ip.value, last: ip.value, text }
}

/** BBS's rules for a security group rule; returns messages keyed by sub-field. */
export function egressRuleErrors (rule: EgressRule): Array<{ field: string, message: string }> {
  const errors: Array<{ field: string, message: string }> = []
  const hasPorts = rule.ports !== undefined
  const hasRange = rule.port_range !== undefined
  switch (rule.protocol) {
    case 'tcp':
    case 'udp':
      if (hasPorts && hasRange) errors.push({ field: 'ports', message: 'set either ports or port_range, not both' })
      if (!hasPorts && !hasRange) errors.push({ field: 'ports', message: `a ${rule.protocol} rule needs ports or port_range` })
      if (rule.icmp_info) errors.push({ field: 'icmp_info', message: `is only allowed for icmp and icmpv6, not ${rule.protocol}` })
      break
    case 'icmp':
    case 'icmpv6':
      if (!rule.icmp_info) errors.push({ field: 'icmp_info', message: `is required for ${rule.protocol}` })
      if (hasPorts) errors.push({ field: 'ports', message: `is not allowed for ${rule.protocol}` })
      if (hasRange) errors.push({ field: 'port_range', message: `is not allowed for ${rule.protocol}` })
      break
    case 'all':
      if (hasPorts) errors.push({ field: 'ports', message: 'is not allowed for protocol all' })
      if (hasRange) errors.push({ field: 'port_range', message: 'is not allowed for protocol all' })
      if (rule.icmp_info) errors.push({ field: 'icmp_info', message: 'is not allowed for protocol all' })
      break
  }
  if (rule.port_range && rule.port_range.start > rule.port_range.end) {
    errors.push({ field: 'port_range', message: `start ${rule.port_range.start} is after end ${rule.port_range.end}` })
  }
  rule.destinations.forEach((d, i) => {
    if (!parseDestination(d)) {
      errors.push({ field: `destinations[${i}]`, message: `"${d}" is not an IP address, a CIDR or a range ip1-ip2 with ip1 ≤ ip2` })
    }
  })
  return errors
}
