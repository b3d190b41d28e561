/**
 * The dashboard at /ui as a person sees it: Debian's Chromium, headless, driven
 * by playwright-core, against a real server running real tasks. It loads,
 * filters, shows a task change state live, shows a task's history, result and
 * logs, cancels a task, and asks for a token when the server needs one. The
 * screenshot in docs/dashboard.png is taken here (TASKBBS_UPDATE_SCREENSHOT=1).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { testDatabase } from '../helpers/database.ts'
import { closedPort } from '../helpers/receiver.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT = new URL('../../docs/dashboard.png', import.meta.url).pathname

/**
 * Debian's chromium, installed with apt-get when missing and we may (root, apt
 * present, TASKBBS_UI_INSTALL_CHROMIUM not 0), so that a fresh CI machine runs
 * this test rather than skipping it.
 */
async function findChromium (): Promise<{ path?: string, reason?: string }> {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM }
  if (process.env.TASKBBS_UI_INSTALL_CHROMIUM === '0') return { reason: `${CHROMIUM} not found and TASKBBS_UI_INSTALL_CHROMIUM=0; install it with: apt-get install -y chromium` }
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return { reason: `${CHROMIUM} not found; install Debian's chromium (apt-get install -y chromium) to run the dashboard test` }
  t.setTimeout(600_000)
  process.stderr.write(`# ${CHROMIUM} not found: installing Debian's chromium with apt-get\n`)
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    await promisify(execFile)('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { env, timeout: 480_000, maxBuffer: 64 << 20 })
  } catch (err) {
    return { reason: `${CHROMIUM} not found and apt-get install -y chromium failed: ${(err as Error).message.split('\n')[0]}` }
  }
  return existsSync(CHROMIUM) ? { path: CHROMIUM } : { reason: `apt-get installed chromium but ${CHROMIUM} is still missing` }
}

const found = await findChromium()
if (!found.path) {
  t.test('the dashboard in headless Chromium', { skip: found.reason }, async () => {})
} else {
  await dashboardSpecs(found.path)
}

async function dashboardSpecs (executablePath: string) {
  t.setTimeout(180_000)
  const db = await testDatabase(t)
  const server = await startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development' })
  const work = await mkdtemp(join(tmpdir(), 'taskbbs-ui-'))
  t.teardown(() => rm(work, { recursive: true, force: true }))

  async function desire (guid: string, domain: string, script: string, extra: Record<string, unknown> = {}) {
    const res = await fetch(`${server.url}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ guid, domain, root_fs: 'preloaded:cflinuxfs4', action: { run: { path: 'sh', args: ['-c', script], user: 'root' } }, result_file: 'result.txt', ...extra })
    })
    if (res.status !== 201) throw new Error(`desire ${guid}: ${res.status} ${await res.text()}`)
  }
  async function task (guid: string) {
    return (await fetch(`${server.url}/v1/tasks/${guid}`)).json() as Promise<{ state: string, failed: boolean, failure_reason: string }>
  }
  async function completed (guid: string) {
    const deadline = Date.now() + 20_000
    while ((await task(guid)).state !== 'COMPLETED') {
      if (Date.now() > deadline) throw new Error(`${guid} did not complete`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }

  async function browser (): Promise<BrowserContext> {
    // A fresh profile per run: no cache, no session left over from another run.
    const profile = await mkdtemp(join(tmpdir(), 'taskbbs-chromium-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 }
    })
    t.teardown(async () => { await context.close(); await rm(profile, { recursive: true, force: true }) })
    return context
  }

  /** The table redraws on the next animation frame: read the rows once they settle on `expected` (or after 3 s, whatever they are). */
  async function shownGuids (page: Page, expected: string[]): Promise<string[]> {
    const read = () => page.locator('#tasks tbody tr').evaluateAll(rows => rows.map(r => (r as HTMLElement).dataset.guid ?? '').sort())
    const deadline = Date.now() + 3000
    let seen = await read()
    while (JSON.stringify(seen) !== JSON.stringify([...expected].sort()) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 25))
      seen = await read()
    }
    return seen
  }

  const row = (page: Page, guid: string, state?: string) =>
    page.locator(`#tasks tbody tr[data-guid="${guid}"]${state ? `[data-state="${state}"]` : ''}`)

  await desire('alpha-report', 'ui-alpha', 'echo building the report; echo 42 > result.txt', { annotation: 'nightly report' })
  await desire('alpha-broken', 'ui-alpha', 'echo oops >&2; exit 3')
  await desire('beta-import', 'ui-beta', 'echo imported > result.txt')
  for (const guid of ['alpha-report', 'alpha-broken', 'beta-import']) await completed(guid)

  const context = await browser()
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', err => pageErrors.push(err.message))
  page.on('dialog', dialog => { void dialog.accept() })

  await t.test('the page loads fast and lists tasks by domain and state', async t => {
    const started = Date.now()
    await page.goto(`${server.url}/ui`)
    await row(page, 'beta-import').waitFor()
    t.ok(Date.now() - started < 5000, `listed in ${Date.now() - started} ms`)
    t.equal(await page.locator('#connection').getAttribute('data-state'), 'live', 'the event stream is open')
    const summary = await page.locator('#summary tbody tr').evaluateAll(rows => rows.map(r => [...r.children].map(c => c.textContent)))
    t.same(summary, [
      ['ui-alpha', '0', '0', '2', '1', '0', '2'],
      ['ui-beta', '0', '0', '1', '0', '0', '1']
    ], 'per domain: PENDING, RUNNING, COMPLETED, of which failed, RESOLVING, total')
    t.equal(await row(page, 'alpha-report').locator('td.outcome').textContent(), '42')
    t.equal(await row(page, 'alpha-broken').locator('td.outcome').textContent(), 'failed: run sh: exited with status 3')
  })

  await t.test('filters by domain, state and text, kept in the URL', async t => {
    await page.selectOption('#filter-domain', 'ui-alpha')
    t.same(await shownGuids(page, ['alpha-broken', 'alpha-report']), ['alpha-broken', 'alpha-report'])
    await page.fill('#filter-text', 'nightly')
    t.same(await shownGuids(page, ['alpha-report']), ['alpha-report'], 'the search looks at annotations too')
    t.match(page.url(), /#domain=ui-alpha&q=nightly$/)
    await page.fill('#filter-text', '')
    await page.locator('#summary tbody tr[data-domain="ui-beta"] td').nth(2).click() // ui-beta × COMPLETED
    t.equal(await page.inputValue('#filter-domain'), 'ui-beta')
    t.equal(await page.inputValue('#filter-state'), 'COMPLETED')
    t.same(await shownGuids(page, ['beta-import']), ['beta-import'])
    await page.selectOption('#filter-domain', 'ui-alpha')
    await page.selectOption('#filter-state', '')
  })

  await t.test('a task appears and changes state live, without a reload', async t => {
    await page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true })
    const gate = join(work, 'gate')
    await desire('alpha-live', 'ui-alpha', `echo waiting for the gate; while [ ! -e ${gate} ]; do sleep 0.05; done; echo opened; echo live > result.txt`)
    await row(page, 'alpha-live', 'RUNNING').waitFor({ timeout: 10_000 })
    t.pass('the new task shows RUNNING')
    await row(page, 'alpha-live').click()
    await page.locator('#logs', { hasText: 'waiting for the gate' }).waitFor({ timeout: 10_000 })
    t.pass('its logs show while it runs')
    await writeFile(gate, '')
    await row(page, 'alpha-live', 'COMPLETED').waitFor({ timeout: 10_000 })
    t.equal(await row(page, 'alpha-live').locator('td.outcome').textContent(), 'live')
    t.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'the page was not reloaded')
    t.equal(await page.locator('#summary tbody tr[data-domain="ui-alpha"] td').nth(2).textContent(), '3', 'the counts follow')

    // The detail: state history as observed, result, logs, definition, callbacks.
    await page.locator('#logs', { hasText: 'opened' }).waitFor({ timeout: 10_000 })
    const history = await page.locator('#history li .state').allTextContents()
    t.same(history.slice(-2), ['RUNNING', 'COMPLETED'], `history: ${history.join(' → ')}`)
    const times = await page.locator('#history li time').allTextContents()
    t.ok(times.length > 0 && times.every(x => /^\d\d:\d\d:\d\d\.\d{3}Z$/.test(x)), `history times are ISO 8601 UTC like the rest of the page: ${times.join(', ')}`)
    t.equal(await page.textContent('#result'), 'live\n')
    t.match(await page.textContent('#definition'), /"result_file": "result.txt"/)
    t.equal(await page.textContent('#callbacks'), 'This task has no completion callback.')
    t.ok(await page.isDisabled('#cancel'), 'a completed task cannot be cancelled')
  })

  await t.test('the cancel button cancels a running task', async t => {
    await desire('alpha-sleepy', 'ui-alpha', 'echo sleeping; sleep 600')
    await row(page, 'alpha-sleepy', 'RUNNING').waitFor({ timeout: 10_000 })
    await row(page, 'alpha-sleepy').click()
    await page.waitForSelector('#cancel:not([disabled])')
    await page.click('#cancel')
    await row(page, 'alpha-sleepy', 'COMPLETED').waitFor({ timeout: 10_000 })
    t.equal(await row(page, 'alpha-sleepy').locator('td.outcome').textContent(), 'failed: task was cancelled')
    t.match(await task('alpha-sleepy'), { state: 'COMPLETED', failed: true, failure_reason: 'task was cancelled' }, 'the server agrees')
    t.ok(await page.isDisabled('#cancel'))
  })

  await t.test('a callback history with long URLs and errors stays inside the detail panel', async t => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks/${'very-long-path-segment-'.repeat(12)}done`
    await desire('alpha-hooked', 'ui-alpha', 'echo hooked > result.txt', { completion_callback_url: url })
    await row(page, 'alpha-hooked').waitFor({ timeout: 10_000 })
    await row(page, 'alpha-hooked').click()
    await page.locator('#callbacks table tbody tr').first().waitFor({ timeout: 20_000 })
    const box = await page.locator('#detail').evaluate(d => ({ scroll: d.scrollWidth, client: d.clientWidth }))
    t.ok(box.scroll <= box.client + 1, `the panel does not overflow sideways (scrollWidth ${box.scroll}, clientWidth ${box.client})`)
  })

  await t.test('a screenshot for the README', async t => {
    await page.selectOption('#filter-domain', '')
    await row(page, 'alpha-live').click()
    await page.locator('#logs', { hasText: 'opened' }).waitFor()
    // Every run takes it; the committed one is replaced only when asked (or
    // missing), so that running the tests leaves the work tree clean.
    const update = process.env.TASKBBS_UPDATE_SCREENSHOT === '1' || !existsSync(SCREENSHOT)
    const path = update ? SCREENSHOT : join(work, 'dashboard.png')
    const png = await page.screenshot({ path })
    t.ok(png.length > 10_000, `${update ? 'updated' : 'took (TASKBBS_UPDATE_SCREENSHOT=1 updates docs/dashboard.png)'} ${path}`)
    t.same(pageErrors, [], 'no script error on the page')
  })

  await t.test('with authentication on, the page asks for a token and keeps it for the tab', async t => {
    const token = 'dashboard-test-token-0123'
    const secured = await startServerProcess(t, {
      DATABASE_URL: db.url,
      TASKBBS_MODE: 'production',
      TASKBBS_SCHEDULER: 'false',
      TASKBBS_TOKENS: JSON.stringify([{ name: 'ui', token, domains: ['ui-beta'], role: 'write' }])
    })
    const p = await context.newPage()
    await p.goto(`${secured.url}/ui`)
    await p.locator('#token-form').waitFor()
    t.ok(await p.isHidden('#main'), 'nothing is shown without a token')
    t.equal(await p.textContent('#token-error'), '', 'a first visit without a token is asked for one, not told it was refused')
    await p.fill('#token', 'not-the-right-token-at-all')
    await p.click('#token-form button')
    await p.locator('#token-error', { hasText: 'That token was not accepted.' }).waitFor()
    await p.fill('#token', token)
    await p.click('#token-form button')
    await row(p, 'beta-import').waitFor()
    t.equal(await p.locator('#connection').getAttribute('data-state'), 'live', 'the event stream is read with the token in a header')
    t.same(await p.locator('#tasks tbody tr').evaluateAll(rows => rows.map(r => (r as HTMLElement).dataset.guid)), ['beta-import'], 'only the domains the token may read')
    t.equal(await p.evaluate(() => sessionStorage.getItem('taskbbs.token')), token)
    await p.reload()
    await row(p, 'beta-import').waitFor()
    t.ok(await p.isHidden('#token-form'), 'the token is kept across reloads of the tab')
    await p.click('#forget-token')
    await p.locator('#token-form').waitFor()
    t.equal(await p.evaluate(() => sessionStorage.getItem('taskbbs.token')), null)
    await p.close()
  })
}
