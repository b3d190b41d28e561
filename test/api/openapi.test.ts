/**
 * The OpenAPI document generated clients are built from: committed at
 * openapi/openapi.json, identical to what the code describes, with every route,
 * its problem responses and named components, and no dangling $ref.
 */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import pg from 'pg'
import { OPENAPI_FILE, renderOpenApi } from '../../scripts/write-openapi.ts'
import { buildApp } from '../../src/app.ts'
import { ERROR_CATALOGUE } from '../../src/domain/errors.ts'

interface Operation {
  operationId?: string
  parameters?: Array<{ name: string, in: string, required?: boolean, schema?: { default?: unknown } }>
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>
}
interface Document {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> }
}

const generated = await renderOpenApi()
const doc = JSON.parse(generated) as Document
const PROBLEM_REF = '#/components/schemas/Problem'

const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })))

t.test('the committed openapi/openapi.json is the document the code generates', async t => {
  let committed: string
  try {
    committed = await readFile(OPENAPI_FILE, 'utf8')
  } catch {
    t.fail('openapi/openapi.json is missing: run `npm run openapi` and commit it')
    return
  }
  t.ok(committed === generated, 'openapi/openapi.json differs from the code: run `npm run openapi` and commit the result')
})

t.test('the document is written as 2-space JSON with a trailing newline', async t => {
  t.equal(generated, JSON.stringify(doc, null, 2) + '\n')
})

t.test('the app serves the same document at /openapi.json', async t => {
  const pool = new pg.Pool({ connectionString: 'postgres://openapi@127.0.0.1:1/none' })
  const app = await buildApp({ pool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  t.teardown(async () => { await app.close(); await pool.end() })
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), doc)
})

t.test('it is OpenAPI 3.1.0', async t => {
  t.equal(doc.openapi, '3.1.0')
})

t.test('every route is documented with its operationId, success and problem responses', async t => {
  const expected: Record<string, { operationId: string, success: string, problems: number[] }> = {
    'POST /v1/tasks': { operationId: 'desireTask', success: '201', problems: [400, 409, 413, 415, 422, 500] },
    'GET /v1/tasks': { operationId: 'listTasks', success: '200', problems: [422, 500] },
    'GET /v1/tasks/{guid}': { operationId: 'getTask', success: '200', problems: [404, 422, 500] },
    'POST /v1/tasks/{guid}/cancel': { operationId: 'cancelTask', success: '200', problems: [404, 409, 422, 500] },
    'POST /v1/tasks/{guid}/resolving': { operationId: 'resolvingTask', success: '200', problems: [404, 409, 422, 500] },
    'DELETE /v1/tasks/{guid}': { operationId: 'deleteTask', success: '204', problems: [404, 409, 422, 500] },
    'GET /healthz': { operationId: 'health', success: '200', problems: [] },
    'GET /readyz': { operationId: 'ready', success: '200', problems: [500, 503] }
  }
  const byKey = new Map(operations.map(o => [o.key, o.op]))
  for (const [key, want] of Object.entries(expected)) {
    const op = byKey.get(key)
    if (!op) { t.fail(`${key} is missing`); continue }
    t.equal(op.operationId, want.operationId, `${key} operationId`)
    t.ok(op.responses[want.success], `${key} documents ${want.success}`)
    for (const status of want.problems) {
      t.equal(op.responses[status]?.content?.['application/problem+json']?.schema?.$ref, PROBLEM_REF, `${key} documents ${status} as a Problem`)
    }
  }
})

t.test('every operation has a unique operationId and every error status is a Problem', async t => {
  const ids = operations.map(o => o.op.operationId)
  t.ok(ids.every(id => typeof id === 'string' && id.length > 0), 'every operation has an operationId')
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  for (const { key, op } of operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) < 400) continue
      t.same(Object.keys(response.content ?? {}), ['application/problem+json'], `${key} ${status} is problem+json`)
      t.equal(response.content?.['application/problem+json']?.schema?.$ref, PROBLEM_REF, `${key} ${status} is a Problem`)
    }
  }
})

t.test('shared schemas are named components, never def-N', async t => {
  const names = Object.keys(doc.components.schemas)
  for (const name of ['Task', 'TaskDefinition', 'Action', 'Problem', 'TaskList', 'TaskState']) t.ok(names.includes(name), `components include ${name}`)
  t.same(names.filter(n => /^def-\d+$/.test(n)), [], 'no def-N component')
  t.notMatch(generated, /"#\/components\/schemas\/def-\d+"/, 'no $ref to a def-N')
})

t.test('every $ref resolves to something in the document', async t => {
  const refs = new Set<string>()
  JSON.stringify(doc, (key, value) => { if (key === '$ref') refs.add(value as string); return value })
  t.ok(refs.size > 0)
  for (const ref of refs) {
    t.ok(ref.startsWith('#/'), `${ref} is local`)
    let node: unknown = doc
    for (const part of ref.slice(2).split('/').map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined
    }
    t.ok(node !== undefined, `${ref} resolves`)
  }
})

t.test('every error code in the catalogue is in the Problem schema\'s code enum', async t => {
  const codes = doc.components.schemas.Problem.properties?.code?.enum ?? []
  for (const code of Object.keys(ERROR_CATALOGUE)) t.ok(codes.includes(code), `${code} is documented`)
  t.same([...codes].sort(), Object.keys(ERROR_CATALOGUE).sort(), 'and nothing else')
})

t.test('a query parameter with a default is optional', async t => {
  for (const { key, op } of operations) {
    for (const p of op.parameters ?? []) {
      if (p.schema?.default !== undefined) t.notOk(p.required, `${key} ${p.in} ${p.name} has a default and is not required`)
    }
  }
})
