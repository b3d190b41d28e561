import { readFileSync } from 'node:fs'
import Type from 'typebox'
import Value from 'typebox/value'

const V = 'TASKBBS_K8S_GRANTS'
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
const ObjectNames = Type.Array(Type.String({ pattern: DNS_SUBDOMAIN, maxLength: 253 }), { maxItems: 10_000 })

/** What the operator grants one domain (or "*": every domain), as written in TASKBBS_K8S_GRANTS. */
export const GrantEntry = Type.Object({
  secrets: Type.Optional(ObjectNames),
  volume_claims: Type.Optional(ObjectNames)
}, { additionalProperties: false })

/**
 * Objects of the task namespace each domain may reference, by kind. A task
 * may use what is granted to its own domain and what is granted to "*".
 * A Map, not an object: domains are client-chosen strings, "__proto__" too.
 */
export type ObjectGrants = ReadonlyMap<string, { secrets: ReadonlySet<string>, volumeClaims: ReadonlySet<string> }>

export const NO_GRANTS: ObjectGrants = new Map()

/** The kinds of object a task can name, with the name the operator writes in TASKBBS_K8S_GRANTS. */
export type GrantKind = 'secrets' | 'volume_claims'

export function isGranted (grants: ObjectGrants, domain: string, kind: GrantKind, name: string): boolean {
  const key = kind === 'secrets' ? 'secrets' : 'volumeClaims'
  return Boolean(grants.get(domain)?.[key].has(name) || grants.get('*')?.[key].has(name))
}

/**
 * Reads TASKBBS_K8S_GRANTS: inline JSON when it starts with `{`, else the
 * path of a file holding it (a ConfigMap mounted as a file, say). Empty:
 * nothing is granted.
 */
export function readK8sGrants (raw: string): { grants: ObjectGrants, problems: string[] } {
  if (raw.trim() === '') return { grants: NO_GRANTS, problems: [] }
  let text = raw
  let where = V
  if (!/^\s*[{[]/.test(raw)) {
    where = `${V} (file ${raw})`
    try {
      text = readFileSync(raw, 'utf8')
    } catch (err) {
      return { grants: NO_GRANTS, problems: [`${V}: cannot read ${raw}: ${(err as NodeJS.ErrnoException).code ?? 'error'}; it must be a JSON object or the path of a file holding one`] }
    }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { grants: NO_GRANTS, problems: [`${where} is not valid JSON: ${(err as Error).message}`] }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { grants: NO_GRANTS, problems: [`${where} must be a JSON object mapping a domain (or "*") to {"secrets": [...], "volume_claims": [...]}`] }
  }
  const problems: string[] = []
  const grants = new Map<string, { secrets: Set<string>, volumeClaims: Set<string> }>()
  for (const [domain, entry] of Object.entries(value)) {
    const at = `${where}[${JSON.stringify(domain)}]`
    if (domain === '' || domain.length > 255) {
      problems.push(`${at}: a domain is 1 to 255 characters`)
      continue
    }
    if (!Value.Check(GrantEntry, entry)) {
      for (const e of Value.Errors(GrantEntry, entry)) problems.push(`${at}${e.instancePath.replaceAll('/', '.')} ${e.message}`)
      continue
    }
    grants.set(domain, { secrets: new Set(entry.secrets), volumeClaims: new Set(entry.volume_claims) })
  }
  return { grants: problems.length ? NO_GRANTS : grants, problems }
}
