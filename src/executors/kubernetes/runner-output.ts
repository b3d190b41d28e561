import { createHash } from 'node:crypto'

/**
 * What the in-pod runner says (runner/PROTOCOL.md): frames on its stdout,
 * one JSON object per line, and the outcome in the container's termination
 * message. Pure parsing; the executor decides what to trust:
 *
 * - failed and failure_reason come only from the termination message, which
 *   the kubelet reads from a file the task's processes cannot reach through
 *   their output. Nothing printed can change them.
 * - the result comes from a result frame, but only one whose UTF-8 bytes
 *   have the length and SHA-256 the outcome names. A task can print a line
 *   that looks like a result frame straight to the container's stdout; its
 *   digest does not match and it is ignored. (Printing the real result
 *   again changes nothing either.)
 */

export type FrameStream = 'stdout' | 'stderr' | 'system'

export interface LogFrame { kind: 'log', seq: number, stream: FrameStream, source?: string, line: string }
export interface ResultFrame { kind: 'result', seq: number, result: string }
export type Frame = LogFrame | ResultFrame

const STREAMS = new Set<string>(['stdout', 'stderr', 'system'])

/** A frame, or undefined for a line that is not one (a process writing to the container's stdout directly). */
export function parseFrame (line: string): Frame | undefined {
  if (!line.startsWith('{')) return undefined
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) return undefined
  if (typeof v.result === 'string') return { kind: 'result', seq: v.seq, result: v.result }
  if (typeof v.fd !== 'string' || !STREAMS.has(v.fd) || typeof v.line !== 'string') return undefined
  const frame: LogFrame = { kind: 'log', seq: v.seq, stream: v.fd as FrameStream, line: v.line }
  if (typeof v.src === 'string' && v.src !== '') frame.source = v.src
  return frame
}

export interface RunnerOutcome {
  failed: boolean
  failureReason: string
  /** Present together when the task has a result. */
  resultBytes?: number
  resultSha256?: string
  /** The seq of the last frame the runner wrote. */
  frames: number
}

export type ParsedOutcome = { ok: true, outcome: RunnerOutcome } | { ok: false, why: string }

/** The termination message of the task container; why not, when it is no outcome of protocol version 1. */
export function parseOutcome (message: string | undefined): ParsedOutcome {
  const text = message?.trim() ?? ''
  if (text === '') return { ok: false, why: 'the runner wrote no outcome' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, why: 'the runner\'s outcome is not JSON' }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, why: 'the runner\'s outcome is not a JSON object' }
  const v = value as Record<string, unknown>
  if (v.v !== 1) return { ok: false, why: `the runner's outcome has version ${JSON.stringify(v.v)}, not 1` }
  if (typeof v.failed !== 'boolean') return { ok: false, why: 'the runner\'s outcome lacks "failed"' }
  const frames = typeof v.frames === 'number' && Number.isSafeInteger(v.frames) && v.frames >= 0 ? v.frames : 0
  const outcome: RunnerOutcome = { failed: v.failed, failureReason: typeof v.failure_reason === 'string' ? v.failure_reason : '', frames }
  if (outcome.failed && outcome.failureReason === '') outcome.failureReason = 'the task failed (the runner gave no reason)'
  if (typeof v.result_sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.result_sha256) && typeof v.result_bytes === 'number' && Number.isSafeInteger(v.result_bytes) && v.result_bytes >= 0) {
    outcome.resultSha256 = v.result_sha256
    outcome.resultBytes = v.result_bytes
  }
  return { ok: true, outcome }
}

/** Whether a result frame's text is the one the outcome describes. */
export function resultMatches (outcome: RunnerOutcome, result: string): boolean {
  if (outcome.resultSha256 === undefined) return false
  const bytes = Buffer.from(result, 'utf8')
  return bytes.length === outcome.resultBytes && createHash('sha256').update(bytes).digest('hex') === outcome.resultSha256
}
