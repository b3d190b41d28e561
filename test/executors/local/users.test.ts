/**
 * How the local executor honours a run action's `user`, as the runner does:
 * root switches (or refuses an unknown user), anyone else runs as itself and
 * says so unless it already is that user or was asked for root.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { findUser, resolveUser } from '../../../src/executors/local/users.ts'

const dir = await mkdtemp(join(tmpdir(), 'taskbbs-users-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))
const passwd = join(dir, 'passwd')
await writeFile(passwd, [
  'root:x:0:0:root:/root:/bin/sh',
  'vcap:x:2000:2001::/home/vcap:/bin/sh',
  'broken:x:notanumber:1::/:/bin/sh',
  ''
].join('\n'))

t.test('names and numbers are found in passwd; a number not listed keeps group 0', async t => {
  const text = 'vcap:x:2000:2001::/home/vcap:/bin/sh\n'
  t.same(findUser('vcap', text), { uid: 2000, gid: 2001 })
  t.same(findUser('2000', text), { uid: 2000, gid: 2001 }, 'by number, with the listed group')
  t.same(findUser('4242', text), { uid: 4242, gid: 0 })
  t.equal(findUser('nobody-here', text), undefined)
  t.equal(findUser('99999999999', text), undefined, 'a number beyond 32 bits is a name, and unknown')
})

t.test('a root executor switches to a known user and refuses an unknown one', async t => {
  t.same(resolveUser('vcap', 0, passwd), { kind: 'switch', ids: { uid: 2000, gid: 2001 } })
  t.same(resolveUser('4242', 0, passwd), { kind: 'switch', ids: { uid: 4242, gid: 0 } })
  t.same(resolveUser('no-such', 0, passwd), { kind: 'unknown' })
  t.same(resolveUser('broken', 0, passwd), { kind: 'unknown' }, 'a malformed entry is not a user')
})

t.test('an executor that is not root runs as itself: silently for root or itself, saying so otherwise', async t => {
  t.same(resolveUser('root', 2000, passwd), { kind: 'self' })
  t.same(resolveUser('vcap', 2000, passwd), { kind: 'self' })
  t.same(resolveUser('2000', 2000, passwd), { kind: 'self' })
  t.same(resolveUser('vcap', 3000, passwd), { kind: 'self-warn' })
  t.same(resolveUser('no-such', 3000, passwd), { kind: 'self-warn' })
})
