/**
 * The words a TES task's action tree writes into its log and failure reason
 * (to-definition.ts), and that the TES view reads back (view.ts, state.ts):
 * one vocabulary, so that the two cannot drift apart. Both executors write
 * these lines the same way (emit_progress and try, test/conformance).
 */
export const MARKS = {
  taskSource: 'TES',
  inputSource: 'TES_INPUT',
  /** Every source of a TES task's own steps starts with this. */
  sourcePrefix: 'TES_',
  outputSourcePrefix: 'TES_OUTPUT_',
  executorSourcePrefix: 'TES_EXECUTOR_',
  executorSource: (i: number) => `TES_EXECUTOR_${i}`,
  outputSource: (i: number) => `TES_OUTPUT_${i}`,
  outputArtifact: (i: number) => `output ${i}`,
  started: (i: number) => `executor ${i} started`,
  succeeded: (i: number) => `executor ${i} exited with status 0`,
  /** Prefixes an executor's failure: "executor 1: run sh: exited with status 3". */
  executorPrefix: (i: number) => `executor ${i}`,
  /** Any executor's failure reason starts with this. */
  anyExecutorPrefix: 'executor ',
  /** Diego's try logs the failure it ignores after this. */
  ignored: 'try: ignoring failure: '
} as const

/** The line whose presence means the first executor has started: RUNNING rather than INITIALIZING. */
export const STARTED_MARKER = { source: MARKS.executorSource(0), line: MARKS.started(0) }
