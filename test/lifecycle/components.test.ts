/**
 * The server's parts start as a list: in order, stopped in reverse, and a
 * part that fails to start stops the ones before it, so nothing is left
 * running. First the rule on its own, then the real server: a port that is
 * taken makes its third part (the API listener) fail after the database and
 * the executor started.
 */
import { spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import t from 'tap'
import { loadConfig } from '../../src/config/load.ts'
import { ComponentStartError, startComponents, type Component } from '../../src/lifecycle/components.ts'
import { startServer } from '../../src/server.ts'
import { testDatabase } from '../helpers/database.ts'

function recorder () {
  const events: string[] = []
  const part = (name: string, opts: { failStart?: boolean, failStop?: boolean } = {}): Component => ({
    name,
    async start () {
      events.push(`start ${name}`)
      if (opts.failStart) throw new Error(`${name} cannot start`)
    },
    async stop () {
      events.push(`stop ${name}`)
      if (opts.failStop) throw new Error(`${name} cannot stop`)
    }
  })
  return { events, part }
}

t.test('parts start in order and stop in reverse, each once', async t => {
  const { events, part } = recorder()
  const started = await startComponents([part('a'), part('b'), part('c')])
  t.same(events, ['start a', 'start b', 'start c'])
  await Promise.all([started.stop(), started.stop()])
  t.same(events, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a'])
})

t.test('a part that fails to start stops the ones started before it, and none after it starts', async t => {
  const { events, part } = recorder()
  await t.rejects(startComponents([part('a'), part('b'), part('c', { failStart: true }), part('d')]), { code: 'COMPONENT_START_FAILED', component: 'c', message: /^c failed to start: c cannot start/ })
  t.same(events, ['start a', 'start b', 'start c', 'stop b', 'stop a'])
})

t.test('a part that fails to stop does not keep the others running; the error is reported after', async t => {
  const { events, part } = recorder()
  const started = await startComponents([part('a'), part('b', { failStop: true }), part('c')])
  await t.rejects(started.stop(), { message: 'b cannot stop' })
  t.same(events.slice(3), ['stop c', 'stop b', 'stop a'])
})

async function takenPort (): Promise<{ port: number, close: () => void }> {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  return { port: (srv.address() as { port: number }).port, close: () => srv.close() }
}

t.test('the server: its API listener cannot bind, so the database pool and the executor it had started are closed again', async t => {
  const db = await testDatabase(t)
  const taken = await takenPort()
  t.teardown(taken.close)
  const connections = async () => (await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()')).rows[0].n
  const before = await connections()
  const config = loadConfig({ DATABASE_URL: db.url, TASKBBS_PORT: String(taken.port), TASKBBS_LOG_LEVEL: 'fatal' })
  const err = await startServer(config).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof ComponentStartError, 'the start fails')
  t.match(err, { component: 'API listener', message: /^API listener failed to start: .*EADDRINUSE/ })
  const after = await connections()
  t.ok(after <= before, `no connection of the failed server is left: ${after} to this database after, ${before} before`)
})

t.test('the real entry point with its embedded PostgreSQL: exit 1 naming the part, and the database it started is gone', async t => {
  const taken = await takenPort()
  t.teardown(taken.close)
  const before = new Set((await readdir(tmpdir())).filter(n => n.startsWith('taskbbs-pg-')))
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TASKBBS_PORT: String(taken.port), TASKBBS_LOG_LEVEL: 'warn' }
  const child = spawn(process.execPath, [new URL('../../src/server.ts', import.meta.url).pathname], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', d => { stderr += d })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  clearTimeout(timer)
  t.equal(code, 1)
  t.match(stderr, /taskbbs failed to start: API listener failed to start: .*EADDRINUSE/)
  const left = (await readdir(tmpdir())).filter(n => n.startsWith('taskbbs-pg-') && !before.has(n))
  t.same(left, [], 'the embedded PostgreSQL was stopped and its data directory removed')
})
