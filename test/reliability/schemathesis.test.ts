/**
 * Schema fuzzing: schemathesis generates requests for every route from the
 * committed OpenAPI document and checks every answer against it (no 5xx, a
 * documented status, content type and body). Any finding fails this file.
 * The fuzzer runs through fuzz/run.sh, which installs it into fuzz/.venv from
 * fuzz/requirements.txt; here it targets a real server process over a real
 * database, API-only so that no generated task runs or calls anywhere.
 */
import { spawn, spawnSync } from 'node:child_process'
import t from 'tap'
import { parseExposition } from '../helpers/prometheus.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const RUN_SH = new URL('../../fuzz/run.sh', import.meta.url).pathname
const VENV_OK = new URL('../../fuzz/.venv/bin/schemathesis', import.meta.url).pathname
// Bounded: a first install takes ~30 s, the quick profile ~40 s on 2 cores.
const FUZZ_DEADLINE_MS = 100_000

function pythonMissing (): string | false {
  const python = process.env.PYTHON ?? 'python3'
  const probe = spawnSync(python, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    if (spawnSync('test', ['-x', VENV_OK]).status === 0) return false
    return `${python} with the venv and ensurepip modules is not available, so schemathesis cannot be installed (${probe.error?.message ?? probe.stderr.trim()})`
  }
  return false
}

t.test('schemathesis finds no server error, undocumented status, content type or body on any route', { skip: pythonMissing() }, async t => {
  const db = await testDatabase(t)
  const server = await startServerProcess(t, {
    DATABASE_URL: db.url,
    TASKBBS_MODE: 'development',
    TASKBBS_SCHEDULER: 'false',
    TASKBBS_CALLBACKS: 'false'
  })

  const started = Date.now()
  // The TES routes have their own run, with more examples (test/tes/schemathesis.test.ts);
  // here they would double this file's time against its deadline.
  const child = spawn('bash', [RUN_SH, server.url, '--', '--exclude-path-regex', '^/ga4gh/tes/v1/'], {
    env: { ...process.env, FUZZ_PROFILE: 'quick', FUZZ_MAX_EXAMPLES: process.env.FUZZ_MAX_EXAMPLES ?? '50' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', d => { out += d })
  child.stderr.on('data', d => { out += d })
  const killer = setTimeout(() => child.kill('SIGKILL'), FUZZ_DEADLINE_MS)
  const code = await new Promise<number | null>(resolve => child.on('exit', c => resolve(c)))
  clearTimeout(killer)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)

  // "Test cases:\n  811 generated, 811 passed" or "…, 3 found 2 unique failures"
  const cases = /(\d+) generated, (\d+) (passed|found)/.exec(out)
  const generated = cases ? Number(cases[1]) : 0
  const failures = /Failures:\n([\s\S]*?)\n\n/.exec(out)?.[1].trim()

  // The server's own count of what it answered, by status class.
  const metrics = parseExposition(await (await fetch(`${server.url}/metrics`)).text())
  const byClass = new Map<string, number>()
  for (const [key, value] of metrics.samples) {
    const m = /^taskbbs_http_request_duration_seconds_count\{.*status="(\d)\d\d"/.exec(key)
    if (m) byClass.set(`${m[1]}xx`, (byClass.get(`${m[1]}xx`) ?? 0) + value)
  }
  // Desires the server accepted (201): counted from its metrics, since the
  // stateful phase goes on to cancel, resolve and delete the tasks it made.
  let accepted = 0
  for (const [key, value] of metrics.samples) {
    if (/^taskbbs_http_request_duration_seconds_count\{/.test(key) && key.includes('method="POST"') && key.includes('route="/v1/tasks"') && key.includes('status="201"')) accepted += value
  }
  const { rows: [stored] } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')

  t.comment(`figures: schemathesis: ${generated} test cases in ${seconds} s, exit ${code}${failures ? `; ${failures.replace(/\s+/g, ' ')}` : ''}`)
  t.comment(`figures: server answered: ${[...byClass].sort().map(([k, v]) => `${k}=${v}`).join(' ')}; desires accepted (201): ${accepted}; tasks still stored at the end: ${stored.n}`)
  if (code !== 0) t.comment(out.slice(-6000))

  t.equal(code, 0, 'schemathesis reports no finding')
  t.ok(generated >= 300, `schemathesis generated a real number of cases (${generated})`)
  t.equal(byClass.get('5xx') ?? 0, 0, 'the server answered no request with a 5xx')
  t.ok((byClass.get('2xx') ?? 0) > 0 && (byClass.get('4xx') ?? 0) > 0, 'both accepted and refused requests were exercised')
  t.ok(accepted > 0, `some generated desires were valid and stored (${accepted} answered 201)`)
})
