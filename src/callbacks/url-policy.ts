import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { isIP } from 'node:net'
import { parseDestination } from '../domain/egress.ts'

/**
 * Where callbacks may go. Outside development mode, addresses that reach the
 * server itself or cloud metadata are refused: loopback, link-local (which
 * holds 169.254.169.254), unspecified, and the IPv6 metadata address. The
 * operator's allow-list (hosts or CIDRs) overrides. Checked on every resolved
 * address at connect time, so DNS cannot be used to slip past it.
 */
export interface UrlPolicy {
  enforce: boolean
  /** Host names (exact, case-insensitive) or IP/CIDR/range entries that are always allowed. */
  allow: string[]
}

const FORBIDDEN: Array<{ range: string, why: string }> = [
  { range: '127.0.0.0/8', why: 'loopback' },
  { range: '::1/128', why: 'loopback' },
  { range: '0.0.0.0/8', why: 'unspecified' },
  { range: '::/128', why: 'unspecified' },
  { range: '169.254.0.0/16', why: 'link-local (cloud metadata)' },
  { range: 'fe80::/10', why: 'link-local' },
  { range: 'fd00:ec2::254/128', why: 'cloud metadata' },
  { range: '::ffff:127.0.0.0/104', why: 'loopback' },
  { range: '::ffff:169.254.0.0/112', why: 'link-local (cloud metadata)' }
]
const FORBIDDEN_PARSED = FORBIDDEN.map(f => ({ ...f, dest: parseDestination(f.range)! }))

function inRange (ip: string, entry: string): boolean {
  const a = parseDestination(ip)
  const r = parseDestination(entry)
  return Boolean(a && r && a.family === r.family && a.first >= r.first && a.last <= r.last)
}

/** Why an address is refused, or undefined when it is allowed. */
export function forbiddenAddress (policy: UrlPolicy, ip: string, host?: string): string | undefined {
  if (!policy.enforce) return undefined
  if (host && policy.allow.some(a => a.toLowerCase() === host.toLowerCase())) return undefined
  if (policy.allow.some(a => parseDestination(a) && inRange(ip, a))) return undefined
  const parsed = parseDestination(ip)
  if (!parsed) return `${ip} is not an IP address`
  const kind = forbiddenKind(parsed)
  return kind ? `${ip} is a ${kind} address` : undefined
}

function forbiddenKind (parsed: NonNullable<ReturnType<typeof parseDestination>>): string | undefined {
  return FORBIDDEN_PARSED.find(f => f.dest.family === parsed.family && parsed.first >= f.dest.first && parsed.last <= f.dest.last)?.why
}

/**
 * Desire-time check: what can be known without DNS. IP literals and
 * `localhost` are judged now; other names are judged at delivery.
 */
export function urlPolicyError (policy: UrlPolicy, url: string): string | undefined {
  if (!policy.enforce) return undefined
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  if (policy.allow.some(a => a.toLowerCase() === host.toLowerCase())) return undefined
  if (isIP(host)) {
    if (!forbiddenAddress(policy, host)) return undefined
    const parsed = parseDestination(host)
    const kind = parsed && forbiddenKind(parsed)
    return `callbacks to ${host}${kind ? `, a ${kind} address,` : ''} are refused by this server; ask the operator to allow it (TASKBBS_CALLBACK_ALLOW)`
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return `callbacks to ${host}, a name for this machine, are refused by this server; ask the operator to allow it (TASKBBS_CALLBACK_ALLOW)`
  }
  return undefined
}

export class ForbiddenAddressError extends Error {
  readonly code = 'CALLBACK_ADDRESS_FORBIDDEN'
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** A dns.lookup replacement for the HTTP client's connector that refuses forbidden addresses. */
export function guardedLookup (policy: UrlPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      const list = addresses as LookupAddress[]
      for (const a of list) {
        const why = forbiddenAddress(policy, a.address, hostname)
        if (why) return callback(new ForbiddenAddressError(`${hostname} resolves to ${why}; refused`), [])
      }
      if (options.all) callback(null, list)
      else callback(null, list[0].address, list[0].family)
    })
  }
}

/** Desire-time refusals for a definition's completion_callback_url, naming the field. */
export function callbackUrlErrors (policy: UrlPolicy, def: { completion_callback_url?: string }): Array<{ field: string, message: string }> {
  if (!def.completion_callback_url) return []
  const why = urlPolicyError(policy, def.completion_callback_url)
  return why ? [{ field: 'completion_callback_url', message: why }] : []
}
