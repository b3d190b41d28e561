import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/store/embedded.ts'

/**
 * One PostgreSQL for the whole run: every system under comparison uses the same
 * server. durable: PostgreSQL's defaults (fsync, synchronous_commit and
 * full_page_writes on); otherwise fsync off, as tests run it.
 */
export async function benchDatabase (durable: boolean): Promise<{ server: EmbeddedDatabase | undefined, createDatabase (name: string): Promise<string>, stop (): Promise<void> }> {
  const external = process.env.DATABASE_URL
  const server = external ? undefined : await startEmbeddedPostgres(undefined, { durable })
  const adminUrl = external ?? server!.url
  const made: string[] = []
  return {
    server,
    async createDatabase (name: string) {
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${name}`)
      await c.end()
      made.push(name)
      const u = new URL(adminUrl)
      u.pathname = `/${name}`
      return u.toString()
    },
    async stop () {
      if (external) {
        const c = new pg.Client({ connectionString: adminUrl })
        await c.connect()
        for (const n of made) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`)
        await c.end()
      }
      await server?.stop()
    }
  }
}
