import type { KubeConfig } from '@kubernetes/client-node'
import { type CursorLine, type LogCursor, timestampNs } from './log-cursor.ts'
import { readLog } from './pod-logs.ts'
import { type RunnerOutcome, parseFrame, resultMatches } from './runner-output.ts'

export interface RestOptions {
  kc: KubeConfig
  namespace: string
  pod: string
  container: string
  cursor: LogCursor
  /** The runner's outcome; undefined when it wrote none (then the log is read for what it holds). */
  outcome?: RunnerOutcome
  /** Bound on a read of the whole log. */
  maxBytes: number
  emit (lines: CursorLine[]): void
}

/** Lines past the frames still missing, for the lines the task printed outside frames. */
const TAIL_SLACK = 32
const READ_TIMEOUT_MS = 30_000

function withoutTimestamp (raw: string): string {
  const space = raw.indexOf(' ')
  return space > 0 && timestampNs(raw.slice(0, space)) !== undefined ? raw.slice(space + 1) : raw
}

async function lines (o: RestOptions, extra: { tailLines?: number, sinceTime?: Date, limitBytes?: number }): Promise<string[]> {
  const out: string[] = []
  await readLog(o.kc, { namespace: o.namespace, pod: o.pod, container: o.container, ...extra }, line => out.push(line), AbortSignal.timeout(READ_TIMEOUT_MS))
  return out
}

/**
 * Reads what the follower did not (all of it, when no stream was free), once
 * the pod has finished. The outcome says how many frames there are, and the
 * result frame is the last: the end of the log (tailLines) is read first,
 * which is all that is missing when the follower kept up. When the tail does
 * not reach back to the first missing frame, the log is read from where the
 * cursor stands, bounded by maxBytes; the result frame is then still taken
 * from the tail, however much output came before it.
 */
export async function readRest (o: RestOptions): Promise<void> {
  const c = o.cursor
  const outcome = o.outcome
  const resultFound = () => outcome?.resultSha256 === undefined || c.results.some(r => resultMatches(outcome, r))
  // The result frame is the last and does not count in lastSeq (log-cursor.ts).
  const framesDone = () => outcome !== undefined && c.lastSeq >= outcome.frames - (outcome.resultSha256 === undefined ? 0 : 1)
  if (framesDone() && resultFound()) return
  if (outcome) {
    const tail = await lines(o, { tailLines: Math.max(0, outcome.frames - c.lastSeq) + TAIL_SLACK })
    const frames = tail.map(l => parseFrame(withoutTimestamp(l)))
    const reaches = c.lastSeq === 0 ? frames.some(f => f?.seq === 1) : frames.some(f => f !== undefined && f.seq <= c.lastSeq + 1)
    if (reaches) {
      c.beginRead()
      for (const l of tail) o.emit(c.take(l))
      if (framesDone() && resultFound()) return
    } else {
      // Kept for the result, whatever the read below reaches.
      for (const f of frames) if (f?.kind === 'result') c.addResult(f.result)
    }
  }
  const { sinceTime } = c.beginRead()
  const rest = await lines(o, { sinceTime, limitBytes: o.maxBytes })
  let bytes = 0
  for (const l of rest) {
    bytes += Buffer.byteLength(l) + 1
    o.emit(c.take(l))
  }
  if (bytes >= o.maxBytes) o.emit([{ stream: 'system', source: 'TASK', line: `output cut at ${o.maxBytes} bytes` }])
}
