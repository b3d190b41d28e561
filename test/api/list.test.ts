/**
 * GET /v1/tasks: filters by domain, state and cell_id that combine with AND,
 * bounded pages, and cursors that walk every task exactly once in desire order
 * while tasks come and go.
 */
import t, { type Test } from 'tap'
import { taskDefinition, testApp } from '../helpers/app.ts'

const { app, pool } = await testApp(t)

interface Page { tasks: Array<{ guid: string, domain: string, state: string, cell_id: string }>, next_cursor?: string }

async function desire (guid: string, domain: string) {
  const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: taskDefinition({ guid, domain }) })
  if (res.statusCode !== 201) throw new Error(`desire ${guid}: ${res.statusCode} ${res.body}`)
}

async function list (query: string): Promise<Page> {
  const res = await app.inject({ method: 'GET', url: `/v1/tasks?${query}` })
  if (res.statusCode !== 200) throw new Error(`GET /v1/tasks?${query}: ${res.statusCode} ${res.body}`)
  return res.json() as Page
}

const guids = (page: Page) => page.tasks.map(task => task.guid)

async function refused (t: Test, query: string, field: string | RegExp) {
  const res = await app.inject({ method: 'GET', url: `/v1/tasks?${query}` })
  t.equal(res.statusCode, 422, `422 for ?${query}`)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  const body = res.json() as { code: string, errors: Array<{ field: string }> }
  t.equal(body.code, 'VALIDATION_FAILED')
  const fields = body.errors.map(e => e.field)
  t.ok(fields.length > 0 && fields.every(f => typeof field === 'string' ? f === field : field.test(f)), `?${query} names ${field}: got ${fields.join(', ')}`)
}

/** Walks every page of `query` with `limit`, calling `between` after each page. */
async function walk (query: string, limit: number, between: (page: Page, n: number) => Promise<void> = async () => {}) {
  const pages: Page[] = []
  let cursor: string | undefined
  do {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    pages.push(page)
    cursor = page.next_cursor
    await between(page, pages.length)
  } while (cursor !== undefined && pages.length < 10_000)
  return pages
}

t.test('filters on domain, state and cell_id combine with AND', async t => {
  for (const [guid, domain] of [['f-a1', 'filter-a'], ['f-a2', 'filter-a'], ['f-b1', 'filter-b'], ['f-a3', 'filter-a']]) await desire(guid, domain)
  // Only the scheduler sets cell_id and RUNNING; the test plays its part in SQL.
  await pool.query(`UPDATE tasks SET state = 'RUNNING', cell_id = 'cell-1' WHERE guid IN ('f-a1', 'f-b1')`)
  await pool.query(`UPDATE tasks SET state = 'RUNNING', cell_id = 'cell-2' WHERE guid = 'f-a2'`)

  const cases: Array<[string, string[]]> = [
    ['domain=filter-a', ['f-a1', 'f-a2', 'f-a3']],
    ['domain=filter-b', ['f-b1']],
    ['state=RUNNING', ['f-a1', 'f-a2', 'f-b1']],
    ['state=PENDING&domain=filter-a', ['f-a3']],
    ['cell_id=cell-1', ['f-a1', 'f-b1']],
    ['domain=filter-a&state=RUNNING', ['f-a1', 'f-a2']],
    ['domain=filter-a&cell_id=cell-1', ['f-a1']],
    ['domain=filter-a&state=RUNNING&cell_id=cell-2', ['f-a2']],
    ['domain=filter-b&state=PENDING', []],
    ['domain=filter-b&cell_id=cell-2', []],
    ['state=COMPLETED', []],
    ['domain=filter-c', []]
  ]
  for (const [query, expected] of cases) t.same(guids(await list(query)), expected, `?${query}`)

  const a1 = (await list('cell_id=cell-1&domain=filter-a')).tasks[0]
  t.match(a1, { guid: 'f-a1', domain: 'filter-a', state: 'RUNNING', cell_id: 'cell-1' })
  await pool.query(`DELETE FROM tasks WHERE domain IN ('filter-a', 'filter-b')`)
})

t.test('filters match exactly: SQL metacharacters and wildcards find nothing and break nothing', async t => {
  await desire('meta-1', 'meta')
  await pool.query(`UPDATE tasks SET cell_id = 'cell-meta' WHERE guid = 'meta-1'`)
  for (const value of ["'; DROP TABLE tasks; --", "meta' OR '1'='1", '%', '_eta', 'met%', '\\', '"', 'meta; --', '$1']) {
    for (const filter of ['domain', 'cell_id']) {
      const page = await list(`${filter}=${encodeURIComponent(value)}`)
      t.same(page, { tasks: [] }, `${filter}=${value} is an empty page`)
    }
  }
  t.same(guids(await list('domain=meta')), ['meta-1'], 'the table is intact')
  t.same(guids(await list('cell_id=cell-meta')), ['meta-1'])
  await refused(t, `state=${encodeURIComponent("'; DROP TABLE tasks; --")}`, 'querystring.state')
  await refused(t, 'state=pending', 'querystring.state')
  await pool.query(`DELETE FROM tasks WHERE domain = 'meta'`)
})

t.test('filters refuse empty values, control characters and unknown parameters', async t => {
  await refused(t, 'domain=', 'querystring.domain')
  await refused(t, 'cell_id=', 'querystring.cell_id')
  await refused(t, 'domain=a%00b', 'querystring.domain')
  await refused(t, 'domain=a%0Ab', 'querystring.domain')
  await refused(t, 'sort=guid', 'querystring.sort')
})

t.test('limit is an integer from 1 to 1000', async t => {
  for (const limit of ['0', '-1', '1001', 'abc', '1.5', '', '1e3x']) await refused(t, `limit=${limit}`, 'querystring.limit')
  t.equal((await app.inject({ method: 'GET', url: '/v1/tasks?limit=1' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/tasks?limit=1000' })).statusCode, 200)
})

t.test('a cursor this server did not issue is 422 naming cursor', async t => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url')
  // The route names it `cursor`, the schema `querystring.cursor`: either names the parameter.
  const cursor = /^(querystring\.)?cursor$/
  for (const bad of ['abc', '!!!', b64('v2:5'), b64('v1:'), b64('v1:-1'), b64('v1:abc'), b64('v1:1 '), b64('v1:123456789012345678901'), 'x'.repeat(65)]) {
    await refused(t, `cursor=${encodeURIComponent(bad)}`, cursor)
  }
})

const PAGED = 1000
const pagedGuids: string[] = []

t.test(`${PAGED} tasks are desired in order`, async t => {
  for (let i = 0; i < PAGED; i++) {
    const guid = `page-${String(i).padStart(4, '0')}`
    await desire(guid, 'page')
    pagedGuids.push(guid)
  }
  t.equal(pagedGuids.length, PAGED)
})

t.test('without limit a page holds 100 tasks', async t => {
  const page = await list('domain=page')
  t.same(guids(page), pagedGuids.slice(0, 100))
  t.type(page.next_cursor, 'string', 'and points to the next page')
  const all = await list('domain=page&limit=1000')
  t.same(guids(all), pagedGuids, 'limit=1000 takes them all')
  t.notOk('next_cursor' in all, 'the last page has no next_cursor')
})

t.test(`${PAGED} tasks listed 37 at a time come back each exactly once, in desire order`, async t => {
  const pages = await walk('domain=page', 37)
  t.equal(pages.length, Math.ceil(PAGED / 37))
  for (const [i, page] of pages.entries()) {
    const last = i === pages.length - 1
    t.equal(page.tasks.length, last ? PAGED - 37 * i : 37, `page ${i + 1} size`)
    t.equal(page.next_cursor === undefined, last, `page ${i + 1} ${last ? 'ends' : 'continues'} the listing`)
  }
  t.same(pages.flatMap(guids), pagedGuids)
})

t.test('pages stay exact while tasks are desired and deleted between them', async t => {
  const expected = [...pagedGuids]
  let added = 0
  const pages = await walk('domain=page', 37, async (page, n) => {
    if (page.next_cursor === undefined) return
    // New tasks land after every cursor, so the walk must reach them too.
    for (let i = 0; i < 3; i++) {
      const guid = `late-${n}-${i}`
      await desire(guid, 'page')
      expected.push(guid)
      added++
    }
    // Deleting the task a cursor points at must not lose or repeat its successors.
    const cursorTask = page.tasks.at(-1)?.guid
    if (cursorTask && n % 5 === 0) await pool.query('DELETE FROM tasks WHERE guid = $1', [cursorTask])
  })
  const seen = pages.flatMap(guids)
  t.equal(new Set(seen).size, seen.length, 'no task twice')
  t.same(seen, expected, 'every task, the new ones included, in desire order')
  t.ok(added > 80, `${added} tasks were desired during the walk`)
})

t.test('a cursor past the largest id is refused, not a server error',
  async t => {
    const cursor = Buffer.from('v1:9999999999999999999').toString('base64url')
    const res = await app.inject({ method: 'GET', url: `/v1/tasks?cursor=${cursor}` })
    t.equal(res.statusCode, 422, res.body)
  })
