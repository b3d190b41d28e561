import { type FrameStream, parseFrame } from './runner-output.ts'

/**
 * Where a task's output has been read up to, across every read of one
 * container's log: a follow stream that drops and reconnects, and the read
 * after the pod has finished. Each read asks for timestamps (the kubelet
 * prefixes each line with its RFC 3339 time) and starts at the second of the
 * last line taken (sinceTime has whole seconds), so the start of each read
 * repeats lines already taken. They are skipped: frames by their seq, the
 * other lines by their timestamp and how many lines at that exact time were
 * taken. No line is reported twice and none is skipped.
 *
 * Frames must come in order (seq = last + 1): the runner numbers them so.
 * A frame further ahead is kept as a plain line: it was printed by the task
 * itself, straight to the container's stdout, and taking it would make the
 * runner's next frames look like repeats. Only the first frame of a log
 * whose start is gone (the kubelet rotated the file) may be ahead; the lost
 * frames are then named in a system line.
 *
 * Result frames are kept whatever their seq, as candidates: the executor
 * takes the one whose digest the outcome names (runner-output.ts). They do
 * not move lastSeq; the runner's result frame is its last, so lastSeq stops
 * one short of the outcome's frame count.
 */
export interface CursorLine { stream: FrameStream, source: string, line: string, seq?: number }

/** Nanoseconds since the epoch of an RFC 3339 timestamp with up to 9 fraction digits. */
export function timestampNs (text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text)
  if (!m) return undefined
  const ms = Date.parse(`${m[1]}${m[3]}`)
  if (Number.isNaN(ms)) return undefined
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))
}

const MAX_RESULT_CANDIDATES = 8

export class LogCursor {
  /** The seq of the last frame taken (or logsSeen: frames recorded by an earlier reader). */
  lastSeq: number
  readonly results: string[] = []
  private readonly source: string
  private readonly skipUntil: number
  private lastNs?: bigint
  private atLast = 0
  private replaySkip = 0
  private freshLog = false
  /** Whether the frame logsSeen has gone by: plain lines before it were recorded with it. */
  private pastSeen: boolean

  constructor (defaultSource: string, logsSeen = 0) {
    this.source = defaultSource
    this.lastSeq = logsSeen
    this.skipUntil = logsSeen
    this.pastSeen = logsSeen === 0
  }

  /**
   * The runner's result frame is the last line of the log (every process has
   * exited before it is written), so only the last few candidates matter; a
   * task printing imitations by the million must not fill memory.
   */
  addResult (text: string): void {
    this.results.push(text)
    if (this.results.length > MAX_RESULT_CANDIDATES) this.results.shift()
  }

  /** Call before each read; its answer is where the read should start. */
  beginRead (): { sinceTime?: Date } {
    this.replaySkip = this.atLast
    this.freshLog = this.lastNs === undefined
    if (this.lastNs === undefined) return {}
    return { sinceTime: new Date(Number(this.lastNs / 1_000_000_000n) * 1000) }
  }

  /** One line of a read (with its timestamp prefix); what to report, if anything. */
  take (raw: string): CursorLine[] {
    const space = raw.indexOf(' ')
    const ns = space > 0 ? timestampNs(raw.slice(0, space)) : undefined
    const text = ns === undefined ? raw : raw.slice(space + 1)
    if (ns !== undefined && this.lastNs !== undefined) {
      if (ns < this.lastNs) return []
      if (ns === this.lastNs && this.replaySkip > 0) {
        this.replaySkip--
        return []
      }
    }
    if (ns !== undefined) {
      if (ns === this.lastNs) this.atLast++
      else {
        this.lastNs = ns
        this.atLast = 1
        this.replaySkip = 0
      }
    }
    return this.interpret(text)
  }

  private interpret (text: string): CursorLine[] {
    const frame = parseFrame(text)
    if (frame && frame.seq >= this.skipUntil) this.pastSeen = true
    if (frame?.kind === 'result') {
      // Not counted in lastSeq: a printed imitation would make the next real frame look like a repeat.
      this.addResult(frame.result)
      return []
    }
    const first = this.freshLog
    if (frame) this.freshLog = false
    if (frame && frame.seq <= this.lastSeq) return []
    if (frame && (frame.seq === this.lastSeq + 1 || first)) {
      const out: CursorLine[] = []
      if (frame.seq > this.lastSeq + 1) {
        out.push({ stream: 'system', source: this.source, line: `output lines ${this.lastSeq + 1} to ${frame.seq - 1} are no longer in the container log` })
      }
      this.lastSeq = frame.seq
      out.push({ stream: frame.stream, source: frame.source ?? this.source, line: frame.line, seq: frame.seq })
      return out
    }
    // Not a frame of the runner: a process wrote to the container's stdout
    // itself. Its line is the task's output all the same. Before the frames
    // an earlier reader recorded, it was recorded with them.
    if (!this.pastSeen) return []
    return [{ stream: 'stdout', source: this.source, line: text }]
  }
}
