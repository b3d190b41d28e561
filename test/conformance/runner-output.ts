/**
 * Reads what the runner leaves behind (runner/PROTOCOL.md): frames on stdout
 * and the outcome in the termination log, and applies the check the executor
 * applies: the result is the result frame whose digest the outcome names, so a
 * task printing fake frames cannot change it; failed and failure_reason come
 * from the outcome only. Kept tiny: the Kubernetes executor has its own in
 * src/executors/kubernetes/runner-output.ts.
 */
import { createHash } from 'node:crypto'
import type { Fd, LogLine } from './case-types.ts'

export interface Frame { seq: number, fd?: Fd, src?: string, line?: string, result?: string }

export interface RunnerOutcome {
  v: number
  failed: boolean
  failure_reason: string
  result_bytes?: number
  result_sha256?: string
  frames: number
}

export interface TaskReport {
  failed: boolean
  failureReason: string
  result: string
  logs: LogLine[]
  /** Breaches of the protocol: an empty list when the runner kept it. */
  problems: string[]
}

export function parseFrames (stdout: string): { frames: Frame[], problems: string[] } {
  const frames: Frame[] = []
  const problems: string[] = []
  for (const text of stdout.split('\n')) {
    if (text === '') continue
    try {
      frames.push(JSON.parse(text) as Frame)
    } catch {
      problems.push(`stdout line is not a frame: ${text.slice(0, 200)}`)
    }
  }
  frames.forEach((f, i) => { if (f.seq !== i + 1) problems.push(`frame ${i + 1} has seq ${f.seq}`) })
  return { frames, problems }
}

export function parseOutcome (text: string): RunnerOutcome {
  if (Buffer.byteLength(text) > 4096) throw new Error(`outcome is ${Buffer.byteLength(text)} bytes, over 4096`)
  const o = JSON.parse(text) as RunnerOutcome
  if (o.v !== 1 || typeof o.failed !== 'boolean' || typeof o.failure_reason !== 'string' || typeof o.frames !== 'number') {
    throw new Error(`not an outcome: ${text.slice(0, 300)}`)
  }
  return o
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')

export function taskReport (stdout: string, outcomeText: string): TaskReport {
  const { frames, problems } = parseFrames(stdout)
  const outcome = parseOutcome(outcomeText)
  if (outcome.frames !== frames.length) problems.push(`outcome counts ${outcome.frames} frames, stdout has ${frames.length}`)
  const logs: LogLine[] = []
  for (const f of frames) {
    if (f.result !== undefined) continue
    if ((f.fd === 'stdout' || f.fd === 'stderr' || f.fd === 'system') && typeof f.src === 'string' && typeof f.line === 'string') {
      logs.push({ fd: f.fd, source: f.src, line: f.line })
    } else {
      problems.push(`malformed frame ${f.seq}`)
    }
  }
  let result = ''
  const resultFrames = frames.filter(f => f.result !== undefined)
  if (outcome.result_sha256 !== undefined) {
    const frame = resultFrames.findLast(f => sha256(f.result!) === outcome.result_sha256 && Buffer.byteLength(f.result!) === outcome.result_bytes)
    if (frame) result = frame.result!
    else problems.push('no result frame matches the outcome\'s digest')
    if (frame && frame !== frames.at(-1)) problems.push('the result frame is not the last frame')
  }
  if (resultFrames.length > (outcome.result_sha256 !== undefined ? 1 : 0)) problems.push(`${resultFrames.length} result frames`)
  return { failed: outcome.failed, failureReason: outcome.failure_reason, result, logs, problems }
}
