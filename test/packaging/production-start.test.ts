/**
 * The image's start command, run directly: `node src/server.ts` with the
 * environment docker-compose.yml gives it (production, tokens, a real
 * database) becomes ready, serves only bearer tokens, and exits 0 on SIGTERM.
 */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import YAML from 'yaml'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const TOKEN = 'production-start-token-6c1d0f'
const db = await testDatabase(t)
const compose = YAML.parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'))
// The helper picks a free port; compose's fixed one could be taken.
const { TASKBBS_PORT: _port, ...composeEnv } = compose.services.taskbbs.environment as Record<string, string>

t.test('production mode with a token: ready, authenticated, JSON logs without the token, exit 0 on SIGTERM', async t => {
  const server = await startServerProcess(t, {
    ...composeEnv,
    DATABASE_URL: db.url,
    TASKBBS_TOKENS: JSON.stringify([{ name: 'ops', token: TOKEN, domains: '*', role: 'admin' }]),
    // The container listens on every interface; a test stays on loopback.
    TASKBBS_HOST: '127.0.0.1',
    TASKBBS_LOG_LEVEL: 'info'
  })
  t.equal((await fetch(`${server.url}/readyz`)).status, 200)
  t.equal((await fetch(`${server.url}/v1/tasks`)).status, 401, 'no token, no tasks')
  t.equal((await fetch(`${server.url}/v1/tasks`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200)
  t.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200)
  t.equal(await server.stop(), 0, 'SIGTERM drains and exits 0')
  const out = server.output()
  t.notMatch(out, TOKEN, 'the token is never logged')
  t.notMatch(out, /authentication is OFF/)
  for (const line of out.split('\n').filter(Boolean)) t.doesNotThrow(() => JSON.parse(line), `a JSON log line: ${line.slice(0, 80)}`)
})

t.test('development mode without tokens starts, and says loudly that authentication is off', async t => {
  const server = await startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development', TASKBBS_TOKENS: '', TASKBBS_SCHEDULER: 'false', TASKBBS_CALLBACKS: 'false' })
  t.equal((await fetch(`${server.url}/v1/tasks`)).status, 200)
  t.equal(await server.stop(), 0)
  t.match(server.output(), /authentication is OFF/)
})
