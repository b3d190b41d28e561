/**
 * `npm run bench [-- --quick] [-- --only NAME]`: runs every scenario on one
 * PostgreSQL, prints each figure beside a baseline measured in the same run and
 * their ratio, and writes bench/results.json. The machine is shared and noisy:
 * only ratios are comparable between runs.
 */
import { writeFile } from 'node:fs/promises'
import { arch, cpus, totalmem } from 'node:os'
import { benchDatabase } from './lib/cluster.ts'
import { type Row, log, table } from './lib/stats.ts'
import type { BenchContext } from './scenarios/context.ts'
import { desireThroughput } from './scenarios/desire.ts'
import { endToEnd } from './scenarios/end-to-end.ts'
import { dispatchLatency } from './scenarios/dispatch-latency.ts'
import { callbackThroughput } from './scenarios/callbacks.ts'
import { callbackFairness } from './scenarios/callback-fairness.ts'
import { scale } from './scenarios/scale.ts'
import { kubernetesDispatch } from './scenarios/kubernetes.ts'
import { bbsDesire } from './scenarios/bbs.ts'

const quick = process.argv.includes('--quick')
const onlyIndex = process.argv.indexOf('--only')
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined

const scenarios: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  desire: desireThroughput,
  bbs: bbsDesire,
  'end-to-end': endToEnd,
  'dispatch-latency': dispatchLatency,
  callbacks: callbackThroughput,
  'callback-fairness': callbackFairness,
  kubernetes: kubernetesDispatch,
  scale
}

const db = await benchDatabase()
const ctx: BenchContext = { quick, createDatabase: name => db.createDatabase(name) }
const rows: Row[] = []
const started = Date.now()
try {
  for (const [name, run] of Object.entries(scenarios)) {
    if (only && only !== name) continue
    log(`scenario ${name}`)
    rows.push(...await run(ctx))
  }
} finally {
  await db.stop()
}
const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', arch: arch(), memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version }
console.log(table(rows))
await writeFile(new URL('./results.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), quick, seconds: Math.round((Date.now() - started) / 1000), machine, rows }, null, 2) + '\n')
log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote bench/results.json`)
