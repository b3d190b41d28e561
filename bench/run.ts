/**
 * `npm run bench [-- --quick] [-- --only NAME]`: runs every scenario on one
 * PostgreSQL, prints each figure beside a baseline measured in the same run and
 * their ratio, and writes bench/results.json. The machine is shared and noisy:
 * only ratios are comparable between runs.
 */
import { writeFile } from 'node:fs/promises'
import { arch, cpus, totalmem } from 'node:os'
import { benchDatabase } from './lib/cluster.ts'
import { type Row, goalMet, log, table } from './lib/stats.ts'
import { warmCompileCache } from './lib/process.ts'
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
const skipIndex = process.argv.indexOf('--skip')
const skip = skipIndex > 0 ? process.argv[skipIndex + 1].split(',') : []
// The headline table runs on PostgreSQL's defaults (fsync and synchronous_commit on),
// the second with fsync off; `--durability durable` or `fsync-off` runs one of them.
const durabilityIndex = process.argv.indexOf('--durability')
const durability = durabilityIndex > 0 ? process.argv[durabilityIndex + 1] : 'both'
if (!['both', 'durable', 'fsync-off'].includes(durability)) throw new Error(`--durability: both, durable or fsync-off, not ${durability}`)

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

if (process.argv.includes('--help')) {
  process.stdout.write(`npm run bench -- [--quick] [--only NAME] [--skip NAME,NAME] (names: ${Object.keys(scenarios).join(', ')}) [--durability both|durable|fsync-off]\n`)
  process.exit(0)
}
const passes = durability === 'both' ? [true, false] : [durability === 'durable']
const tables: Array<{ durable: boolean, rows: Row[] }> = []
const started = Date.now()
await warmCompileCache()
for (const durable of passes) {
  const db = await benchDatabase(durable)
  const ctx: BenchContext = { quick, durable, createDatabase: name => db.createDatabase(name) }
  const rows: Row[] = []
  tables.push({ durable, rows })
  try {
    for (const [name, run] of Object.entries(scenarios)) {
      if ((only && only !== name) || skip.includes(name)) continue
      // The Kubernetes scenario does not touch PostgreSQL: once is enough.
      if (name === 'kubernetes' && !durable && passes.length > 1) continue
      log(`scenario ${name} (${durable ? 'PostgreSQL defaults: fsync on' : 'fsync off'})`)
      rows.push(...await run(ctx))
    }
  } finally {
    await db.stop()
  }
}
const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', arch: arch(), memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version }
for (const t of tables) {
  console.log(`\n${t.durable ? 'PostgreSQL defaults (fsync on, synchronous_commit on)' : 'fsync off'}\n`)
  console.log(table(t.rows))
}
await writeFile(new URL('./results.json', import.meta.url), JSON.stringify({
  at: new Date().toISOString(), quick, seconds: Math.round((Date.now() - started) / 1000), machine,
  tables: tables.map(t => ({ durability: t.durable ? 'durable' : 'fsync-off', rows: t.rows.map(r => ({ ...r, met: goalMet(r) })) }))
}, null, 2) + '\n')
log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote bench/results.json`)
