/**
 * docs/errors.md is the reference page of every error code: the page, the
 * catalogue in src/domain/errors.ts and the OpenAPI document must agree, each
 * checked against the others (as fastify checks its errors page).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ERROR_CATALOGUE } from '../../src/domain/errors.ts'

const root = new URL('../../', import.meta.url).pathname
const page = readFileSync(join(root, 'docs/errors.md'), 'utf8')

/** Rows of the table under a `## heading`: first column's code → the other cells. */
function table (heading: string): Map<string, string[]> {
  const section = page.split(/^## /m).find(s => s.startsWith(heading))
  if (!section) throw new Error(`docs/errors.md has no section "${heading}"`)
  const rows = new Map<string, string[]>()
  for (const line of section.split('\n')) {
    const m = /^\| `([A-Z_]+)` \|(.*)\|$/.exec(line)
    if (m) rows.set(m[1], m[2].split('|').map(c => c.trim()))
  }
  return rows
}

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [])
}

t.test('every API code is on the page with its status, meaning and what to do, and the page has no other', async t => {
  const rows = table('API problem codes')
  t.same([...rows.keys()].sort(), Object.keys(ERROR_CATALOGUE).sort())
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    const [status, meaning, todo] = rows.get(code) ?? []
    t.equal(Number(status), entry.status, `${code}: status`)
    t.ok(meaning && meaning.length > 10, `${code}: meaning`)
    t.ok(todo && todo.length > 5, `${code}: what to do`)
  }
})

t.test('the OpenAPI document offers exactly the codes on the page', async t => {
  const doc = JSON.parse(readFileSync(join(root, 'openapi/openapi.json'), 'utf8'))
  const codes: string[] = doc.components.schemas.Problem.properties.code.enum
  t.same([...codes].sort(), [...table('API problem codes').keys()].sort())
})

t.test('every error class with a code of its own is on the page', async t => {
  const documented = new Set([...table('API problem codes').keys(), ...table('Process and component codes').keys()])
  const found = new Set<string>()
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/readonly code = '([A-Z_]+)'/g)) found.add(m[1])
  }
  t.ok(found.size >= 5, `found ${found.size} coded error classes in src`)
  for (const code of found) t.ok(documented.has(code), `${code} is documented`)
})
