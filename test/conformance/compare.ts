/**
 * How every target compares what an executor reported with a case's
 * expectation, so that the same rules hold for the local executor, the runner
 * and the pods.
 */
import type { Test } from 'tap'
import type { Expected, ExpectedLine, LogLine } from './case-types.ts'

export interface Observed {
  failed: boolean
  failure_reason: string
  result: string
  logs: LogLine[]
  elapsedMs: number
  /** What the fixture server received (fixtures.uploads). */
  uploads: Map<string, Buffer>
}

const lineMatches = (e: ExpectedLine, o: LogLine) =>
  e.fd === o.fd && e.source === o.source && (typeof e.line === 'string' ? e.line === o.line : e.line.test(o.line))

function inSequence (expected: ExpectedLine[], observed: LogLine[]): boolean {
  return expected.length === observed.length && expected.every((e, i) => lineMatches(e, observed[i]))
}

/** True when the observed lines are exactly the expected ones, in the order `order` promises. */
export function logsMatch (expect: Pick<Expected, 'logs' | 'order'>, observed: LogLine[]): boolean {
  switch (expect.order) {
    case 'total':
      return inSequence(expect.logs, observed)
    case 'per-fd':
      return (['stdout', 'stderr', 'system'] as const).every(fd =>
        inSequence(expect.logs.filter(l => l.fd === fd), observed.filter(l => l.fd === fd)))
    case 'none': {
      if (expect.logs.length !== observed.length) return false
      const left = [...observed]
      return expect.logs.every(e => {
        const i = left.findIndex(o => lineMatches(e, o))
        if (i >= 0) left.splice(i, 1)
        return i >= 0
      })
    }
  }
}

export function compareOutcome (t: Test, expect: Expected, observed: Observed): void {
  t.equal(observed.failed, expect.failed, 'failed')
  if (typeof expect.failure_reason === 'string') t.equal(observed.failure_reason, expect.failure_reason, 'failure_reason')
  else t.match(observed.failure_reason, expect.failure_reason, 'failure_reason')
  t.ok(observed.result === expect.result, 'result', { found: observed.result.slice(0, 200), wanted: expect.result.slice(0, 200), foundBytes: Buffer.byteLength(observed.result), wantedBytes: Buffer.byteLength(expect.result) })
  t.ok(logsMatch(expect, observed.logs), `log lines (order: ${expect.order})`, { found: observed.logs, wanted: expect.logs })
  for (const [path, body] of Object.entries(expect.uploads ?? {})) {
    t.equal(observed.uploads.get(path)?.toString('utf8'), body, `upload ${path}`)
  }
  if (expect.withinMs !== undefined) t.ok(observed.elapsedMs < expect.withinMs, `completed within ${expect.withinMs} ms (took ${Math.round(observed.elapsedMs)})`)
}

/** True once no process has this pid (waiting a little: a killed process may still be reaped). */
export async function processGone (pid: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs
  for (;;) {
    try {
      process.kill(pid, 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true
    }
    if (Date.now() > deadline) return false
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
