/**
 * The load generator, in its own process so that it does not share a core's
 * event loop with the server it measures. POSTs a benchmark definition with a
 * fresh guid per request over keep-alive connections, then prints one JSON line.
 * Usage: node bench/load.ts URL CONNECTIONS SECONDS [json|bbs]
 * bbs: the same definition as a protobuf DesireTaskRequest to a BBS desire
 * route; BBS answers 200 even when it refuses, so any non-empty answer (a
 * models.Error inside) counts as an error.
 */
import autocannon from 'autocannon'
import { create, toBinary } from '@bufbuild/protobuf'
import { benchDefinition } from './lib/definition.ts'
import { definitionToProto } from '../src/bbs/convert.ts'
import { DesireTaskRequestSchema } from '../src/bbs/gen/task_requests_pb.ts'
import type { StoredDefinition } from '../src/domain/task-definition.ts'

const [url, connections, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])]
const bbs = process.argv[5] === 'bbs'
const prefix = `${process.pid}-${Date.now().toString(36)}`
let n = 0
let refused = 0

function bbsBody (guid: string): Buffer {
  const def = benchDefinition(guid) as unknown as StoredDefinition
  return Buffer.from(toBinary(DesireTaskRequestSchema, create(DesireTaskRequestSchema, { taskGuid: guid, domain: def.domain, taskDefinition: definitionToProto(def) })))
}

// Encoded before the clock starts: protobuf-es encodes by reflection, several
// times slower than JSON.stringify, and the generator shares the machine with
// the server it measures. Past the prepared ones, bodies are encoded on the fly.
const prepared: Buffer[] = []
if (bbs) for (let i = 0; i < Math.min(connections * 400, 2500) * seconds; i++) prepared.push(bbsBody(`b-${prefix}-${i}`))

const result = await autocannon({
  url,
  connections,
  duration: seconds,
  pipelining: 1,
  method: 'POST',
  headers: { 'content-type': bbs ? 'application/x-protobuf' : 'application/json' },
  requests: [{
    setupRequest: req => {
      const i = n++
      const guid = `b-${prefix}-${i}`
      return { ...req, body: bbs ? (prepared[i] ?? bbsBody(guid)) : JSON.stringify(benchDefinition(guid)) }
    },
    ...(bbs ? { onResponse: (_status: number, body: string) => { if (body.length > 0) refused++ } } : {})
  }]
})
const ok = result['2xx'] - refused
console.log(JSON.stringify({
  rate: ok / (result.duration || seconds),
  p50: result.latency.p50,
  p99: result.latency.p99,
  ok,
  non2xx: result.non2xx,
  errors: result.errors + refused
}))
