/**
 * The Go client as a user uses it: a module of its own (clients/go, package
 * taskbbs: the generated client, the events stream, waiting, callback
 * signatures) whose `go test` passes, required from another module through a
 * `replace` directive; the example, built in that module, runs the client
 * scenario against a real server.
 */
import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { CLIENTS, clientScenario, exec } from './scenario.ts'

const go = await exec('go', ['version']).then(r => r.stdout.trim(), () => undefined)
if (!go) {
  t.plan(0, 'the Go client needs the go command, which is not on PATH')
} else {
  t.test('the module\'s own tests pass (events, idle and context bounds, signatures)', async t => {
    t.setTimeout(300_000)
    const { stdout } = await exec('go', ['test', '-count=1', './...'], { cwd: `${CLIENTS}go`, maxBuffer: 16 << 20 })
    t.match(stdout, /^ok\s+taskbbs\.example\/clients\/go\/taskbbs\s/m)
  })

  await clientScenario(t, 'go', async dir => {
    await writeFile(join(dir, 'go.mod'), [
      'module taskbbs.example/try',
      '',
      'go 1.26.0',
      '',
      'require taskbbs.example/clients/go v0.0.0',
      '',
      `replace taskbbs.example/clients/go => ${CLIENTS}go`,
      ''
    ].join('\n'))
    await copyFile(`${CLIENTS}go/example/main.go`, join(dir, 'main.go'))
    await exec('go', ['mod', 'tidy'], { cwd: dir })
    await exec('go', ['build', '-o', 'example', '.'], { cwd: dir })
    return { file: join(dir, 'example'), args: ['go-client-test'], cwd: dir }
  })
}
