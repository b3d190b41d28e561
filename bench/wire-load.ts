/**
 * The load generator of the BBS-against-JSON comparison, in its own process:
 * `concurrency` closed loops over one undici pool of as many keep-alive
 * connections, each POSTing the benchmark definition with a fresh guid, either
 * as JSON to /v1/tasks or as a protobuf DesireTaskRequest to
 * /v1/tasks/desire.r2. Bodies are encoded before the clock starts (protobuf-es
 * encodes by reflection, several times slower than JSON.stringify, and the
 * generator shares the machine with the server), so both wires cost the
 * generator the same. Prints one JSON line.
 * Usage: node bench/wire-load.ts BASE_URL json|bbs CONCURRENCY SECONDS
 */
import { Pool } from 'undici'
import { create, toBinary } from '@bufbuild/protobuf'
import { benchDefinition } from './lib/definition.ts'
import { percentile } from './lib/stats.ts'
import { definitionToProto } from '../src/bbs/convert.ts'
import { DesireTaskRequestSchema } from '../src/bbs/gen/task_requests_pb.ts'
import type { StoredDefinition } from '../src/domain/task-definition.ts'

const [base, mode, concurrency, seconds] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])]
const bbs = mode === 'bbs'
const prefix = `${process.pid}-${Date.now().toString(36)}`

function body (guid: string): Buffer {
  const def = benchDefinition(guid)
  if (!bbs) return Buffer.from(JSON.stringify(def))
  const d = def as unknown as StoredDefinition
  return Buffer.from(toBinary(DesireTaskRequestSchema, create(DesireTaskRequestSchema, { taskGuid: guid, domain: d.domain, taskDefinition: definitionToProto(d) })))
}
const bodies = Array.from({ length: Math.min(4000 * seconds, 40_000) }, (_, i) => body(`w-${prefix}-${i}`))

const pool = new Pool(base, { connections: concurrency, pipelining: 1 })
const path = bbs ? '/v1/tasks/desire.r2' : '/v1/tasks'
const headers = { 'content-type': bbs ? 'application/x-protobuf' : 'application/json' }
const latencies: number[] = []
let n = 0
let errors = 0
const start = performance.now()
const end = start + seconds * 1000
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (performance.now() < end) {
    const i = n++
    const t0 = performance.now()
    const res = await pool.request({ path, method: 'POST', headers, body: bodies[i] ?? body(`w-${prefix}-${i}`) })
    const answer = Buffer.from(await res.body.arrayBuffer())
    // BBS answers 200 even when it refuses: an error is a non-empty TaskLifecycleResponse.
    if (res.statusCode >= 300 || (bbs && answer.length > 0)) errors++
    latencies.push(performance.now() - t0)
  }
}))
const elapsed = (performance.now() - start) / 1000
await pool.close()
console.log(JSON.stringify({ rate: (latencies.length - errors) / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok: latencies.length - errors, non2xx: 0, errors }))
