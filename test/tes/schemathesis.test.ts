/**
 * Schema fuzzing of the TES routes only: schemathesis (fuzz/run.sh, pinned in
 * fuzz/requirements.txt) generates requests for every /ga4gh/tes/v1 operation
 * from the committed OpenAPI document and checks each answer: no 5xx, a
 * documented status, content type and body. The server is API-only, so no
 * generated task runs; the stateful phase still creates tasks and reads and
 * cancels them by the ids it was given.
 */
import { spawn, spawnSync } from 'node:child_process'
import t from 'tap'
import { parseExposition } from '../helpers/prometheus.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const RUN_SH = new URL('../../fuzz/run.sh', import.meta.url).pathname
// The first run also installs schemathesis into fuzz/.venv (~60 s on 2 cores); later ones take ~70 s.
const FUZZ_DEADLINE_MS = 200_000

function pythonMissing (): string | false {
  const python = process.env.PYTHON ?? 'python3'
  const probe = spawnSync(python, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) return `${python} with the venv and ensurepip modules is not available, so schemathesis cannot be installed`
  return false
}

t.setTimeout(300_000)

t.test('schemathesis finds no server error, undocumented status, content type or body on the TES routes', { skip: pythonMissing() }, async t => {
  const db = await testDatabase(t)
  const server = await startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development', TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false' })
  const started = Date.now()
  const child = spawn('bash', [RUN_SH, server.url, '--', '--include-path-regex', '^/ga4gh/tes/v1/'], {
    env: { ...process.env, FUZZ_PROFILE: 'quick', FUZZ_MAX_EXAMPLES: process.env.FUZZ_MAX_EXAMPLES ?? '100' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', d => { out += d })
  child.stderr.on('data', d => { out += d })
  const killer = setTimeout(() => child.kill('SIGKILL'), FUZZ_DEADLINE_MS)
  const code = await new Promise<number | null>(resolve => child.on('exit', c => resolve(c)))
  clearTimeout(killer)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)

  const cases = /(\d+) generated, (\d+) (passed|found)/.exec(out)
  const generated = cases ? Number(cases[1]) : 0
  const failures = /Failures:\n([\s\S]*?)\n\n/.exec(out)?.[1].trim()
  const metrics = parseExposition(await (await fetch(`${server.url}/metrics`)).text())
  const byClass = new Map<string, number>()
  for (const [key, value] of metrics.samples) {
    const m = /^taskbbs_http_request_duration_seconds_count\{.*route="\/ga4gh\/tes\/v1[^"]*".*status="(\d)\d\d"/.exec(key)
    if (m) byClass.set(`${m[1]}xx`, (byClass.get(`${m[1]}xx`) ?? 0) + value)
  }
  const { rows: [stored] } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tes_tasks')

  t.comment(`figures: schemathesis on TES routes: ${generated} test cases in ${seconds} s, exit ${code}${failures ? `; ${failures.replace(/\s+/g, ' ')}` : ''}`)
  t.comment(`figures: TES routes answered: ${[...byClass].sort().map(([k, v]) => `${k}=${v}`).join(' ')}; TES tasks stored by generated creates: ${stored.n}`)
  if (code !== 0) t.comment(out.slice(-6000))

  t.equal(code, 0, 'schemathesis reports no finding')
  t.ok(generated >= 200, `schemathesis generated a real number of cases (${generated})`)
  t.equal(byClass.get('5xx') ?? 0, 0, 'the TES routes answered no request with a 5xx')
  t.ok((byClass.get('2xx') ?? 0) > 0 && (byClass.get('4xx') ?? 0) > 0, 'both accepted and refused requests were exercised')
  t.ok(stored.n > 0, 'some generated tasks were valid and stored')
})
