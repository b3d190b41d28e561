import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.ts'
import { testDatabase, type TestDatabase } from './database.ts'

export interface TestApp extends TestDatabase { app: FastifyInstance }

interface TapLike { teardown (fn: () => unknown): void }

/**
 * The HTTP app over a fresh database; closed when the test ends. Every response
 * is watched: the suite fails if any request got a 5xx.
 */
export async function testApp (t: TapLike, opts: Partial<AppOptions> = {}): Promise<TestApp> {
  const db = await testDatabase(t)
  const app = await buildApp({ pool: db.pool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20, ...opts })
  const serverErrors: string[] = []
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 500 && !request.url.startsWith('/readyz')) serverErrors.push(`${request.method} ${request.url} → ${reply.statusCode}`)
  })
  t.teardown(async () => {
    await app.close()
    if (serverErrors.length) {
      // Teardown runs after the last assertion, so fail the file itself.
      process.stderr.write(`requests that got a 5xx:\n  ${serverErrors.join('\n  ')}\n`)
      process.exitCode = 1
    }
  })
  await app.ready()
  return { ...db, app }
}

/** A minimal valid task definition; override any field. */
export function taskDefinition (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    guid: `task-${Math.random().toString(36).slice(2, 10)}`,
    domain: 'test',
    root_fs: 'docker:///busybox#latest',
    action: { run: { path: 'echo', args: ['hello'], user: 'root' } },
    ...overrides
  }
}
