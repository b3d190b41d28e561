/**
 * The load generator, in its own process so that it does not share a core's
 * event loop with the server it measures. POSTs a benchmark definition with a
 * fresh guid per request over keep-alive connections, then prints one JSON line.
 * Usage: node bench/load.ts URL CONNECTIONS SECONDS
 */
import autocannon from 'autocannon'
import { benchDefinition } from './lib/definition.ts'

const [url, connections, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])]
const prefix = `${process.pid}-${Date.now().toString(36)}`
let n = 0

const result = await autocannon({
  url,
  connections,
  duration: seconds,
  pipelining: 1,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [{ setupRequest: req => ({ ...req, body: JSON.stringify(benchDefinition(`b-${prefix}-${n++}`)) }) }]
})
const ok = result['2xx']
console.log(JSON.stringify({
  rate: ok / (result.duration || seconds),
  p50: result.latency.p50,
  p99: result.latency.p99,
  ok,
  non2xx: result.non2xx,
  errors: result.errors
}))
