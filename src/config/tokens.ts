import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Type from 'typebox'
import Value from 'typebox/value'

/** What a token may do. Each role includes the ones before it. */
export const ROLES = ['read', 'write', 'admin'] as const
export type Role = typeof ROLES[number]

/** One entry of TASKBBS_TOKENS, as the operator writes it. */
export const TokenEntry = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })),
  token: Type.Optional(Type.String({ minLength: 16, maxLength: 4096, pattern: '^[\\x21-\\x7e]+$' })),
  sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  domains: Type.Union([Type.Literal('*'), Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1 })]),
  role: Type.Union(ROLES.map(r => Type.Literal(r)))
}, { additionalProperties: false })

/**
 * A token as the process keeps it: only the SHA-256 digest of the secret, so
 * that a heap dump or a debug print of the configuration reveals no token.
 */
export interface Grant {
  /** For logs; never the token. */
  name: string
  role: Role
  /** '*' for every domain. */
  domains: '*' | readonly string[]
  digest: Buffer
}

export function tokenDigest (token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

/**
 * Reads TASKBBS_TOKENS: inline JSON when it starts with `[`, else a file path.
 * Problems name the variable and the entry but never quote a token, since
 * they are printed at start.
 */
export function readTokens (raw: string): { grants: Grant[], problems: string[] } {
  const V = 'TASKBBS_TOKENS'
  if (raw.trim() === '') return { grants: [], problems: [] }
  let text = raw
  let where = V
  const trimmed = raw.trimStart()
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    // Someone may well paste a bare token here: name the value only when it looks like a path.
    const shown = /[/\\]|\.json$/.test(raw) ? raw : '(value not shown: it does not look like a path and may be a token)'
    where = `${V} (file ${shown})`
    try {
      text = readFileSync(raw, 'utf8')
    } catch (err) {
      return { grants: [], problems: [`${V}: cannot read the token file ${shown}: ${(err as NodeJS.ErrnoException).code ?? 'error'}; it must be a JSON array or the path of a file holding one`] }
    }
  }
  let entries: unknown
  try {
    entries = JSON.parse(text)
  } catch {
    // JSON.parse's message quotes the text around the error: a token, maybe.
    return { grants: [], problems: [`${where} is not valid JSON; expected an array of {name, token, domains, role}`] }
  }
  if (!Array.isArray(entries) || entries.length === 0) {
    return { grants: [], problems: [`${where} must be a non-empty JSON array of {name, token, domains, role}`] }
  }
  const problems: string[] = []
  const grants: Grant[] = []
  const seen = new Set<string>()
  entries.forEach((entry, i) => {
    const at = `${where}[${i}]`
    if (!Value.Check(TokenEntry, entry)) {
      for (const e of Value.Errors(TokenEntry, entry)) problems.push(`${at}${e.instancePath ? e.instancePath.replaceAll('/', '.') : ''} ${e.message}`)
      return
    }
    if ((entry.token === undefined) === (entry.sha256 === undefined)) {
      problems.push(`${at} needs exactly one of "token" or "sha256"`)
      return
    }
    const digest = entry.sha256 !== undefined ? Buffer.from(entry.sha256, 'hex') : tokenDigest(entry.token as string)
    const key = digest.toString('hex')
    if (seen.has(key)) problems.push(`${at} repeats a token of an earlier entry`)
    seen.add(key)
    grants.push({ name: entry.name ?? `token-${i}`, role: entry.role, domains: entry.domains === '*' ? '*' : [...new Set(entry.domains)], digest })
  })
  return { grants: problems.length ? [] : grants, problems }
}
