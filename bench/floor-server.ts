/**
 * The floor for desire throughput: a bare fastify route that does one INSERT
 * of the same JSON row through a pool of the same size, and nothing else — no
 * validation, no state machine, no NOTIFY. taskbbs cannot beat it; the ratio
 * says how much its guarantees cost.
 */
import Fastify from 'fastify'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) })
await pool.query('CREATE TABLE IF NOT EXISTS floor_tasks (id bigint GENERATED ALWAYS AS IDENTITY, guid text PRIMARY KEY, domain text NOT NULL, definition jsonb NOT NULL)')
const app = Fastify()
app.post('/v1/tasks', async (request, reply) => {
  const body = request.body as { guid: string, domain: string }
  await pool.query('INSERT INTO floor_tasks (guid, domain, definition) VALUES ($1, $2, $3)', [body.guid, body.domain, body])
  return reply.code(201).send(body)
})
app.get('/readyz', async () => ({ status: 'ready' }))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
process.on('SIGTERM', () => { app.close().then(() => pool.end()).then(() => process.exit(0)) })
