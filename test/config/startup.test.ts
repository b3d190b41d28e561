/**
 * The real entry point, `node src/server.ts`, fails fast on bad
 * configuration: exit code 2 before touching any database, with a message
 * that names the variable. `--help` lists every variable.
 */
import { spawn } from 'node:child_process'
import t from 'tap'
import { ConfigSchema } from '../../src/config/schema.ts'

const SERVER = new URL('../../src/server.ts', import.meta.url).pathname

function run (env: Record<string, string>, args: string[] = []): Promise<{ code: number | null, stdout: string, stderr: string, ms: number }> {
  const started = Date.now()
  // A clean environment: nothing of the caller's (a DATABASE_URL, say) leaks in.
  const child = spawn(process.execPath, [SERVER, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => { stdout += d })
  child.stderr.on('data', d => { stderr += d })
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  return new Promise(resolve => child.on('exit', code => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }) }))
}

t.test('a bad value stops the server with exit code 2 and a message naming the variable', async t => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ TASKBBS_PORT: 'eighty' }, /TASKBBS_PORT="eighty" is not an integer/],
    [{ TASKBBS_PORT: '70000' }, /TASKBBS_PORT=70000 is out of range/],
    [{ TASKBBS_MODE: 'staging' }, /TASKBBS_MODE="staging" is not one of development, production/],
    [{ TASKBBS_EVENTS_RETENTION: '-1' }, /TASKBBS_EVENTS_RETENTION=-1 is out of range/],
    [{ TASKBBS_EVENTS_HEARTBEAT_INTERVAL: 'often' }, /TASKBBS_EVENTS_HEARTBEAT_INTERVAL="often" is not a number/],
    [{ TASKBBS_TOKENS: '[{"token": "too-short", "domains": "*", "role": "read"}]' }, /TASKBBS_TOKENS\[0\]\.token/],
    [{ TASKBBS_MODE: 'production' }, /TASKBBS_TOKENS is empty but TASKBBS_MODE=production/],
    [{ TASKBBS_CALLBACK_SIGNING_SECRET: 'whsec_tooshort' }, /TASKBBS_CALLBACK_SIGNING_SECRET must be "whsec_" followed by at least 16 base64-encoded bytes/],
    [{ TASKBBS_CALLBACK_SIGNING_SECRET: 'whsec_not base64 at all, not even close!!' }, /TASKBBS_CALLBACK_SIGNING_SECRET must be/],
    [{ TASKBBS_K8S_GRANTS: '{"builds": {"secrets": "builds-token"}}' }, /TASKBBS_K8S_GRANTS\["builds"\]\.secrets/],
    [{ TASKBBS_K8S_ALLOW_POD_AFFINITY: 'sometimes' }, /TASKBBS_K8S_ALLOW_POD_AFFINITY="sometimes" is not a boolean/]
  ]
  for (const [env, pattern] of cases) {
    const r = await run(env)
    t.equal(r.code, 2, `${JSON.stringify(env)} exits 2`)
    t.match(r.stderr, pattern, JSON.stringify(env))
    t.match(r.stderr, /See --help/)
    t.notMatch(r.stdout, /embedded PostgreSQL/, 'it stopped before starting a database')
  }
})

t.test('every bad value is reported at once', async t => {
  const r = await run({ TASKBBS_PORT: 'x', TASKBBS_LOG_LEVEL: 'loud' })
  t.equal(r.code, 2)
  t.match(r.stderr, /TASKBBS_PORT/)
  t.match(r.stderr, /TASKBBS_LOG_LEVEL/)
})

t.test('--help prints every variable with its default', async t => {
  const r = await run({}, ['--help'])
  t.equal(r.code, 0)
  for (const name of Object.keys(ConfigSchema.properties)) t.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'), name)
})
