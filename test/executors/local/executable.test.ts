/**
 * Where the limits wrapper starts a process, the local executor finds the
 * program itself first, as execvp would, so that a missing or unexecutable
 * program fails with the errno a direct start gives.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { executableError } from '../../../src/executors/local/executable.ts'

const dir = await mkdtemp(join(tmpdir(), 'taskbbs-exec-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))
await mkdir(join(dir, 'a'))
await mkdir(join(dir, 'b'))
await mkdir(join(dir, 'a', 'sub'))
await writeFile(join(dir, 'a', 'tool'), 'echo a\n')
await chmod(join(dir, 'a', 'tool'), 0o644)
await writeFile(join(dir, 'b', 'tool'), 'echo b\n')
await chmod(join(dir, 'b', 'tool'), 0o755)
await writeFile(join(dir, 'a', 'only-here'), 'echo\n')
await chmod(join(dir, 'a', 'only-here'), 0o644)

t.test('a path with a slash is taken from the working directory', async t => {
  t.equal(await executableError('./b/tool', dir, ''), undefined)
  t.equal(await executableError(join(dir, 'b', 'tool'), '/', ''), undefined)
  t.equal(await executableError('./a/tool', dir, ''), 'EACCES', 'not executable')
  t.equal(await executableError('./a/sub', dir, ''), 'EACCES', 'a directory')
  t.equal(await executableError('./a/none', dir, ''), 'ENOENT')
  t.equal(await executableError('./a/tool/x', dir, ''), 'ENOTDIR')
})

t.test('a bare name is looked up in PATH; an unexecutable candidate gives way to a later one', async t => {
  const path = [join(dir, 'a'), join(dir, 'b')].join(':')
  t.equal(await executableError('tool', '/', path), undefined)
  t.equal(await executableError('only-here', '/', path), 'EACCES')
  t.equal(await executableError('nowhere', '/', path), 'ENOENT')
  t.equal(await executableError('sh', '/', '/usr/bin:/bin'), undefined)
})
