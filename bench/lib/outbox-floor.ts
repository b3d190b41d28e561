import type pg from 'pg'
import { Agent, request } from 'undici'

/**
 * The floor for callback delivery: the least work a correct outbox does. One
 * table; rows claimed in batches with `FOR UPDATE SKIP LOCKED` and a lease (so
 * that a crashed sender's rows are sent again, not lost), each POSTed with undici
 * to the receiver from `concurrency` slots, delivered rows deleted in batches
 * (one DELETE in flight, the ids delivered meanwhile go in the next). No task
 * table, no state change, no events, no attempt history, no retry rules.
 */
export async function fillOutboxFloor (pool: pg.Pool, n: number, url: string, body: string): Promise<void> {
  await pool.query('DROP TABLE IF EXISTS floor_outbox')
  await pool.query('CREATE TABLE floor_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, url text NOT NULL, body jsonb NOT NULL, leased_until timestamptz NOT NULL DEFAULT \'-infinity\')')
  await pool.query('INSERT INTO floor_outbox (url, body) SELECT $1, $2::jsonb FROM generate_series(1, $3)', [url, body, n])
}

/** Delivers every row of floor_outbox; resolves when the table is empty. */
export async function drainOutboxFloor (pool: pg.Pool, concurrency: number, batch = concurrency): Promise<void> {
  const agent = new Agent({ connections: concurrency })
  const queue: Array<{ id: string, url: string, body: unknown }> = []
  const delivered: string[] = []
  let claiming: Promise<void> | undefined
  let deleting: Promise<void> | undefined
  let exhausted = false

  const claim = () => {
    claiming ??= (async () => {
      const { rows } = await pool.query<{ id: string, url: string, body: unknown }>(
        `UPDATE floor_outbox SET leased_until = now() + interval '30 seconds'
          WHERE id IN (SELECT id FROM floor_outbox WHERE leased_until < now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, url, body`, [batch])
      if (rows.length === 0) exhausted = true
      queue.push(...rows)
    })().finally(() => { claiming = undefined })
    return claiming
  }
  const flush = (): Promise<void> | undefined => {
    if (deleting || delivered.length === 0) return deleting
    const ids = delivered.splice(0)
    deleting = pool.query('DELETE FROM floor_outbox WHERE id = ANY($1::bigint[])', [ids])
      .then(async (): Promise<void> => { deleting = undefined; await flush() })
    return deleting
  }

  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      // Refill before the queue runs dry, so that slots do not wait on the claim.
      if (queue.length < concurrency && !exhausted) void claim()
      let row = queue.shift()
      while (!row && !exhausted) { await claim(); row = queue.shift() }
      if (!row) return
      const res = await request(row.url, { method: 'POST', dispatcher: agent, body: JSON.stringify(row.body), headers: { 'content-type': 'application/json' } })
      await res.body.dump()
      delivered.push(row.id)
      void flush()
    }
  }))
  while (deleting || delivered.length) await flush()
  await agent.close()
}
