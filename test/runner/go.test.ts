/**
 * The in-pod runner (runner/, Go) is specified by its own Go tests: every
 * action kind, the failure texts, limits, user switching, timeouts killing
 * process groups, SIGTERM forwarding, the result digest, downloads and
 * uploads against loopback servers, and the built binary end to end.
 * This file runs them from the project's test suite. Without a Go toolchain
 * it is skipped, saying so, so that the suite still runs with Node alone.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import t from 'tap'

const RUNNER = new URL('../../runner/', import.meta.url).pathname

function findGo (): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'go'))) return join(dir, 'go')
  }
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined
}

const go = findGo()

const NO_GO = 'no Go toolchain (no go on PATH nor /usr/local/go/bin/go): install Go 1.26+ to run the runner\'s tests'

if (!go) {
  t.test('go test ./... in runner/ passes', { skip: NO_GO }, async () => {})
} else {
  // A first build of the packages and the test binaries takes a while on a busy machine.
  t.setTimeout(600_000)
  t.test('go test ./... in runner/ passes', async t => {
    const started = Date.now()
    const { code, output } = await new Promise<{ code: number | null, output: string }>(resolve => {
      execFile(go, ['test', '-count=1', './...'], {
        cwd: RUNNER,
        env: { ...process.env, CGO_ENABLED: '0' },
        maxBuffer: 64 << 20,
        timeout: 540_000
      }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, output: stdout + stderr })
      })
    })
    t.equal(code, 0, code === 0 ? 'all packages pass' : `go test failed:\n${output}`)
    const packages = output.split('\n').filter(l => l.startsWith('ok  \t'))
    t.ok(packages.length >= 8, `${packages.length} packages with tests passed`)
    t.notMatch(output, /^(FAIL|--- FAIL)/m, 'no failing test')
    t.ok(true, `ran in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })
}
