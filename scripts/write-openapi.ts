/**
 * Writes the OpenAPI document the routes describe to openapi/openapi.json, the
 * file generated clients are built from. test/api/openapi.test.ts fails when
 * the committed file and the code disagree; run `npm run openapi` to refresh it.
 */
import { writeFile } from 'node:fs/promises'
import pg from 'pg'
import { buildApp } from '../src/app.ts'

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

/** The document as committed: 2-space JSON with a trailing newline. */
export async function renderOpenApi (): Promise<string> {
  // buildApp wants a pool, but describing the routes never queries it; the
  // pool connects lazily, so a dummy address is never dialled.
  const pool = new pg.Pool({ connectionString: 'postgres://openapi@127.0.0.1:1/none' })
  const app = await buildApp({ pool, policy: { allowPrivileged: false }, bodyLimit: 1 << 20 })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
    await pool.end()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(OPENAPI_FILE, await renderOpenApi())
  process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`)
}
