import { constants } from 'node:os'
import type { LogLine } from '../store/logs.ts'
import type { TesTaskRow } from '../store/tes.ts'
import { MARKS } from './marks.ts'
import { tesState } from './state.ts'
import type { TesExecutorLog, TesOutputFileLog, TesTask, TesTaskCreate, TesTaskLog, TesView } from './schemas.ts'

/** How much of each executor's stdout and stderr the FULL view returns: the end, where errors are. */
export const OUTPUT_TAIL_BYTES = 10 * 1024

/**
 * A failure reason's exit code: "run sh: exited with status 3" → 3, "run sh:
 * killed by SIGKILL" → 137 (128 + n, as shells report it); anything else, such
 * as "could not start", → -1.
 */
export function exitCodeOf (reason: string): number {
  const status = /exited with status (\d+)/.exec(reason)
  if (status) return Number(status[1])
  const signal = /killed by (SIG[A-Z0-9]+)/.exec(reason)
  const n = signal ? constants.signals[signal[1] as keyof typeof constants.signals] : undefined
  return n === undefined ? -1 : 128 + n
}

function tail (lines: string[]): string {
  if (lines.length === 0) return ''
  const text = lines.join('\n') + '\n'
  const buf = Buffer.from(text)
  if (buf.length <= OUTPUT_TAIL_BYTES) return text
  // Cut at a character boundary: skip continuation bytes of the first character.
  let start = buf.length - OUTPUT_TAIL_BYTES
  while (start < buf.length && (buf[start] & 0xc0) === 0x80) start++
  return buf.subarray(start).toString()
}

function executorLogs (row: TesTaskRow, lines: LogLine[], count: number, full: boolean): TesExecutorLog[] {
  const { task } = row
  const terminal = task.state === 'COMPLETED' || task.state === 'RESOLVING'
  const completedAt = task.first_completed_at ?? task.updated_at
  const out: TesExecutorLog[] = []
  for (let i = 0; i < count; i++) {
    const source = MARKS.executorSource(i)
    const mine = lines.filter(l => l.source === source)
    const start = mine.find(l => l.stream === 'system' && l.line === MARKS.started(i))
    if (!start) break
    const log: TesExecutorLog = { start_time: start.at.toISOString(), exit_code: -1 }
    const prefix = `${MARKS.executorPrefix(i)}: `
    const ok = mine.find(l => l.stream === 'system' && l.line === MARKS.succeeded(i))
    const ignored = mine.find(l => l.stream === 'system' && l.line.startsWith(MARKS.ignored + prefix))
    if (ok) {
      log.end_time = ok.at.toISOString()
      log.exit_code = 0
    } else if (ignored) {
      log.end_time = ignored.at.toISOString()
      log.exit_code = exitCodeOf(ignored.line.slice(MARKS.ignored.length + prefix.length))
    } else if (terminal) {
      log.end_time = completedAt
      if (task.failure_reason.startsWith(prefix)) log.exit_code = exitCodeOf(task.failure_reason.slice(prefix.length))
    }
    if (full) {
      log.stdout = tail(mine.filter(l => l.stream === 'stdout').map(l => l.line))
      log.stderr = tail(mine.filter(l => l.stream === 'stderr').map(l => l.line))
    }
    out.push(log)
  }
  return out
}

function outputLogs (doc: TesTaskCreate, lines: LogLine[]): TesOutputFileLog[] {
  const out: TesOutputFileLog[] = []
  doc.outputs?.forEach((o, i) => {
    const source = MARKS.outputSource(i)
    const uploaded = lines.some(l => l.source === source && l.stream === 'system' && l.line === `Uploaded ${MARKS.outputArtifact(i)}`)
    const size = lines.find(l => l.source === source && l.stream === 'stdout')?.line.trim()
    if (uploaded) out.push({ url: o.url, path: o.path, size_bytes: size && /^\d+$/.test(size) ? size : '0' })
  })
  return out
}

function taskLog (row: TesTaskRow, doc: TesTaskCreate, lines: LogLine[], full: boolean): TesTaskLog {
  const { task } = row
  const terminal = task.state === 'COMPLETED' || task.state === 'RESOLVING'
  const metadata: Record<string, string> = { 'taskbbs.domain': task.domain, 'taskbbs.state': task.state }
  if (task.cell_id) metadata['taskbbs.cell_id'] = task.cell_id
  if (task.failure_reason) metadata['taskbbs.failure_reason'] = task.failure_reason
  const log: TesTaskLog = {
    logs: executorLogs(row, lines, doc.executors.length, full),
    metadata,
    outputs: outputLogs(doc, lines)
  }
  if (lines[0]) log.start_time = lines[0].at.toISOString()
  if (terminal) log.end_time = task.first_completed_at ?? task.updated_at
  if (full) {
    // Beside the system lines, what the input and output steps said on stderr
    // (why a download did not give one file, which output was missing).
    const own = (l: LogLine) => l.stream === 'system' || (l.stream === 'stderr' && !l.source.startsWith(MARKS.executorSourcePrefix))
    log.system_logs = lines.filter(own).map(l => `${l.at.toISOString()} [${l.source}] ${l.stream === 'stderr' ? 'stderr: ' : ''}${l.line}`)
    if (task.failure_reason) log.system_logs.push(`failure: ${task.failure_reason}`)
  }
  return log
}

/**
 * A stored TES task in one of TES's views. MINIMAL: id and state. BASIC: the
 * document, creation time and logs without executor stdout and stderr, input
 * content and system logs. FULL: everything. `lines` are the task's log lines
 * (store/tes.ts readTesLogs; the executors' output only for FULL).
 */
export function tesView (row: TesTaskRow, lines: LogLine[], view: TesView): TesTask {
  const { task } = row
  const base: TesTask = { id: task.guid, state: tesState(task, row.started) }
  if (view === 'MINIMAL') return base
  const doc = row.tes.document as TesTaskCreate
  const full = view === 'FULL'
  const out: TesTask = { ...base, ...doc, creation_time: task.created_at }
  if (!full && doc.inputs) out.inputs = doc.inputs.map(({ content: _content, ...rest }) => rest)
  if (task.state !== 'PENDING') out.logs = [taskLog(row, doc, lines, full)]
  return out
}
