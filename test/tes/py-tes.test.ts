/**
 * py-tes, the GA4GH TES client workflow engines' users script with, against a
 * real server process (`node src/server.ts`, as `npm start` runs it: embedded
 * API, scheduler and local executor over a real PostgreSQL). py-tes is pinned
 * in test/tes/py-tes/requirements.txt and installed into test/tes/py-tes/.venv
 * on first use; scenario.py prints what it saw as one JSON object.
 */
import { execFile, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import t from 'tap'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'
import { startStorage } from './files.ts'

const exec = promisify(execFile)
const DIR = new URL('./py-tes/', import.meta.url).pathname
const VENV = `${DIR}.venv`
const PYTHON = process.env.PYTHON ?? 'python3'

function pythonMissing (): string | false {
  const probe = spawnSync(PYTHON, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) return `${PYTHON} with the venv and ensurepip modules is not available, so py-tes cannot be installed`
  return false
}

/** The pinned py-tes in a venv of its own, made again when requirements.txt changes. */
async function venv (): Promise<string> {
  const want = createHash('sha256').update(readFileSync(`${DIR}requirements.txt`)).digest('hex')
  const stamp = `${VENV}/.requirements.sha256`
  if (existsSync(`${VENV}/bin/python`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return `${VENV}/bin/python`
  rmSync(VENV, { recursive: true, force: true })
  await exec(PYTHON, ['-m', 'venv', VENV])
  await exec(`${VENV}/bin/pip`, ['install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', `${DIR}requirements.txt`], { maxBuffer: 16 << 20 })
  writeFileSync(stamp, want)
  return `${VENV}/bin/python`
}

t.setTimeout(360_000)

t.test('py-tes creates, gets in each view, lists with filters and pages, cancels, and runs a task with an input, an output and two executors', { skip: pythonMissing() }, async t => {
  const started = Date.now()
  const db = await testDatabase(t)
  const [server, python, storage] = await Promise.all([
    startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development' }),
    venv(),
    startStorage(t, { 'words.txt': 'pear\napple\nfig\n' })
  ])
  const ran = Date.now()
  const { stdout } = await exec(python, ['scenario.py'], {
    cwd: DIR,
    env: { ...process.env, TES_URL: server.url, STORAGE_URL: storage.url },
    timeout: 180_000
  })
  const seen = JSON.parse(stdout)

  t.same(seen.service, { artifact: 'tes', version: '1.1.0', storage: ['http://', 'https://'] })
  t.same(seen.pipeline, {
    wait_state: 'COMPLETE',
    state: 'COMPLETE',
    name: 'py-tes-pipeline',
    executors: 2,
    exit_codes: [0, 0],
    stdout: ['', 'PEAR\nFIG\nAPPLE\n!\n'],
    stderr: ['', 'done\n'],
    ended_in_order: true,
    outputs: [['/data/result.txt', 17]],
    full_content: '!\n',
    basic_content: null,
    basic_stdout: [null, null],
    basic_exit_codes: [0, 0],
    basic_system_logs: null,
    minimal: [true, 'COMPLETE', null, null, null],
    creation_time: true
  })
  t.equal(storage.uploads.get('/out/py-tes')?.toString(), 'PEAR\nFIG\nAPPLE\n!\n', 'the output reached storage')
  t.same(seen.paging, { pages: 2, listed: 4, unique: 4, newest_first: true, minimal_fields: [true, null] })
  t.same(seen.filters, {
    name_prefix: [true],
    tag: ['py-tes-page-0', 'py-tes-page-1', 'py-tes-page-2'],
    two_tags: ['py-tes-page-1'],
    tag_any_value: 3,
    state_complete: 4,
    state_queued: 0
  })
  t.same(seen.cancel, { before: 'RUNNING', after: 'CANCELED' })
  t.same(seen.failing, { state: 'EXECUTOR_ERROR', exit_code: 7 })
  t.match(seen.bad, { status: 400, detail: /executors\[0\]\.stdout/ })
  t.equal(seen.missing, 404)
  t.comment(`figures: py-tes scenario ran in ${((Date.now() - ran) / 1000).toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s with server start and venv)`)
})
