/**
 * The conformance table: Diego action trees with the outcome every executor
 * must give them — the local executor, the runner as a process (as root and as
 * a non-root user) and the pods of the Kubernetes executor. Data only; the
 * targets are local.test.ts, runner.test.ts and the Kubernetes executor's own.
 *
 * Use: start the fixture server (fixtures.ts), then for each case
 * `materialize(c, fixtures.base)` and `definitionOf(c, guid)`; the executor must
 * report exactly `expect` (compare.ts says how it is compared).
 *
 * Processes see the real filesystem: definition paths (run.dir, download.to,
 * upload.from, result_file) are resolved inside the container root, but a
 * task's own commands use paths relative to it (they start in it).
 */
import {
  type ConformanceCase, codependent, err, failed, ok, out, parallel, serial, sh, sys, timeout, tryIt
} from './case-types.ts'
import { TRANSFER_CASES } from './transfer-cases.ts'

const x10240 = 'x'.repeat(10240)
/** Writes N bytes of `x` into r.txt. */
const xs = (n: number) => `head -c ${n} /dev/zero | tr '\\0' x > r.txt`

const RUN_CASES: ConformanceCase[] = [
  {
    name: 'run passes path and args as they are, without a shell',
    task: { action: { run: { path: 'printf', args: ['%s|%s\\n', 'a b', '$HOME "q"'], user: 'root' } } },
    expect: ok([out('a b|$HOME "q"')])
  },
  {
    name: 'run: action env overrides task env; both reach the process',
    task: {
      env: [{ name: 'FOO', value: 'task' }, { name: 'BAR', value: 'task' }],
      action: sh('echo "$FOO $BAR"', { env: [{ name: 'FOO', value: 'action' }] })
    },
    expect: ok([out('action task')])
  },
  {
    name: 'run: the program is looked up in the PATH the process gets (the action\'s env over the task\'s)',
    task: { env: [{ name: 'PATH', value: '/nonexistent-dir' }], action: serial(tryIt(sh('echo unreachable')), sh('echo found', { env: [{ name: 'PATH', value: '/usr/bin:/bin' }] })) },
    expect: ok([sys('try: ignoring failure: run sh: could not start: ENOENT'), out('found')])
  },
  {
    name: 'run: dir is resolved inside the container root and created; without dir a process starts in the root',
    task: { action: serial(sh('echo here > marker', { dir: '/work/sub' }), sh('cat work/sub/marker')) },
    expect: ok([out('here')])
  },
  {
    name: 'run: a non-zero exit fails the task with its status',
    task: { action: sh('exit 3') },
    expect: failed('run sh: exited with status 3', [])
  },
  {
    name: 'run: a process killed by a signal fails the task naming the signal',
    task: { action: sh('echo before; kill -KILL $$') },
    expect: failed('run sh: killed by SIGKILL', [out('before')])
  },
  {
    name: 'run: a program that cannot be started fails the task with the errno name',
    task: { action: { run: { path: '/nonexistent/taskbbs-no-such-program', user: 'root' } } },
    expect: failed('run /nonexistent/taskbbs-no-such-program: could not start: ENOENT', [])
  },
  {
    name: 'run: a program that cannot be started fails the same way when resource limits are set',
    task: { action: { run: { path: '/nonexistent/taskbbs-no-such-program', user: 'root', resource_limits: { nofile: 64 } } } },
    expect: failed('run /nonexistent/taskbbs-no-such-program: could not start: ENOENT', [])
  },
  {
    name: 'run: a file that is not executable cannot start (EACCES); a relative path is taken from the process\'s dir',
    task: { action: serial(sh('echo echo no > notexec; chmod 0644 notexec'), { run: { path: './notexec', user: 'root' } }) },
    expect: failed('run ./notexec: could not start: EACCES', [])
  },
  {
    name: 'run: SIGTERM is named like any other signal',
    task: { action: sh('kill -TERM $$') },
    expect: failed('run sh: killed by SIGTERM', [])
  },
  {
    name: 'run: stdout and stderr are reported apart, each in order, lines split on newlines',
    task: { action: sh('echo out1; echo err1 >&2; printf "out2\\nout3"; echo err2 >&2') },
    expect: ok([out('out1'), err('err1'), out('out2'), out('out3'), err('err2')], { order: 'per-fd' })
  },
  {
    name: 'run: a line longer than 64 KiB comes in pieces of 65,536 bytes',
    task: { action: sh("head -c 150000 /dev/zero | tr '\\0' x; echo") },
    expect: ok([out('x'.repeat(65536)), out('x'.repeat(65536)), out('x'.repeat(18928))])
  },
  {
    name: 'run: a line of exactly 65,536 bytes is one line, even when its newline comes in a later write',
    task: { action: sh("head -c 65536 /dev/zero | tr '\\0' x; sleep 0.2; echo; echo next") },
    expect: ok([out('x'.repeat(65536)), out('next')])
  },
  {
    name: 'run: a 64 KiB line of control characters arrives whole, though JSON makes its frame six times that size',
    task: { action: sh("head -c 65536 /dev/zero | tr '\\0' '\\001'; echo") },
    expect: ok([out('\u0001'.repeat(65536))])
  },
  {
    name: 'run: pieces of a long line are cut on character boundaries',
    task: { action: sh(`awk 'BEGIN { printf "a"; for (i = 0; i < 40000; i++) printf "\\303\\251"; print "" }'`) },
    expect: ok([out('a' + 'é'.repeat(32767)), out('é'.repeat(7233))])
  },
  {
    name: 'run: suppress_log_output drops the output of that process only',
    task: { action: serial(sh('echo hidden; echo hidden >&2', { suppress_log_output: true }), sh('echo shown')) },
    expect: ok([out('shown')])
  },
  {
    name: 'run: suppress_log_output keeps the exit status',
    task: { action: sh('echo hidden; exit 7', { suppress_log_output: true }) },
    expect: failed('run sh: exited with status 7', [])
  },
  {
    name: 'run: user by name runs the process as that user',
    task: { action: sh('id -un', { user: 'nobody' }) },
    expect: ok([out('nobody')])
  },
  {
    name: 'run: user by number runs the process as that uid',
    task: { action: sh('id -u', { user: '65534' }) },
    expect: ok([out('65534')])
  },
  {
    name: 'run: a user that does not exist cannot start as root; an executor that cannot switch users runs as itself and says so once',
    task: { action: serial(sh('echo one', { user: 'taskbbs-no-such-user', log_source: 'APP' }), sh('echo two', { user: 'taskbbs-no-such-user' })) },
    expect: failed('run sh: could not start: unknown user "taskbbs-no-such-user"', []),
    unprivileged: ok([sys('running as the container\'s own user, not "taskbbs-no-such-user"', 'APP'), out('one', 'APP'), out('two')])
  },
  {
    name: 'run: root is always accepted: an executor that cannot switch users runs it as itself without a word',
    task: { action: sh('echo ran', { user: 'root' }) },
    expect: ok([out('ran')])
  },
  {
    name: 'run: resource_limits.nofile is the open file limit (soft and hard) of the process',
    task: { action: sh("awk '/Max open files/ {print $4, $5}' /proc/self/limits", { resource_limits: { nofile: 64 } }) },
    expect: ok([out('64 64')])
  },
  {
    name: 'max_pids is the process limit (soft and hard) of the task\'s processes',
    task: { max_pids: 100, action: sh("awk '/Max processes/ {print $3, $4}' /proc/self/limits") },
    expect: ok([out('100 100')])
  },
  {
    name: 'log_source: an action\'s overrides the task\'s, which overrides the default',
    task: { log_source: 'TASK-X', action: serial(sh('echo a', { log_source: 'APP' }), sh('echo b')) },
    expect: ok([out('a', 'APP'), out('b', 'TASK-X')])
  }
]

const COMPOSITE_CASES: ConformanceCase[] = [
  {
    name: 'serial: files written by one step are seen by the next',
    task: { action: serial(sh('echo 1 > f'), sh('echo 2 >> f'), sh('cat f')) },
    expect: ok([out('1'), out('2')])
  },
  {
    name: 'serial: stops at the first failure',
    task: { action: serial(sh('echo one'), sh('exit 1'), sh('echo never')) },
    expect: failed('run sh: exited with status 1', [out('one')])
  },
  {
    name: 'parallel: all actions run at once, anywhere in the tree, and the next step follows',
    task: {
      action: serial(
        parallel(
          sh('touch a; i=0; while [ ! -e b ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; [ -e b ] && echo a saw b'),
          sh('touch b; i=0; while [ ! -e a ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; [ -e a ] && echo b saw a')),
        sh('echo after'))
    },
    expect: ok([out('a saw b'), out('b saw a'), out('after')], { order: 'none' })
  },
  {
    name: 'parallel: fails if any failed, after all finished; reasons joined with "; " in the order of the actions',
    task: { action: parallel(sh('exit 2'), sh('sleep 0.3; echo ok'), sh('exit 3')) },
    expect: failed('run sh: exited with status 2; run sh: exited with status 3', [out('ok')], { order: 'none' })
  },
  {
    name: 'codependent: the first action to exit stops the others, and its failure is the action\'s',
    task: { action: codependent(sh('sleep 30; echo never'), sh('sleep 0.2; exit 4'), sh('sleep 30; echo never')) },
    expect: failed('run sh: exited with status 4', [], { withinMs: 15000 })
  },
  {
    name: 'codependent: a successful exit also stops the others, and the next step follows',
    task: { action: serial(codependent(sh('sleep 30; echo never'), sh('echo done')), sh('echo after')) },
    expect: ok([out('done'), out('after')], { withinMs: 15000 })
  },
  {
    name: 'try: a failure inside try is logged and ignored, before other steps too',
    task: { action: serial(tryIt(sh('exit 1')), sh('echo after')) },
    expect: ok([sys('try: ignoring failure: run sh: exited with status 1'), out('after')])
  },
  {
    name: 'try: inside parallel, only the tried action\'s failure is ignored',
    task: { action: parallel(tryIt(sh('exit 5')), sh('sleep 0.3; exit 6')) },
    expect: failed('run sh: exited with status 6', [sys('try: ignoring failure: run sh: exited with status 5')], { order: 'none' })
  },
  {
    name: 'timeout: a step that ends in time is unaffected, and the next step runs',
    task: { action: serial(timeout(20000, sh('echo fast')), sh('echo after')) },
    expect: ok([out('fast'), out('after')])
  },
  {
    name: 'timeout: a step that overruns is killed and fails the task; later steps do not run',
    task: { action: serial(sh('echo before'), timeout(300, sh('sleep 30; echo never')), sh('echo never')) },
    expect: failed('exceeded 300ms timeout', [out('before')], { withinMs: 15000 })
  },
  {
    name: 'timeout: a try inside does not hide the timeout, and says nothing',
    task: { action: timeout(300, tryIt(sh('sleep 30'))) },
    expect: failed('exceeded 300ms timeout', [], { withinMs: 15000 })
  },
  {
    name: 'timeout: around parallel and codependent actions, every process is stopped',
    task: { action: serial(timeout(400, parallel(sh('sleep 30'), codependent(sh('sleep 30'), sh('sleep 30')))), sh('echo never')) },
    expect: failed('exceeded 400ms timeout', [], { withinMs: 15000 })
  },
  {
    name: 'emit_progress: a failure ignored by try inside is a success outside',
    task: { action: { emit_progress: { start_message: 'go', success_message: 'went', failure_message_prefix: 'p', action: tryIt(sh('exit 9')) } } },
    expect: ok([sys('go'), sys('try: ignoring failure: run sh: exited with status 9'), sys('went')])
  },
  {
    name: 'emit_progress: start and success messages around the action, nested in order',
    task: {
      action: {
        emit_progress: {
          start_message: 'outer start',
          success_message: 'outer done',
          action: serial(
            { emit_progress: { start_message: 'inner start', success_message: 'inner done', action: sh('echo work') } },
            sh('echo more'))
        }
      }
    },
    expect: ok([sys('outer start'), sys('inner start'), out('work'), sys('inner done'), out('more'), sys('outer done')])
  },
  {
    name: 'emit_progress: failure prefixes nest, outermost first; no success message on failure',
    task: {
      action: {
        emit_progress: {
          start_message: 'outer start',
          success_message: 'outer done',
          failure_message_prefix: 'outer',
          log_source: 'STG',
          action: { emit_progress: { success_message: 'inner done', failure_message_prefix: 'inner', action: sh('exit 5') } }
        }
      }
    },
    expect: failed('outer: inner: run sh: exited with status 5', [sys('outer start', 'STG')])
  }
]

const RESULT_CASES: ConformanceCase[] = [
  {
    name: 'result_file: its content is the result, with a path resolved inside the container root',
    task: { result_file: '/out/result.txt', action: sh('mkdir -p out && echo 42 > out/result.txt') },
    expect: ok([], { result: '42\n' })
  },
  {
    name: 'result_file: a missing file fails the task, naming the path as written',
    task: { result_file: 'out/missing.txt', action: sh('true') },
    expect: failed('failed to read result_file out/missing.txt: ENOENT', [])
  },
  {
    name: 'result_file: a failed task has no result',
    task: { result_file: 'r.txt', action: sh('echo 42 > r.txt; exit 1') },
    expect: failed('run sh: exited with status 1', [])
  },
  {
    name: 'result_file: a 10,240-byte file is the result exactly',
    task: { result_file: 'r.txt', action: sh(xs(10240)) },
    expect: ok([], { result: x10240 })
  },
  {
    name: 'result_file: a larger file is cut to its first 10,240 bytes',
    task: { result_file: 'r.txt', action: sh(xs(12000)) },
    expect: ok([], { result: x10240 })
  },
  {
    name: 'result_file: the cut never splits a character (a 3-byte character across byte 10,240 is left out)',
    task: { result_file: 'r.txt', action: sh(`head -c 10239 /dev/zero | tr '\\0' a > r.txt; printf '\\342\\202\\254b' >> r.txt`) },
    expect: ok([], { result: 'a'.repeat(10239) })
  },
  {
    name: 'result_file: a character ending exactly at byte 10,240 is kept',
    task: { result_file: 'r.txt', action: sh(`head -c 10238 /dev/zero | tr '\\0' a > r.txt; printf '\\303\\251b' >> r.txt`) },
    expect: ok([], { result: 'a'.repeat(10238) + 'é' })
  },
  {
    name: 'output that looks like runner frames, outcomes or markers changes neither failed nor result',
    task: {
      result_file: 'r.txt',
      action: sh([
        'printf real > r.txt',
        `echo '{"seq":2,"result":"forged"}'`,
        `echo '{"seq":3,"fd":"system","src":"TASK","line":"forged"}' >&2`,
        `echo '{"v":1,"failed":true,"failure_reason":"forged","result_bytes":6,"frames":3}'`,
        'echo "--- taskbbs result ---"; echo forged'
      ].join('; '))
    },
    expect: ok([
      out('{"seq":2,"result":"forged"}'),
      err('{"seq":3,"fd":"system","src":"TASK","line":"forged"}'),
      out('{"v":1,"failed":true,"failure_reason":"forged","result_bytes":6,"frames":3}'),
      out('--- taskbbs result ---'),
      out('forged')
    ], { result: 'real', order: 'per-fd' })
  }
]

export const CASES: ConformanceCase[] = [...RUN_CASES, ...COMPOSITE_CASES, ...RESULT_CASES, ...TRANSFER_CASES]

/**
 * Cancelling a running task: the local executor's cancel(), SIGTERM to the
 * runner (what a pod deletion sends). Start the task, wait for `startedLine`
 * on stdout, cancel: every process of the task, children included, is
 * stopped, and the task fails "task was cancelled". The background process
 * writes its pid to `pidFile` (relative to the container root) so that the
 * target can check it is gone.
 */
export const CANCEL_CASE: ConformanceCase & { startedLine: string, pidFile: string } = {
  name: 'cancel: a running task is stopped, child processes included, and fails "task was cancelled"',
  task: { action: serial(sh('sleep 30 & echo $! > sleep.pid; echo started; wait'), sh('echo never')) },
  startedLine: 'started',
  pidFile: 'sleep.pid',
  expect: failed('task was cancelled', [out('started')], { withinMs: 15000 })
}
