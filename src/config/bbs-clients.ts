import { readFileSync } from 'node:fs'
import Type from 'typebox'
import Value from 'typebox/value'

/** One entry of TASKBBS_BBS_CLIENTS: a client certificate's subject common name and the domains it may act on. */
export const BbsClientEntry = Type.Object({
  common_name: Type.String({ minLength: 1, maxLength: 255 }),
  domains: Type.Union([Type.Literal('*'), Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1 })])
}, { additionalProperties: false })

export interface BbsClient { common_name: string, domains: '*' | readonly string[] }

/** Parses TASKBBS_BBS_CLIENTS (inline JSON or the path of a JSON file); empty means every certificate the client CA signed may act on every domain, as in BBS. */
export function readBbsClients (raw: string): { clients: BbsClient[], problems: string[] } {
  const V = 'TASKBBS_BBS_CLIENTS'
  if (raw.trim() === '') return { clients: [], problems: [] }
  let text = raw
  if (!raw.trimStart().startsWith('[')) {
    try {
      text = readFileSync(raw, 'utf8')
    } catch (err) {
      return { clients: [], problems: [`${V}: cannot read ${raw}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`] }
    }
  }
  let entries: unknown
  try { entries = JSON.parse(text) } catch { return { clients: [], problems: [`${V} is not valid JSON; expected an array of {common_name, domains}`] } }
  if (!Array.isArray(entries) || entries.length === 0) return { clients: [], problems: [`${V} must be a non-empty JSON array of {common_name, domains}`] }
  const problems: string[] = []
  const seen = new Set<string>()
  entries.forEach((e, i) => {
    if (!Value.Check(BbsClientEntry, e)) {
      problems.push(`${V}[${i}] must be {"common_name": "…", "domains": ["…"] or "*"}`)
      return
    }
    if (seen.has(e.common_name)) problems.push(`${V}[${i}]: common_name ${JSON.stringify(e.common_name)} is listed twice`)
    seen.add(e.common_name)
  })
  return { clients: problems.length ? [] : entries as BbsClient[], problems }
}

